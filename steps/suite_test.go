package steps

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
)

// runEmbedded runs the suite for profile against an embedded registry
// whose configuration mutate may change (to plant a defect).
func runEmbedded(t *testing.T, profile string, mutate func(*registry.Config), tt *testing.T) (*report.Result, string) {
	t.Helper()
	p := profileForTest(t, profile)
	declared := target.EmbeddedTiming(p.Timing())
	rc := target.RegistryConfig(declared)
	if mutate != nil {
		mutate(&rc)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	target, err := target.StartEmbedded(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	var out bytes.Buffer
	res, err := Run(ctx, Config{
		Target: target, Profile: p, Timing: declared,
		Console: Console{Concurrency: 8, Format: "progress", Output: &out, NoColors: true, TestingT: tt},
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return res, out.String()
}

// TestSuiteEmbedded runs every scenario of each profile against the
// reference registry configured as the profile says; each scenario is a
// subtest.
func TestSuiteEmbedded(t *testing.T) {
	for _, profile := range []string{"orcid", "orcid-2013"} {
		t.Run(profile, func(t *testing.T) {
			res, out := runEmbedded(t, profile, nil, t)
			if res.Verdict != report.VerdictSuccess || res.Counts.Passed != res.Counts.Scenarios || res.Counts.Scenarios < 30 {
				t.Fatalf("verdict %s, counts %+v, failed %v\n%s", res.Verdict, res.Counts, res.Failed(), out)
			}
			want := "RET-03" // doubling for orcid, fixed (RET-04) for orcid-2013
			other := "RET-04"
			if profile == "orcid-2013" {
				want, other = other, want
			}
			sc, ok := res.Scenario(want)
			if !ok {
				t.Errorf("profile %s did not run %s", profile, want)
			}
			// A passing run states what it observed: per retry scenario and
			// for the whole run.
			wantKind := map[string]timing.Kind{"orcid": timing.Geometric, "orcid-2013": timing.Fixed}[profile]
			if sc.Observed == nil || sc.Observed.Kind != wantKind {
				t.Errorf("%s observed %+v, want %s", want, sc.Observed, wantKind)
			}
			if o := res.Observed; o == nil || o.Retry.Gaps == 0 || o.Spacing.N == 0 || o.Latency.N == 0 {
				t.Errorf("run observed %+v", o)
			} else {
				t.Logf("observed: retry %s; spacing p50 %s; latency p50 %s", o.Retry, o.Spacing.P50, o.Latency.P50)
			}
			if _, ok := res.Scenario(other); ok {
				t.Errorf("profile %s ran %s, which belongs to the other profile", profile, other)
			}
		})
	}
}

// TestNegativeControls plants one defect at a time in the registry and
// checks that exactly the scenarios about it fail, naming the defect.
func TestNegativeControls(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*registry.Config)
		failed  []string
		message map[string][]string // scenario → substrings of its failure message
	}{
		{
			name:    "retry linear",
			mutate:  func(c *registry.Config) { c.Timing.Retry.Kind = timing.Linear },
			failed:  []string{"RET-03"},
			message: map[string][]string{"RET-03": {"expected doubling from 200ms", "observed linear ", "ms·n (gaps", "schedule of ORCID's own code", "ORCID's docs say doubling"}},
		},
		{
			name:    "retry fixed",
			mutate:  func(c *registry.Config) { c.Timing.Retry.Kind = timing.Fixed },
			failed:  []string{"RET-03", "RET-06"}, // RET-06 waits for the second retry delay
			message: map[string][]string{"RET-03": {"expected doubling from 200ms", "observed ", "gap 2 is 2"}},
		},
		{
			name:   "never batches",
			mutate: func(c *registry.Config) { c.Timing.Window = 0 },
			failed: []string{"BAT-01", "BAT-02"},
			message: map[string][]string{
				"BAT-01": {"expected no further call", "after call #1"},
				"BAT-02": {"batching on", "at least 100ms apart"},
			},
		},
		{
			name:   "200 instead of 201",
			mutate: func(c *registry.Config) { c.AnswerCreatedWith200 = true },
			failed: []string{
				"ACC-19-deactivated", "ACC-19-deprecated", "ACC-19-locked",
				"ACC-22-ftp", "ACC-22-javascript", "ACC-22-long", "ACC-22-mailto", "ACC-22-portname", "ACC-22-twoports", "ACC-22-unreachable",
				"ERR-04", "REG-01", "REG-02", "REG-04", "REG-05", "REG-06", "RET-07", "UNR-03",
			},
			message: map[string][]string{
				"REG-01": {"expected 201 Created, got 200"},
				"REG-04": {"expected 201 Created, got 200"},
				"UNR-03": {"expected 201 Created, got 200"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, out := runEmbedded(t, "orcid", tt.mutate, nil)
			if got := res.Failed(); !slices.Equal(got, tt.failed) {
				t.Fatalf("failed scenarios = %v, want %v\n%s", got, tt.failed, out)
			}
			if res.Verdict != report.VerdictFailure {
				t.Errorf("verdict = %s, want failure", res.Verdict)
			}
			for id, subs := range tt.message {
				sr, _ := res.Scenario(id)
				for _, sub := range subs {
					if !strings.Contains(sr.Message, sub) {
						t.Errorf("%s message %q does not contain %q", id, sr.Message, sub)
					}
				}
			}
		})
	}
}

// ProfileForTest looks up a profile or fails the test.
func profileForTest(t *testing.T, name string) judge.Profile {
	t.Helper()
	p, err := judge.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
