package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/report"
)

// junitSuites is the part of godog's JUnit XML the tests read.
type junitSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name  string  `xml:"name,attr"`
		Tests int     `xml:"tests,attr"`
		Time  float64 `xml:"time,attr"`
		Cases []struct {
			Name      string    `xml:"name,attr"`
			Classname string    `xml:"classname,attr"`
			Status    string    `xml:"status,attr"`
			Time      float64   `xml:"time,attr"`
			Failure   *struct{} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// conformanceReport is the conformance report as a consumer reads it.
type conformanceReport struct {
	Harness string `json:"harness"`
	Target  struct {
		Kind, URL, Version, Trigger string
		TokenURL                    string `json:"token_url"`
	} `json:"target"`
	Profile string `json:"profile"`
	Timing  struct {
		Retry           string
		Window          float64 `json:"window_s"`
		Tolerance       float64 `json:"tolerance_s"`
		RetryBase       float64 `json:"retry_base_s"`
		CallbackTimeout float64 `json:"callback_timeout_s"`
		MaxAttempts     int     `json:"max_attempts"`
	} `json:"timing"`
	TimeScale float64                                                     `json:"time_scale"`
	Result    string                                                      `json:"result"`
	Counts    struct{ Scenarios, Passed, Failed, Skipped, Undefined int } `json:"counts"`
	Areas     []struct {
		Area, Result string
		Counts       struct{ Scenarios, Passed int }
	} `json:"areas"`
	Failed   []struct{ ID, Reason string }   `json:"failed"`
	Skipped  []struct{ ID, Reason string }   `json:"skipped"`
	Features []struct{ File, SHA256 string } `json:"features"`
	Duration float64                         `json:"duration_s"`
	// Read as a vendor's tooling would: the scenarios with their facts.
	Scenarios []struct {
		ID, Status string
		Facts      []string
	} `json:"scenarios"`
	Facts struct{ Proven, Failed, Unproven []string } `json:"facts"`
}

func readReport(t *testing.T, path string) conformanceReport {
	t.Helper()
	b := readValid(t, report.SchemaConformance, path)
	var r conformanceReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	return r
}

// TestConformanceEmbedded is the main acceptance test: the whole suite
// against the embedded target, under 30 s, with valid JUnit, cucumber and
// conformance report files.
func TestConformanceEmbedded(t *testing.T) {
	dir := t.TempDir()
	junit, cuke, report := filepath.Join(dir, "j.xml"), filepath.Join(dir, "c.json"), filepath.Join(dir, "r.json")
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run(context.Background(), []string{"conformance", "--format", "progress", "--no-colors",
		"--junit", junit, "--cucumber", cuke, "--report", report}, &stdout, &stderr)
	took := time.Since(start)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if took > 30*time.Second {
		t.Errorf("suite took %s, want under 30s", took)
	}
	t.Logf("suite wall time %s", took)

	r := readReport(t, report)
	t.Logf("embedded target: %s, %d scenarios, %d passed, %d skipped, %d failed; %d facts proven", r.Result, r.Counts.Scenarios, r.Counts.Passed, r.Counts.Skipped, r.Counts.Failed, len(r.Facts.Proven))
	if r.Result != "success" || r.Counts.Scenarios < 30 || r.Counts.Passed != r.Counts.Scenarios || len(r.Failed) != 0 || len(r.Skipped) != 0 {
		t.Errorf("report result %s counts %+v failed %v skipped %v", r.Result, r.Counts, r.Failed, r.Skipped)
	}
	if !strings.HasPrefix(r.Harness, "hookcheck ") || r.Profile != "orcid" || r.Target.Kind != "embedded" ||
		!strings.HasPrefix(r.Target.Version, "hookcheck-registry/") || !strings.HasPrefix(r.Target.URL, "http://127.0.0.1:") ||
		!strings.HasSuffix(r.Target.TokenURL, "/oauth/token") || !strings.Contains(r.Target.Trigger, "control API") {
		t.Errorf("report header: harness %q profile %q target %+v", r.Harness, r.Profile, r.Target)
	}
	if r.Timing.Window != 0.2 || r.Timing.Retry != "doubling" || r.Timing.RetryBase != 0.2 || r.Timing.MaxAttempts != 4 ||
		r.Timing.Tolerance <= 0 || r.Timing.CallbackTimeout <= 0 || r.TimeScale != 1500 {
		t.Errorf("report timing %+v scale %v", r.Timing, r.TimeScale)
	}
	if len(r.Scenarios) != r.Counts.Scenarios || len(r.Facts.Failed) != 0 || len(r.Facts.Unproven) != 0 || len(r.Facts.Proven) < 86 {
		t.Errorf("report lists %d scenarios (counts %d); facts proven %d, failed %v, unproven %v", len(r.Scenarios), r.Counts.Scenarios, len(r.Facts.Proven), r.Facts.Failed, r.Facts.Unproven)
	}
	for _, sc := range r.Scenarios {
		if sc.ID == "ACC-05" && !slices.Equal(sc.Facts, []string{"F010", "F041"}) {
			t.Errorf("ACC-05 checks facts %v, want [F010 F041]", sc.Facts)
		}
	}
	wantAreas := []string{"access", "batching", "delivery", "errors", "register", "retry", "token", "unregister"}
	if len(r.Areas) != len(wantAreas) {
		t.Fatalf("areas %+v, want %v", r.Areas, wantAreas)
	}
	sum := 0
	for i, a := range r.Areas {
		if a.Area != wantAreas[i] || a.Result != "success" || a.Counts.Passed != a.Counts.Scenarios || a.Counts.Scenarios == 0 {
			t.Errorf("area %d: %+v, want %s success", i, a, wantAreas[i])
		}
		sum += a.Counts.Scenarios
	}
	if sum != r.Counts.Scenarios {
		t.Errorf("areas hold %d scenarios, counts say %d", sum, r.Counts.Scenarios)
	}
	if len(r.Features) != len(wantAreas) {
		t.Errorf("features %+v", r.Features)
	}
	hexSHA := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, f := range r.Features {
		if !strings.HasSuffix(f.File, ".feature") || !hexSHA.MatchString(f.SHA256) {
			t.Errorf("feature digest %+v", f)
		}
	}
	if r.Duration <= 0 || r.Duration > took.Seconds() {
		t.Errorf("duration_s %v, want in (0, %v]", r.Duration, took.Seconds())
	}

	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var ju junitSuites
	if err := xml.Unmarshal(b, &ju); err != nil {
		t.Fatalf("JUnit XML does not parse: %v", err)
	}
	cases := 0
	for _, s := range ju.Suites {
		for _, c := range s.Cases {
			cases++
			if c.Failure != nil || c.Status != "passed" {
				t.Errorf("JUnit case %q status %q", c.Name, c.Status)
			}
			if c.Classname != s.Name || c.Time > s.Time {
				t.Errorf("JUnit case %q: classname %q (suite %q), time %v (suite %v)", c.Name, c.Classname, s.Name, c.Time, s.Time)
			}
		}
	}
	if ju.Tests != r.Counts.Scenarios || cases != r.Counts.Scenarios || ju.Failures != 0 {
		t.Errorf("JUnit: tests=%d cases=%d failures=%d, report has %d scenarios", ju.Tests, cases, ju.Failures, r.Counts.Scenarios)
	}

	b, err = os.ReadFile(cuke)
	if err != nil {
		t.Fatal(err)
	}
	var feats []struct {
		URI      string `json:"uri"`
		Elements []struct {
			Name  string `json:"name"`
			Steps []struct {
				Result struct{ Status string } `json:"result"`
			} `json:"steps"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(b, &feats); err != nil {
		t.Fatalf("cucumber JSON does not parse: %v", err)
	}
	elems := 0
	for _, f := range feats {
		for _, e := range f.Elements {
			elems++
			for _, s := range e.Steps {
				if s.Result.Status != "passed" {
					t.Errorf("cucumber %s / %s: step %s", f.URI, e.Name, s.Result.Status)
				}
			}
		}
	}
	if len(feats) != len(wantAreas) || elems != r.Counts.Scenarios {
		t.Errorf("cucumber: %d features, %d scenarios; want %d, %d", len(feats), elems, len(wantAreas), r.Counts.Scenarios)
	}
	if !strings.Contains(stdout.String(), "Conformance: SUCCESS") {
		t.Errorf("no summary on stdout:\n%s", stdout.String())
	}
}

// startRegistryProcess builds hookcheck and starts "hookcheck registry" as a
// separate process with args; it returns the registry's URL.
func startRegistryProcess(t *testing.T, args ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hookcheck")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"registry", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "registry listening on "); ok {
				urls <- strings.TrimSpace(u)
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case u := <-urls:
		return u
	case <-time.After(30 * time.Second):
		t.Fatalf("registry did not print its URL; stderr:\n%s", stderr.String())
	}
	return ""
}

// TestConformanceSeparateRegistry runs the suite against "hookcheck
// registry" started as its own process, with the same scaled timing.
func TestConformanceSeparateRegistry(t *testing.T) {
	const id, secret = "APP-SEPARATEPROCESS1", "separate-process-secret-0123456789"
	timingFlags := []string{"--window", "200ms", "--retry-base", "200ms", "--max-attempts", "4", "--callback-timeout", "150ms"}
	url := startRegistryProcess(t, append([]string{"--client-id", id, "--client-secret", secret, "--retry", "doubling"}, timingFlags...)...)
	dir := t.TempDir()
	report, junit, cuke := filepath.Join(dir, "r.json"), filepath.Join(dir, "j.xml"), filepath.Join(dir, "c.json")
	var stdout, stderr bytes.Buffer
	args := append([]string{"conformance", "--target", url, "--client-id", id, "--client-secret", secret,
		"--tolerance", "100ms", "--format", "pretty", "--no-colors", "--report", report, "--junit", junit, "--cucumber", cuke}, timingFlags...)
	if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	r := readReport(t, report)
	t.Logf("hookcheck registry as a process: %s, %d scenarios, %d passed, %d skipped, %d failed; %d facts proven", r.Result, r.Counts.Scenarios, r.Counts.Passed, r.Counts.Skipped, r.Counts.Failed, len(r.Facts.Proven))
	if r.Result != "success" || r.Target.Kind != "url" || r.Target.URL != url || !strings.HasPrefix(r.Target.Version, "hookcheck-registry/") ||
		r.Counts.Passed != r.Counts.Scenarios || r.Counts.Scenarios < 30 {
		t.Errorf("report: result %s target %+v counts %+v failed %v skipped %v", r.Result, r.Target, r.Counts, r.Failed, r.Skipped)
	}
	for name, text := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
		if strings.Contains(text, secret) {
			t.Errorf("the client secret appears on %s", name)
		}
	}
	for _, p := range []string{report, junit, cuke} {
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secret)) {
			t.Errorf("the client secret appears in %s", filepath.Base(p))
		}
	}
}

// TestConformanceExitCodes checks usage, configuration and reachability
// failures, each before any scenario runs.
func TestConformanceExitCodes(t *testing.T) {
	t.Setenv("HOOKCHECK_CLIENT_ID", "")
	t.Setenv("HOOKCHECK_CLIENT_SECRET", "")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown profile", []string{"--profile", "orcid-1999"}, exitUsage, "unknown profile"},
		{"bad format", []string{"--format", "dots"}, exitUsage, "--format"},
		{"zero request timeout", []string{"--request-timeout", "0s"}, exitUsage, "--request-timeout must be positive"},
		{"negative connect timeout", []string{"--connect-timeout", "-1s"}, exitUsage, "--connect-timeout must be positive"},
		{"bad target", []string{"--target", "ftp://example.org"}, exitUsage, "--target"},
		{"no credentials", []string{"--target", "http://127.0.0.1:1"}, exitUsage, "client credentials"},
		{"unreachable", []string{"--target", "http://127.0.0.1:1", "--client-id", "x", "--client-secret", "y", "--connect-timeout", "2s"}, exitUnreachable, "unreachable"},
		{"bad flag", []string{"--no-such-flag"}, exitUsage, "no-such-flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := run(context.Background(), append([]string{"conformance"}, tt.args...), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("stderr %q does not mention %q", stderr.String(), tt.msg)
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}
}

// TestConformanceBadCredentials: a reachable target refusing the client is
// a configuration error, and the secret is not printed.
func TestConformanceBadCredentials(t *testing.T) {
	url := startRegistryProcess(t, "--client-id", "APP-GOOD", "--client-secret", "good-secret-value")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"conformance", "--target", url, "--client-id", "APP-GOOD", "--client-secret", "wrong-secret-value"}, &stdout, &stderr)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s", code, exitUsage, stderr.String())
	}
	if !strings.Contains(stderr.String(), "invalid_client") || strings.Contains(stderr.String()+stdout.String(), "wrong-secret-value") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// TestMainJob checks that the main job runs every step and returns the
// first failure.
func TestMainJob(t *testing.T) {
	if mainJob == nil || len(mainJobSteps) == 0 || mainJobSteps[0].name != "conformance" {
		t.Fatal("the main job must start with the conformance suite")
	}
	saved := mainJobSteps
	defer func() { mainJobSteps = saved }()
	tests := []struct {
		codes []int
		want  int
	}{
		{[]int{0, 0}, exitOK},
		{[]int{1, 0}, exitFail},
		{[]int{0, 3}, exitUnreachable},
		{[]int{2, 1}, exitUsage},
	}
	for _, tt := range tests {
		ran := 0
		mainJobSteps = nil
		for i, c := range tt.codes {
			mainJobSteps = append(mainJobSteps, mainJobStep{name: string(rune('a' + i)), run: func(context.Context, io.Writer, io.Writer) int { ran++; return c }})
		}
		if got := runMainJob(context.Background(), io.Discard, io.Discard); got != tt.want || ran != len(tt.codes) {
			t.Errorf("codes %v: exit %d after %d steps, want %d after %d", tt.codes, got, ran, tt.want, len(tt.codes))
		}
	}
}
