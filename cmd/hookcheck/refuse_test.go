package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

// TestRefusedBeforeTheRun: every input that cannot work is refused with
// exit 2 and a message naming the flag, before any registry starts (no
// "embedded registry at" banner, well within a second or two) and without
// an internal URL in the message.
func TestRefusedBeforeTheRun(t *testing.T) {
	dir := t.TempDir()
	shard := filepath.Join(dir, "s0.json")
	s := &report.Summary{Shards: []string{"0/2"}, Target: "http://registry.example", Started: time.Now(), Ended: time.Now(), Notify: &judge.Report{}}
	if err := s.WriteJSON(shard); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no", "such", "dir")
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"conformance ignored --trigger", []string{"conformance", "--trigger", "bogus"}, "--trigger bogus: the embedded target"},
		{"conformance ignored --trigger member", []string{"conformance", "--trigger", "member"}, "--trigger member"},
		{"conformance ignored --records", []string{"conformance", "--records", "/nonexistent.json"}, "--records /nonexistent.json"},
		{"conformance ignored --trigger-cmd", []string{"conformance", "--trigger-cmd", "true {orcid}"}, "--trigger-cmd"},
		{"conformance --target typo", []string{"conformance", "--target", "embeded"}, `a typo of "embedded"? want "embedded", "container" or an http(s) URL`},
		{"conformance --target no scheme", []string{"conformance", "--target", "127.0.0.1:8080"}, `"container"`},
		{"conformance relative --callback-base", []string{"conformance", "--callback-base", "notaurl"}, "--callback-base"},
		{"conformance unwritable --report", []string{"conformance", "--report", filepath.Join(missing, "r.json")}, "--report: cannot write"},
		{"conformance unwritable --junit", []string{"conformance", "--junit", filepath.Join(missing, "j.xml")}, "--junit: cannot write"},
		{"conformance unwritable --cucumber", []string{"conformance", "--cucumber", filepath.Join(missing, "c.json")}, "--cucumber: cannot write"},
		{"conformance --report is a directory", []string{"conformance", "--report", dir}, "is a directory"},
		{"conformance --tags selecting nothing", []string{"conformance", "--tags", "@nonexistent"}, `--tags "@nonexistent" selects no scenario of the conformance suite (profile orcid): nothing would be checked; its tags are @access @batching @core`},
		{"conformance --tags of another profile", []string{"conformance", "--tags", "@profile-orcid-registry"}, `--tags "@profile-orcid-registry" selects no scenario of the conformance suite (profile orcid)`},
		{"conformance --tags of the receiver", []string{"conformance", "--tags", "@receiver"}, `--tags "@receiver" selects no scenario of the conformance suite`},
		{"certify-receiver --tags selecting nothing", []string{"certify-receiver", "--url", "http://127.0.0.1:1/x", "--tags", "@retry"}, `--tags "@retry" selects no scenario of the receiver certification: nothing would be checked; its tags are @core @extended @receiver`},
		{"load --target typo", []string{"load", "--target", "embeded"}, `a typo of "embedded"`},
		{"load --target container", []string{"load", "--target", "container"}, "load runs against"},
		{"load negative --drain", []string{"load", "--drain", "-1s"}, "--drain must not be negative"},
		{"load relative --callback-base", []string{"load", "--callback-base", "notaurl"}, "--callback-base \"notaurl\""},
		{"load unwritable --json", []string{"load", "--json", filepath.Join(missing, "l.json")}, "--json: cannot write"},
		{"load unwritable --html", []string{"load", "--html", filepath.Join(missing, "l.html")}, "--html: cannot write"},
		{"load unwritable --results", []string{"load", "--results", filepath.Join(missing, "r.gob")}, "--results: cannot write"},
		{"load negative --rate", []string{"load", "--rate", "-5"}, "--rate must be between"},
		{"load zero --duration", []string{"load", "--duration", "0s"}, "--duration must be positive"},
		{"load --fail-ratio 2", []string{"load", "--fail-ratio", "2"}, "fail ratio"},
		{"load no records", []string{"load", "--records", "0"}, "need at least one record"},
		{"load ignored --records-file", []string{"load", "--records-file", "/x.json"}, "--records-file: the embedded registry"},
		{"load --embedded-retry on a URL", []string{"load", "--target", "http://127.0.0.1:1", "--client-id", "x", "--client-secret", "y", "--embedded-retry", "linear"}, "--embedded-retry is for --target embedded"},
		{"load merge of one shard twice", []string{"load", "merge", shard, shard}, "given twice"},
		{"certify-receiver flood threshold on lost", []string{"certify-receiver", "--url", "http://127.0.0.1:1/x", "--threshold", "lost==0"}, "a flood has no lost"},
		{"certify-receiver flood threshold on notify_p99", []string{"certify-receiver", "--url", "http://127.0.0.1:1/x", "--threshold", "notify_p99<1s"}, "a flood has no notify_p99"},
		{"certify-receiver URL without a scheme", []string{"certify-receiver", "--url", "127.0.0.1:8090/x"}, `receiver URL "127.0.0.1:8090/x": not an absolute http(s) URL`},
		{"certify-receiver unwritable --report", []string{"certify-receiver", "--url", "http://127.0.0.1:1/x", "--report", filepath.Join(missing, "r.json")}, "--report: cannot write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := run(context.Background(), tt.args, &stdout, &stderr)
			took := time.Since(start)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, exitUsage, stdout.String(), stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("stderr %q does not say %q", stderr.String(), tt.msg)
			}
			if strings.Contains(stderr.String(), "0000-0000-0000-0001") || strings.Contains(stderr.String(), "/_hookcheck/") {
				t.Errorf("an internal URL leaks into %q", stderr.String())
			}
			if strings.Contains(stdout.String(), "registry at") || strings.Contains(stderr.String(), "conformance of") || took > 2*time.Second {
				t.Errorf("work started before the refusal (%s):\n%s%s", took, stdout.String(), stderr.String())
			}
			if strings.Contains(stdout.String(), "PASS") {
				t.Errorf("a refused run printed a pass:\n%s", stdout.String())
			}
			if _, err := os.Stat(missing); err == nil {
				t.Errorf("the check made %s", missing)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the writability checks left files behind: %v", entries)
	}
}

// TestWrongSecretIsExit2Everywhere: a registry that refuses the client is
// the same mistake for conformance and load, and both say so with exit 2
// without printing the secret.
func TestWrongSecretIsExit2Everywhere(t *testing.T) {
	tm := timing.Timing{Window: 200 * time.Millisecond, Retry: timing.Retry{Kind: timing.Doubling, Base: 200 * time.Millisecond, MaxAttempts: 4}, CallbackTimeout: time.Second}
	srv, err := registry.Listen(context.Background(), "127.0.0.1:0", registry.Config{Timing: tm, Clients: []registry.Client{{ID: "APP-RIGHT", Secret: "the-right-secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	creds := []string{"--target", srv.URL(), "--client-id", "APP-RIGHT", "--client-secret", "a-wrong-secret"}
	for _, cmd := range [][]string{{"conformance"}, {"load", "--records", "10", "--rate", "10", "--duration", "1s"}} {
		t.Run(cmd[0], func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append(cmd, creds...), &stdout, &stderr)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\n%s%s", code, exitUsage, stdout.String(), stderr.String())
			}
			if !strings.Contains(stderr.String(), "401") || strings.Contains(stdout.String()+stderr.String(), "a-wrong-secret") {
				t.Errorf("stderr %q: want the 401 and no secret", stderr.String())
			}
		})
	}
}
