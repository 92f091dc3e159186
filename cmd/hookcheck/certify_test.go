package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
	"github.com/hookcheck/hookcheck/report"
)

// certifyOutput is a goroutine-safe writer that remembers the reference
// registry's URL once the command prints it.
type certifyOutput struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	registry atomic.Value // string
}

func (o *certifyOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	const marker = "registry for the receiver: "
	if _, rest, ok := strings.Cut(o.buf.String(), marker); ok {
		if u, _, ok := strings.Cut(rest, " "); ok {
			o.registry.CompareAndSwap(nil, strings.TrimSpace(u))
		}
	}
	return len(p), nil
}

func (o *certifyOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

func (o *certifyOutput) registryURL() string {
	u, _ := o.registry.Load().(string)
	return u
}

// certifyRun runs certify-receiver against the receiver h serves and
// returns the exit code, stdout and stderr.
func certifyRun(t *testing.T, h http.Handler, stderr *certifyOutput, args ...string) (int, string, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	if stderr == nil {
		stderr = &certifyOutput{}
	}
	stdout := &certifyOutput{}
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	all := append([]string{"certify-receiver", "--url", srv.URL + "/orcid/{orcid}/updated", "--format", "progress", "--no-colors"}, args...)
	code := run(ctx, all, stdout, stderr)
	return code, stdout.String(), stderr.String()
}

// orcidFromPath picks the iD out of /orcid/{orcid}/updated.
func orcidFromPath(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) == 3 && parts[0] == "orcid" && parts[2] == "updated" {
		return parts[1]
	}
	return ""
}

func TestCertifyWellBehavedReceiver(t *testing.T) {
	t.Parallel()
	stderr := &certifyOutput{}
	var reads, known atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		id := orcidFromPath(r.URL.Path)
		if orcid.Validate(id) != nil || r.ContentLength != 0 {
			http.Error(w, "bad callback", http.StatusBadRequest)
			return
		}
		reg := stderr.registryURL()
		if reg == "" {
			http.Error(w, "no registry URL yet", http.StatusInternalServerError)
			return
		}
		// Read the record the notification is about, as real receivers do.
		req, _ := http.NewRequest(http.MethodGet, reg+"/v3.0/"+id+"/record", nil)
		req.Header.Set("Accept", "application/vnd.orcid+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var rec struct {
			ID struct {
				Path string `json:"path"`
			} `json:"orcid-identifier"`
		}
		err = json.NewDecoder(resp.Body).Decode(&rec)
		resp.Body.Close()
		reads.Add(1)
		switch {
		case resp.StatusCode == http.StatusOK && err == nil && rec.ID.Path == id:
			known.Add(1)
		case resp.StatusCode == http.StatusNotFound:
			// Not ours: nothing to update, still a success.
		default:
			// Refused or failed: ask the registry to call again later.
			http.Error(w, "registry read failed", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	dir := t.TempDir()
	repFile, junit, floodJSON, floodHTML, results := filepath.Join(dir, "report.json"), filepath.Join(dir, "junit.xml"),
		filepath.Join(dir, "flood.json"), filepath.Join(dir, "flood.html"), filepath.Join(dir, "flood.gob")
	code, stdout, errOut := certifyRun(t, h, stderr, "--registry", "embedded", "--report", repFile, "--junit", junit, "--concurrency", "3",
		"--rate", "300", "--duration", "2s", "--records", "200", "--json", floodJSON, "--html", floodHTML, "--results", results)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, errOut)
	}
	if reads.Load() == 0 || known.Load() == 0 {
		t.Errorf("the receiver read %d records, %d known to the registry; want some of each", reads.Load(), known.Load())
	}
	if !strings.Contains(stdout, "/orcid/{orcid}/updated: CERTIFIED") || strings.Contains(stdout, "NOT CERTIFIED") {
		t.Errorf("stdout has no CERTIFIED verdict:\n%s", stdout)
	}
	b := readValid(t, report.SchemaCertification, repFile)
	var r struct {
		Target struct {
			Kind, URL string
		} `json:"target"`
		Result   string `json:"result"`
		Registry string `json:"registry_url"`
		Counts   struct {
			Scenarios, Passed int
		} `json:"counts"`
		Areas []struct {
			Area, Result string
		} `json:"areas"`
		Features []struct{ File, SHA256 string } `json:"features"`
		Notes    []struct{ ID, Note string }     `json:"notes"`
		Flood    *struct {
			Kind string `json:"kind"`
			API  struct {
				Requests, OK uint64
			} `json:"api"`
			Limits []struct {
				Threshold string
				OK        bool
			} `json:"thresholds"`
		} `json:"flood"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("report does not parse: %v\n%s", err, b)
	}
	if r.Target.Kind != "receiver" || !strings.HasSuffix(r.Target.URL, "/orcid/{orcid}/updated") || !strings.HasPrefix(r.Target.URL, "http://127.0.0.1:") {
		t.Errorf("report target %+v, want the receiver's URL", r.Target)
	}
	// Every scenario passes but RCV-10, skipped: template callbacks carry
	// no per-record token to forge.
	if r.Result != "success" || r.Counts.Scenarios < 10 || r.Counts.Passed != r.Counts.Scenarios-1 {
		t.Errorf("report result %q counts %+v", r.Result, r.Counts)
	}
	if r.Registry == "" || r.Registry != stderr.registryURL() {
		t.Errorf("report registry %q, printed %q", r.Registry, stderr.registryURL())
	}
	if len(r.Areas) != 2 || r.Areas[0].Area != "receiver" || r.Areas[1] != (struct{ Area, Result string }{"flood", "success"}) ||
		len(r.Features) != 1 || r.Features[0].File != "receiver.feature" {
		t.Errorf("report areas %+v features %+v", r.Areas, r.Features)
	}
	// 2 s at 300/s: 600 notifications, every one answered 2xx (the
	// receiver read each record from the registry), both default thresholds
	// evaluated and met. (At 1,000/s, each notification costing a record
	// read, the flood is honestly INCONCLUSIVE when go test ./... keeps both
	// cores busy: the generator falls behind.)
	if f := r.Flood; f == nil || f.Kind != "flood" || f.API.Requests < 595 || f.API.OK != f.API.Requests || len(f.Limits) != 2 || !f.Limits[0].OK || !f.Limits[1].OK {
		t.Errorf("report flood %+v, want ~600 notifications all 2xx and 2 thresholds met", r.Flood)
	}
	if known.Load() < 595 {
		t.Errorf("the receiver found %d notified records in the registry, want the flood's ~600 too", known.Load())
	}
	if fi, err := os.Stat(floodJSON); err != nil || fi.Size() == 0 {
		t.Errorf("flood --json: %v", err)
	}
	if page, err := os.ReadFile(floodHTML); err != nil || !bytes.Contains(page, []byte("Receiver answer latency over time")) || !bytes.Contains(page, []byte("srcdoc=")) {
		t.Errorf("flood --html: %v: no latency plot in the page", err)
	}
	if n := countResults(t, results); n < 595 {
		t.Errorf("flood --results holds %d vegeta results, want ~600", n)
	}
	var informational bool
	for _, n := range r.Notes {
		informational = informational || (n.ID == "RCV-06" && strings.Contains(n.Note, "GET → 405"))
		if n.ID == "RCV-01" {
			t.Errorf("a 204 receiver got a note on RCV-01: %s", n.Note)
		}
	}
	if !informational {
		t.Errorf("no RCV-06 note with the GET answer: %+v", r.Notes)
	}
	if fi, err := os.Stat(junit); err != nil || fi.Size() == 0 {
		t.Errorf("JUnit file: %v", err)
	}
}

func TestCertifyDefectiveReceivers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		h    http.HandlerFunc
		args []string
		want []string // substrings of the failure messages
	}{
		{
			name: "refuses empty bodies",
			h: func(w http.ResponseWriter, r *http.Request) {
				if r.ContentLength == 0 {
					http.Error(w, "empty body", http.StatusBadRequest)
					return
				}
				w.WriteHeader(http.StatusOK)
			},
			want: []string{"FAILED  RCV-01", "refuses the empty one (400)", "empty-body POST"},
		},
		{
			name: "redirects",
			h: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/elsewhere", http.StatusMovedPermanently)
			},
			want: []string{"FAILED  RCV-01", "a redirect (301): the registry does not follow redirects"},
		},
		{
			name: "slower than the timeout",
			h: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-time.After(time.Second):
				case <-r.Context().Done():
				}
				w.WriteHeader(http.StatusNoContent)
			},
			args: []string{"--timeout", "500ms", "--concurrency", "6"},
			want: []string{"FAILED  RCV-01", "FAILED  RCV-02", "within the registry's callback timeout (500ms)"},
		},
		{
			name: "500 to concurrent duplicates",
			h: func() http.HandlerFunc {
				var mu sync.Mutex
				inFlight := map[string]int{}
				return func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					inFlight[r.URL.Path]++
					n := inFlight[r.URL.Path]
					mu.Unlock()
					defer func() { mu.Lock(); inFlight[r.URL.Path]--; mu.Unlock() }()
					if n > 1 {
						http.Error(w, "duplicate in progress", http.StatusInternalServerError)
						return
					}
					time.Sleep(50 * time.Millisecond)
					w.WriteHeader(http.StatusNoContent)
				}
			}(),
			want: []string{"FAILED  RCV-04", "concurrent notifications", "a server error (500)"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := certifyRun(t, c.h, nil, append([]string{"--duration", "0"}, c.args...)...)
			if code != exitFail {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			if !strings.Contains(stdout, "NOT CERTIFIED (a scenario failed)") {
				t.Errorf("no NOT CERTIFIED verdict:\n%s", stdout)
			}
		})
	}
}

// countResults decodes a vegeta gob results file.
func countResults(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.NewDecoder(f)
	n := 0
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Errorf("decoding %s: %v", path, err)
			}
			return n
		}
		n++
	}
}

// TestCertifyReceiverFallsOverUnderFlood certifies a receiver that passes
// every scenario but sheds load beyond 32 calls in flight (each takes
// 50 ms): a 1,000/s flood keeps ~50 in flight, so about a third get 503.
func TestCertifyReceiverFallsOverUnderFlood(t *testing.T) {
	t.Parallel()
	var inFlight atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer inFlight.Add(-1)
		if inFlight.Add(1) > 32 {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		time.Sleep(50 * time.Millisecond)
		w.WriteHeader(http.StatusNoContent)
	})
	repFile := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := certifyRun(t, h, nil, "--rate", "1000", "--duration", "2s", "--report", repFile, "--quiet")
	if code != exitFail {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if _, line, ok := strings.Cut(stdout, "Notifications: "); ok {
		line, _, _ = strings.Cut(line, "\n")
		t.Logf("flood: %s", line)
	}
	for _, want := range []string{
		"Receiver scenarios against", ": passed —", // every scenario passed
		"FAIL success>=99.9%",
		"NOT CERTIFIED (the flood failed its thresholds)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	b := readValid(t, report.SchemaCertification, repFile)
	var r struct {
		Result string `json:"result"`
		Failed []struct{ ID, Area, Reason string }
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Result != "failure" || len(r.Failed) != 1 || r.Failed[0].ID != "FLOOD" || !strings.Contains(r.Failed[0].Reason, "success>=99.9%") {
		t.Errorf("report result %q failed %+v, want a failure naming the flood's success threshold", r.Result, r.Failed)
	}
}

func TestCertifyUsageAndUnreachable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, exitUsage, "--url, --callbacks or --callback-cmd is required"},
		{[]string{"--url", "ftp://example.org/x"}, exitUsage, "http(s)"},
		{[]string{"--url", "/relative/{orcid}"}, exitUsage, "http(s)"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--registry", "remote"}, exitUsage, "--registry"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--timeout", "0s"}, exitUsage, "--timeout"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--records", "0"}, exitUsage, "--records"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--rate", "-5"}, exitUsage, "flood"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--pacing", "square"}, exitUsage, "flood"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--threshold", "p99<<1s"}, exitUsage, "threshold"},
		{[]string{"--url", "http://127.0.0.1:1/orcid/{orcid}/updated"}, exitUnreachable, "receiver unreachable"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--callback-cmd", "sign {orcid}"}, exitUsage, "give one of them"},
		{[]string{"--callback-cmd", "sign"}, exitUsage, "no {orcid} placeholder"},
		{[]string{"--callbacks", "/nonexistent/callbacks.csv"}, exitUsage, "callbacks file"},
		{[]string{"--callbacks", callbacksFile(t, "0000-0002-1825-0097,http://127.0.0.1:1/a\nunknown,http://127.0.0.1:1/u\n"), "--registry", "embedded",
			"--registry-records", recordsFile(t, "0000-0001-5109-3700")}, exitUsage, "has no row for: 0000-0001-5109-3700"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--registry-addr", "127.0.0.1:9"}, exitUsage, "--registry-addr needs --registry embedded"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--require-record-read"}, exitUsage, "--require-record-read needs --registry"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--registry", "embedded", "--registry-client-id", "APP-X"}, exitUsage, "go together"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--registry", "http://127.0.0.1:1", "--registry-addr", "127.0.0.1:9"}, exitUsage, "are for --registry embedded"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--registry", "ftp://example.org"}, exitUsage, `--registry must be "none", "embedded"`},
		{[]string{"--url", "http://127.0.0.1:1/x", "--registry", "embedded", "--registry-records", "/nonexistent.json"}, exitUsage, "--registry-records"},
		{[]string{"--url", "http://127.0.0.1:1/x", "--registry", "http://127.0.0.1:1"}, exitUnreachable, "registry http://127.0.0.1:1"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(ctx, append([]string{"certify-receiver"}, c.args...), &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, stderr.String(), c.code, c.want)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"certify-receiver", "--help"}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "{orcid}") {
		t.Errorf("--help: exit %d, stdout %q", code, stdout.String())
	}
}

// TestCertifyInterruptedFloodIsPartial cancels a certification mid-flood:
// the report says it is partial, counts the flood, and exit is 1.
func TestCertifyInterruptedFloodIsPartial(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer srv.Close()
	repFile := filepath.Join(t.TempDir(), "report.json")
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &certifyOutput{}
	go func() {
		// Cancel once the flood is under way.
		for !strings.Contains(stdout.String(), "Flooding ") {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond)
		cancel()
	}()
	code := run(ctx, []string{"certify-receiver", "--url", srv.URL + "/{orcid}", "--rate", "100", "--duration", "1m", "--quiet", "--format", "progress", "--report", repFile}, stdout, &certifyOutput{})
	if code != exitFail {
		t.Fatalf("exit %d, want 1\n%s", code, stdout.String())
	}
	b := readValid(t, report.SchemaCertification, repFile)
	var r struct {
		Result        string `json:"result"`
		Partial       bool   `json:"partial"`
		PartialReason string `json:"partial_reason"`
		Counts        struct{ Scenarios, Passed, Failed, Skipped int }
		Failed        []struct {
			ID          string
			Interrupted bool
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if !r.Partial || r.PartialReason != "interrupted" || r.Result != "failure" || r.Counts.Failed != 1 ||
		r.Counts.Scenarios != r.Counts.Passed+r.Counts.Skipped+1 || len(r.Failed) != 1 || r.Failed[0].ID != "FLOOD" || !r.Failed[0].Interrupted {
		t.Errorf("report %+v, want partial (interrupted), the flood counted as failed and interrupted", r)
	}
}

// callbacksFile writes a callbacks file with content.
func callbacksFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "callbacks.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// recordsFile writes a records file of ids.
func recordsFile(t *testing.T, ids ...string) string {
	t.Helper()
	recs := make([]map[string]string, len(ids))
	for i, id := range ids {
		recs[i] = map[string]string{"orcid": id}
	}
	b, _ := json.Marshal(map[string]any{"records": recs})
	path := filepath.Join(t.TempDir(), "records.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCertifyFloodTheGeneratorCannotKeepIsInconclusive floods a receiver
// that answers every notification well, but in 30 ms, with 2 workers at
// 200/s: at most ~67/s can leave, so the flood cannot say whether the
// receiver holds 200/s. Every output says INCONCLUSIVE and the exit is 5.
func TestCertifyFloodTheGeneratorCannotKeepIsInconclusive(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			time.Sleep(30 * time.Millisecond)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	dir := t.TempDir()
	rep, js, page := filepath.Join(dir, "report.json"), filepath.Join(dir, "flood.json"), filepath.Join(dir, "flood.html")
	code, stdout, stderr := certifyRun(t, h, nil, "--rate", "200", "--duration", "1s", "--workers", "2", "--quiet",
		"--report", rep, "--json", js, "--html", page)
	if code != exitInconclusive {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitInconclusive, stdout, stderr)
	}
	for _, want := range []string{"FLOOD: " + report.InconclusiveText, "all 2 workers were busy", report.InconclusiveText + " (the generator fell behind"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, ": CERTIFIED") {
		t.Errorf("an inconclusive flood certified the receiver:\n%s", stdout)
	}
	var sum struct{ Result, Generator_Behind string }
	var cert struct {
		Result string
		Areas  []struct{ Area, Result string }
	}
	for schema, v := range map[string]any{report.SchemaLoad: &sum, report.SchemaCertification: &cert} {
		path := map[string]string{report.SchemaLoad: js, report.SchemaCertification: rep}[schema]
		if err := json.Unmarshal(readValid(t, schema, path), v); err != nil {
			t.Fatal(err)
		}
	}
	if sum.Result != "inconclusive" || sum.Generator_Behind == "" {
		t.Errorf("--json: result %q, generator_behind %q", sum.Result, sum.Generator_Behind)
	}
	if cert.Result != "inconclusive" {
		t.Errorf("--report: result %q, want inconclusive (areas %+v)", cert.Result, cert.Areas)
	}
	if b, err := os.ReadFile(page); err != nil || !strings.Contains(string(b), report.InconclusiveText) {
		t.Errorf("--html lacks %q (%v)", report.InconclusiveText, err)
	}
}
