package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/report"
)

// writeLog writes calls as a receiver's --log does.
func writeLog(t *testing.T, calls ...receiver.Observation) string {
	t.Helper()
	var b bytes.Buffer
	for _, o := range calls {
		line, _ := json.Marshal(o)
		b.Write(append(line, '\n'))
	}
	path := filepath.Join(t.TempDir(), "calls.jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAnalyzeExitCodes(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	var doubling []receiver.Observation
	for i, off := range []time.Duration{0, time.Second, 3 * time.Second, 7 * time.Second} {
		status := 500
		if i == 3 {
			status = 204
		}
		doubling = append(doubling, receiver.Observation{Seq: uint64(i + 1), Callback: "/cb", At: t0.Add(off), Method: "POST", ContentLength: "0", Status: status})
	}
	log := writeLog(t, doubling...)
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--log", writeLog(t)}, exitUsage, "holds no calls"},
		{[]string{"--log", log, "--retry-base", "1s"}, exitOK, "ok   retry schedule"},
		{[]string{"--log", log, "--retry-base", "1s", "--retry", "linear"}, exitFail, "observed doubling from 1s"},
		{[]string{"--log", log, "--retry-base", "1s"}, exitOK, "derived from the declared timing: --retry-base 1s"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		jsonOut := filepath.Join(t.TempDir(), "a.json")
		code := run(context.Background(), append([]string{"analyze", "--json", jsonOut}, tt.args...), &stdout, &stderr)
		if code != tt.code || !strings.Contains(stdout.String()+stderr.String(), tt.out) {
			t.Errorf("analyze %v: exit %d, want %d with %q\nstdout %s\nstderr %s", tt.args, code, tt.code, tt.out, stdout.String(), stderr.String())
		}
		if code == exitUsage {
			continue
		}
		var a struct {
			Observed struct {
				Retry struct {
					Kind  string
					Ratio float64
					Gaps  int
				}
			}
			Checks []struct{ Name, Result, Reason string }
		}
		b := readValid(t, report.SchemaAnalysis, jsonOut)
		if err := json.Unmarshal(b, &a); err != nil || a.Observed.Retry.Kind != "geometric" || a.Observed.Retry.Gaps != 3 || len(a.Checks) == 0 || a.Checks[0].Result == "" {
			t.Errorf("analyze %v --json: %v %+v", tt.args, err, a)
		}
	}
}
