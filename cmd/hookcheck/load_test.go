package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/report"
)

func TestLoadAnalyzeReceiverUsageErrors(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.jsonl")
	os.WriteFile(garbage, []byte("{not json\n"), 0o644)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"load", "--shard", "2/2"}, "--shard"},
		{[]string{"load", "--threshold", "p99<soon"}, "not a duration"},
		{[]string{"load", "--threshold", "speed>1"}, `unknown metric "speed"`},
		{[]string{"load", "--pacing", "zigzag"}, `unknown pacing "zigzag"`},
		{[]string{"load", "--rate", "0"}, "rate must be between"},
		{[]string{"load", "--workers", "0"}, "--workers must be at least 1"},
		{[]string{"certify-receiver", "--url", "http://127.0.0.1:1/x", "--workers", "-3"}, "--workers must be at least 1"},
		{[]string{"load", "--fail-script", "teapot"}, "fail script"},
		{[]string{"load", "--results", "/tmp/x", "--results-format", "xml"}, "--results-format"},
		{[]string{"load", "--target", "http://127.0.0.1:1"}, "--client-id and --client-secret"},
		{[]string{"load", "merge"}, "give the shards' --json files"},
		{[]string{"load", "merge", garbage}, "not a load summary"},
		{[]string{"analyze"}, "--log FILE is required"},
		{[]string{"receiver", "--script", "banana"}, "--script"},
		{[]string{"receiver", "--keep", "-1"}, "must not be negative"},
		{[]string{"receiver", "--addr", "256.0.0.1:1"}, "listen on 256.0.0.1:1"},
		{[]string{"analyze", "--log", garbage}, "line 1"},
		{[]string{"analyze", "--log", garbage, "--retry", "sometimes"}, "unknown retry policy"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), tt.args, &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut.String(), tt.want)
		}
	}
}

// Two shards run as separate processes against one registry, merge into
// the verdict and counts of one process running the whole; thresholds gate
// the merged figures.
func TestLoadShardsMerge(t *testing.T) {
	tm := timing.Timing{Window: 300 * time.Millisecond, Retry: timing.Retry{Kind: timing.Doubling, Base: 300 * time.Millisecond, MaxAttempts: 25}, CallbackTimeout: time.Second}
	srv, err := registry.Listen(context.Background(), "127.0.0.1:0", registry.Config{Timing: tm, Clients: []registry.Client{{ID: "APP-SHARDS", Secret: "shard-secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	load := func(shard, out string) *exec.Cmd {
		return hookcheckCmd(t, "load", "--target", srv.URL(), "--client-id", "APP-SHARDS", "--client-secret", "shard-secret",
			"--records", "200", "--rate", "200", "--duration", "2s", "--window", "300ms", "--retry-base", "300ms", "--tolerance", "150ms", "--callback-timeout", "1s",
			"--shard", shard, "--quiet", "--json", filepath.Join(dir, out))
	}
	cmds := []*exec.Cmd{load("0/2", "a.json"), load("1/2", "b.json"), load("0/1", "whole.json")}
	outs := make([]bytes.Buffer, len(cmds))
	for i, c := range cmds[:2] { // the shards at once, then the whole run alone
		c.Stdout, c.Stderr = &outs[i], &outs[i]
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds[:2] {
		if err := c.Wait(); err != nil {
			t.Fatalf("shard %d: %v\n%s", i, err, outs[i].String())
		}
	}
	cmds[2].Stdout, cmds[2].Stderr = &outs[2], &outs[2]
	if err := cmds[2].Run(); err != nil {
		t.Fatalf("whole run: %v\n%s", err, outs[2].String())
	}
	for i := range outs {
		if strings.Contains(outs[i].String(), "shard-secret") {
			t.Fatalf("process %d printed the client secret", i)
		}
	}
	var merged, whole bytes.Buffer
	jsonOut := filepath.Join(dir, "merged.json")
	if code := run(context.Background(), []string{"load", "merge", "--json", jsonOut, filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")}, &merged, &merged); code != exitOK {
		t.Fatalf("merge exit %d:\n%s", code, merged.String())
	}
	if code := run(context.Background(), []string{"load", "merge", filepath.Join(dir, "whole.json")}, &whole, &whole); code != exitOK {
		t.Fatalf("whole exit %d:\n%s", code, whole.String())
	}
	m, w := readSummary(t, jsonOut), readSummary(t, filepath.Join(dir, "whole.json"))
	if m.Records != w.Records || m.Failing != w.Failing || m.Notify.Changes != w.Notify.Changes || m.Notify.Calls != w.Notify.Calls ||
		m.Notify.RetryGaps != w.Notify.RetryGaps || m.Notify.Lost != 0 || w.Notify.Lost != 0 || m.Notify.Covered != w.Notify.Covered {
		t.Fatalf("merged shards differ from the whole run:\nmerged:\n%s\nwhole:\n%s", merged.String(), whole.String())
	}
	var out bytes.Buffer
	html := filepath.Join(dir, "merged.html")
	code := run(context.Background(), []string{"load", "merge", "--threshold", "lost==0", "--html", html, filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")}, &out, &out)
	if code != exitOK || !strings.Contains(out.String(), "shards [0/2 1/2], 200 records (20 failing by script)") || !strings.Contains(out.String(), "lost 0") {
		t.Fatalf("merge exit %d:\n%s", code, out.String())
	}
	if b, err := os.ReadFile(html); err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Fatalf("merged HTML: %v", err)
	}
	out.Reset()
	if code := run(context.Background(), []string{"load", "merge", "--threshold", "calls<1", filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")}, &out, &out); code != exitThreshold || !strings.Contains(out.String(), "FAIL calls<1") {
		t.Fatalf("failing threshold: exit %d, want %d:\n%s", code, exitThreshold, out.String())
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a pattern, expanded without a shell", []string{filepath.Join(dir, "[ab].json")}, exitOK, "shards [0/2 1/2]"},
		{"one shard of two", []string{"--threshold", "notify_p99<1s", filepath.Join(dir, "a.json")}, exitFail, "PARTIAL: shards missing: 1/2 (no result file)"},
		{"a shard twice", []string{filepath.Join(dir, "a.json"), filepath.Join(dir, "a.json")}, exitUsage, "shard 0/2 given twice"},
		{"a merge is no shard", []string{jsonOut, filepath.Join(dir, "b.json")}, exitUsage, "a merge of shards [0/2 1/2], not one shard's summary"},
		{"no match", []string{filepath.Join(dir, "c*.json")}, exitFail, "no shard finished: no shard summaries found"},
		{"negative wait", []string{"--wait", "-1s", filepath.Join(dir, "a.json")}, exitUsage, "--wait must not be negative"},
	} {
		out.Reset()
		if code := run(context.Background(), append([]string{"load", "merge"}, c.args...), &out, &out); code != c.code || !strings.Contains(out.String(), c.want) {
			t.Errorf("%s: exit %d, want %d and %q:\n%s", c.name, code, c.code, c.want, out.String())
		}
	}
}

func readSummary(t *testing.T, path string) *report.Summary {
	t.Helper()
	readValid(t, report.SchemaLoad, path)
	s, err := report.ReadSummary(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLoadBadValuesAreRefused checks values that used to be replaced by
// defaults, crash vegeta's pacer or make a check vacuous.
func TestLoadBadValuesAreRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"load", "--rate", "1e12", "--duration", "1ms"}, "rate must be between"},
		{[]string{"load", "--rate", "0.0001"}, "rate must be between"},
		{[]string{"load", "--rate", "0.5", "--duration", "1s"}, "plans no send"},
		{[]string{"load", "--rate", "1", "--duration", "2s", "--shard", "0/4"}, "cannot be split over 4 shards"},
		{[]string{"load", "--fail-ratio", "NaN"}, "fail ratio"},
		{[]string{"load", "--window", "-1s"}, "--window must be positive"},
		{[]string{"load", "--window", "0s"}, "--window must be positive"},
		{[]string{"load", "--retry-base", "0s"}, "--retry-base must be positive"},
		{[]string{"load", "--max-attempts", "-5"}, "--max-attempts must be ≥ 0"},
		{[]string{"load", "--window", "300ms", "--tolerance", "1s"}, "must be less than the batch window"},
		{[]string{"load", "--threshold", "p99<-5ms"}, "cannot be negative"},
		{[]string{"analyze", "--log", "x.jsonl", "--window", "300ms", "--tolerance", "1s"}, "must be less than the batch window"},
		{[]string{"analyze", "--log", "x.jsonl", "--retry", "geometric", "--retry-base", "1s"}, "needs a ratio"},
		{[]string{"analyze", "--log", "x.jsonl", "--retry-jitter", "soon"}, "--retry-jitter"},
		{[]string{"analyze", "--log", "x.jsonl", "--event-key", "cookie"}, "--event-key"},
		{[]string{"analyze", "--log", "x.jsonl", "--profile", "no-such.yaml"}, "profile file"},
		{[]string{"certify-receiver", "--url", "http://127.0.0.1:1/x", "--rate", "1e12", "--duration", "1ms"}, "rate must be between"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), c.args, &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %q", c.args, code, stderr.String(), c.want)
		}
	}
}

// TestLoadJSONFromTheStart: --json holds a placeholder as soon as the run
// starts, and the reason when it fails, so that a merge can tell a shard
// that failed or was killed from one that never ran.
func TestLoadJSONFromTheStart(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "shard-1.json")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"load", "--target", "http://127.0.0.1:1", "--client-id", "x", "--client-secret", "y",
		"--shard", "1/2", "--quiet", "--json", out}, &stdout, &stderr)
	if code != exitUnreachable {
		t.Fatalf("exit %d, want %d:\n%s%s", code, exitUnreachable, stdout.String(), stderr.String())
	}
	s := readSummary(t, out)
	if !s.Partial || s.Ended.IsZero() || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "shard 1/2 failed: ") || !strings.Contains(s.Warnings[0], "connection refused") {
		t.Fatalf("--json after a failed start: partial %v, ended %v, warnings %q", s.Partial, s.Ended, s.Warnings)
	}
	stderr.Reset()
	code = run(context.Background(), []string{"load", "--json", filepath.Join(dir, "absent", "x.json")}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--json: ") {
		t.Fatalf("--json in a missing directory: exit %d, stderr %q; want 2 before the run", code, stderr.String())
	}
}
