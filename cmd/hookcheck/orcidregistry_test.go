package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/report"
)

// TestConformanceORCIDRegistry runs hookcheck conformance against the
// embedded registry behaving as ORCID's code: under --profile
// orcid-registry (which picks that behaviour) it passes, its report holding
// the linear schedule observed, per retry scenario and for the run; under
// --profile orcid --target-behaviour orcid-registry it fails RET-03, saying
// this is ORCID's own code's schedule and the docs say doubling.
func TestConformanceORCIDRegistry(t *testing.T) {
	dir := t.TempDir()
	rep := filepath.Join(dir, "report.json")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"conformance", "--profile", "orcid-registry", "--format", "progress", "--no-colors", "--report", rep}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("--profile orcid-registry: exit %d, want 0\n%s%s", code, stdout.String(), stderr.String())
	}
	b := readValid(t, report.SchemaConformance, rep)
	var r struct {
		Profile  string `json:"profile"`
		Observed *struct {
			Retry struct {
				Kind string `json:"kind"`
				Gaps int    `json:"gaps"`
			} `json:"retry"`
		} `json:"observed"`
		Scenarios []struct {
			ID       string `json:"id"`
			Status   string `json:"status"`
			Observed *struct {
				Kind string `json:"kind"`
			} `json:"observed"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Observed == nil || r.Observed.Retry.Gaps == 0 {
		t.Errorf("report observed %+v, want the fitted retry schedule", r.Observed)
	}
	found := false
	for _, sc := range r.Scenarios {
		if sc.ID == "RET-11" {
			found = true
			// judged gap by gap: one dispatcher run's delay among three
			// gaps may make the fit name another kind, so only its
			// presence is required
			if sc.Status != "passed" || sc.Observed == nil || sc.Observed.Kind == "" {
				t.Errorf("RET-11 %s, observed %+v: want passed, with the fitted schedule", sc.Status, sc.Observed)
			}
		}
	}
	if !found {
		t.Errorf("RET-11 is not in the report of profile %s", r.Profile)
	}

	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"conformance", "--profile", "orcid", "--target-behaviour", "orcid-registry", "--format", "progress", "--no-colors", "--tags", "@core && @retry"}, &stdout, &stderr)
	out := stdout.String() + stderr.String()
	if code != exitFail {
		t.Fatalf("--profile orcid against ORCID's code: exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{"RET-03", "this is the schedule of ORCID's own code (profile orcid-registry", "ORCID's docs say doubling"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q\n%s", want, out)
		}
	}
}

// TestConformanceSeparateORCIDRegistry: hookcheck registry --behaviour
// orcid-registry, its own process, passes conformance --profile
// orcid-registry declared with the same scaled timing, RET-11 and BAT-03
// among the scenarios it passed.
func TestConformanceSeparateORCIDRegistry(t *testing.T) {
	const id, secret = "APP-SEPARATEORCIDREG", "separate-orcid-registry-secret-0123"
	timingFlags := []string{"--window", "200ms", "--max-attempts", "4", "--callback-timeout", "150ms"}
	url := startRegistryProcess(t, append([]string{"--client-id", id, "--client-secret", secret, "--behaviour", "orcid-registry"}, timingFlags...)...)
	rep := filepath.Join(t.TempDir(), "r.json")
	var stdout, stderr bytes.Buffer
	args := append([]string{"conformance", "--target", url, "--client-id", id, "--client-secret", secret, "--profile", "orcid-registry",
		"--retry-base", "400ms", "--tolerance", "100ms", "--format", "progress", "--no-colors", "--report", rep}, timingFlags...)
	if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	r := readReport(t, rep)
	passed := map[string]bool{}
	for _, sc := range r.Scenarios {
		passed[sc.ID] = sc.Status == "passed"
	}
	for _, id := range []string{"BAT-03", "RET-11", "RET-12"} {
		if !passed[id] {
			t.Errorf("%s did not pass (report scenarios %v)", id, r.Scenarios)
		}
	}
}

// TestLoadJudgedByItsProfile: load judges a registry behaving as ORCID's
// code by the profile it is given, the merge of its shard by the same one
// (read back from the shard), and the docs' profile fails its schedule.
func TestLoadJudgedByItsProfile(t *testing.T) {
	const id, secret = "APP-LOADORCIDREG", "load-orcid-registry-secret-0123"
	timingFlags := []string{"--window", "200ms", "--max-attempts", "4", "--callback-timeout", "150ms", "--retry-base", "400ms"}
	url := startRegistryProcess(t, append([]string{"--client-id", id, "--client-secret", secret, "--behaviour", "orcid-registry"}, timingFlags...)...)
	dir := t.TempDir()
	for _, tt := range []struct {
		profile, schedule string
		code              int
	}{
		{"orcid-registry", "ok   retry schedule   15 retry gaps fit ", exitOK},
		{"orcid", "FAIL retry schedule", exitFail},
	} {
		t.Run(tt.profile, func(t *testing.T) {
			out := filepath.Join(dir, tt.profile+".json")
			args := append([]string{"load", "--target", url, "--client-id", id, "--client-secret", secret, "--profile", tt.profile,
				"--records", "50", "--rate", "50", "--duration", "1s", "--tolerance", "100ms", "--event-key", "header:X-Event-Id", "--quiet", "--json", out}, timingFlags...)
			var live, merged bytes.Buffer
			if code := run(context.Background(), args, &live, &live); code != tt.code {
				t.Fatalf("load exit %d, want %d\n%s", code, tt.code, live.String())
			}
			if code := run(context.Background(), []string{"load", "merge", out}, &merged, &merged); code != tt.code {
				t.Fatalf("merge exit %d, want %d\n%s", code, tt.code, merged.String())
			}
			for name, text := range map[string]string{"load": live.String(), "merge": merged.String()} {
				for _, want := range []string{tt.schedule, "told apart by header:X-Event-Id"} {
					if !strings.Contains(text, want) {
						t.Errorf("%s does not say %q:\n%s", name, want, text)
					}
				}
			}
			if s := readSummary(t, out); !strings.HasPrefix(s.Profile, tt.profile+" with --window 200ms") {
				t.Errorf("the report names profile %q", s.Profile)
			}
			if tt.code == exitOK && !strings.Contains(live.String(), "after the end of the failed call") {
				t.Errorf("the schedule was not judged as ORCID's code's (from the end of the failed call):\n%s", live.String())
			}
		})
	}
}
