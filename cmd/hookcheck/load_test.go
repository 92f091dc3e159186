package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
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
		{[]string{"load", "--rate", "0"}, "rate must be positive"},
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

// Two shards run at once against one registry, then merge into one
// verdict; thresholds gate the merged figures.
func TestLoadShardsMerge(t *testing.T) {
	tm := timing.Timing{Window: 300 * time.Millisecond, Retry: timing.Retry{Kind: timing.Doubling, Base: 300 * time.Millisecond, MaxAttempts: 25}, CallbackTimeout: time.Second}
	srv, err := registry.Listen(context.Background(), "127.0.0.1:0", registry.Config{Timing: tm, Clients: []registry.Client{{ID: "APP-SHARDS", Secret: "shard-secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	var wg sync.WaitGroup
	codes := make([]int, 2)
	outs := make([]bytes.Buffer, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = run(context.Background(), []string{"load", "--target", srv.URL(), "--client-id", "APP-SHARDS", "--client-secret", "shard-secret",
				"--records", "200", "--rate", "200", "--duration", "2s", "--window", "300ms", "--retry-base", "300ms", "--tolerance", "150ms", "--callback-timeout", "1s",
				"--shard", []string{"0/2", "1/2"}[i], "--quiet", "--json", filepath.Join(dir, []string{"a.json", "b.json"}[i])}, &outs[i], &outs[i])
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != exitOK {
			t.Fatalf("shard %d exit %d:\n%s", i, c, outs[i].String())
		}
		if strings.Contains(outs[i].String(), "shard-secret") {
			t.Fatalf("shard %d printed the client secret", i)
		}
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
	out.Reset()
	if code := run(context.Background(), []string{"load", "merge", "--threshold", "notify_p99<1s", filepath.Join(dir, "a.json")}, &out, &out); code != exitOK {
		t.Fatalf("one shard merged alone: exit %d:\n%s", code, out.String())
	}
}
