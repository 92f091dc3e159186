package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/container"
	"github.com/hookcheck/hookcheck/internal/skiptest"
	"github.com/hookcheck/hookcheck/report"
)

// needDocker skips, loudly, only when no Docker engine answers.
func needDocker(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := container.Available(ctx); err != nil {
		skiptest.Skip(t, "Docker", err)
	}
}

// TestConformanceContainer runs the whole suite against our registry image,
// and against the same image misconfigured with --retry linear, which must
// fail the retry feature and nothing else.
func TestConformanceContainer(t *testing.T) {
	needDocker(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		failed []string
		msg    string
	}{
		{"our image", nil, exitOK, nil, ""},
		{"our image with --retry linear", []string{"--target-arg=--retry=linear"}, exitFail, []string{"RET-03"}, "observed linear"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repFile := filepath.Join(t.TempDir(), "r.json")
			var out bytes.Buffer
			start := time.Now()
			args := append([]string{"conformance", "--target", "container", "--format", "progress", "--no-colors", "--report", repFile}, tt.args...)
			code := run(context.Background(), args, &out, &out)
			t.Logf("container suite wall time %s", time.Since(start))
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, out.String())
			}
			b := readValid(t, report.SchemaConformance, repFile)
			var r struct {
				Target struct {
					Image   string `json:"image"`
					ImageID string `json:"image_id"`
				} `json:"target"`
				Failed []struct {
					ID      string `json:"id"`
					Message string `json:"reason"`
				} `json:"failed"`
				Result string                                           `json:"result"`
				Counts struct{ Scenarios, Passed, Skipped, Failed int } `json:"counts"`
				Facts  struct{ Proven []string }                        `json:"facts"`
			}
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatal(err)
			}
			t.Logf("container target (%s): %s, %d scenarios, %d passed, %d skipped, %d failed; %d facts proven",
				tt.name, r.Result, r.Counts.Scenarios, r.Counts.Passed, r.Counts.Skipped, r.Counts.Failed, len(r.Facts.Proven))
			if r.Target.Image == "" || !strings.HasPrefix(r.Target.ImageID, "sha256:") {
				t.Errorf("report does not name the image: %+v", r.Target)
			}
			var got []string
			for _, f := range r.Failed {
				got = append(got, f.ID)
				if tt.msg != "" && !strings.Contains(f.Message, tt.msg) {
					t.Errorf("%s: message %q lacks %q", f.ID, f.Message, tt.msg)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.failed, ",") {
				t.Errorf("failed scenarios %v, want %v\n%s", got, tt.failed, out.String())
			}
		})
	}
}
