package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/report"
)

// TestConformanceInterrupted cancels an embedded run 1.5 s in (as Ctrl-C
// does): the run must stop soon, exit 1, say so, and still write the
// report, marked partial, with the scenarios cut off skipped as
// interrupted rather than failed with "context canceled".
func TestConformanceInterrupted(t *testing.T) {
	repFile := filepath.Join(t.TempDir(), "r.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	timer := time.AfterFunc(1500*time.Millisecond, cancel)
	defer timer.Stop()
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run(ctx, []string{"conformance", "--format", "progress", "--no-colors", "--report", repFile}, &stdout, &stderr)
	took := time.Since(start)
	t.Logf("exit %d after %s", code, took.Round(time.Millisecond))
	if code != exitFail {
		t.Errorf("exit %d, want %d\nstderr:\n%s", code, exitFail, stderr.String())
	}
	if took > 15*time.Second {
		t.Errorf("took %s after an interruption at 1.5s", took)
	}
	if !strings.Contains(stderr.String(), "interrupted: partial report") {
		t.Errorf("stderr does not say the report is partial:\n%s", stderr.String())
	}
	if !strings.Contains(stdout.String(), "Conformance: PARTIAL") || !strings.Contains(stdout.String(), "interrupted: partial report") {
		t.Errorf("console summary is not marked partial:\n%s", stdout.String())
	}

	b := readValid(t, report.SchemaConformance, repFile)
	var r struct {
		Result        string `json:"result"`
		Partial       *bool  `json:"partial"`
		PartialReason string `json:"partial_reason"`
		Counts        struct{ Scenarios, Passed, Failed, Skipped, Undefined int }
		Areas         []struct{ Area, Result string }
		Failed        []struct{ ID, Reason string }
		Skipped       []struct {
			ID, Area, Reason string
			Interrupted      bool
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	if r.Partial == nil || !*r.Partial || r.PartialReason != "interrupted" {
		t.Errorf("report partial %v reason %q, want true, interrupted", r.Partial, r.PartialReason)
	}
	if r.Result == "success" {
		t.Errorf("an interrupted run claims success: counts %+v", r.Counts)
	}
	for _, f := range r.Failed {
		if strings.Contains(f.Reason, "context canceled") || strings.Contains(f.Reason, "interrupted") {
			t.Errorf("scenario %s reported failed because of the interruption: %s", f.ID, f.Reason)
		}
	}
	cut := 0
	for _, s := range r.Skipped {
		if s.Interrupted {
			cut++
			if !strings.HasPrefix(s.Reason, "interrupted") || strings.Contains(s.Reason, "context canceled") {
				t.Errorf("interrupted scenario %s: reason %q", s.ID, s.Reason)
			}
		}
	}
	if cut == 0 || r.Counts.Passed == r.Counts.Scenarios {
		t.Errorf("no scenario marked interrupted: counts %+v skipped %+v", r.Counts, r.Skipped)
	}
	areaResult := map[string]string{}
	for _, a := range r.Areas {
		areaResult[a.Area] = a.Result
	}
	for _, s := range r.Skipped {
		if s.Interrupted && areaResult[s.Area] == "success" {
			t.Errorf("area %s claims success although %s was cut off", s.Area, s.ID)
		}
	}
	t.Logf("report: result %s counts %+v, %d interrupted", r.Result, r.Counts, cut)
}
