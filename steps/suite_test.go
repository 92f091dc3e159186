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

// runTarget runs the suite for profile as hookcheck conformance does: the
// profile scaled for the embedded target, which target.Open starts with
// the registry behaving as behaviour.
func runTarget(t *testing.T, profile string, behaviour registry.Behaviour) (*report.Result, string) {
	t.Helper()
	p := profileForTest(t, profile)
	p = judge.WithTiming(p, target.EmbeddedTiming(p.Timing()))
	declared := p.Timing()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tgt, err := target.Open(ctx, target.Spec{Target: "embedded", Behaviour: behaviour}, declared)
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	var out bytes.Buffer
	res, err := Run(ctx, Config{
		Target: tgt, Profile: p, Timing: declared,
		Console: Console{Concurrency: 8, Format: "progress", Output: &out, NoColors: true},
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return res, out.String()
}

// TestORCIDRegistryTarget: the reference registry behaving as ORCID's code
// passes the orcid-registry profile, its report stating the linear schedule
// it observed; judged by the docs' orcid profile, it fails RET-03 (and
// the other scenarios that await the docs' first delays), the message naming ORCID's own code's schedule and the docs' doubling.
func TestORCIDRegistryTarget(t *testing.T) {
	t.Run("orcid-registry profile", func(t *testing.T) {
		res, out := runTarget(t, "orcid-registry", registry.BehaviourORCIDRegistry)
		if res.Verdict != report.VerdictSuccess || res.Counts.Passed != res.Counts.Scenarios || res.Counts.Scenarios < 30 {
			t.Fatalf("verdict %s, counts %+v, failed %v\n%s", res.Verdict, res.Counts, res.Failed(), out)
		}
		if _, ok := res.Scenario("RET-03"); ok {
			t.Error("RET-03 (the docs' doubling) ran under orcid-registry")
		}
		sc, ok := res.Scenario("RET-11")
		if !ok || sc.Observed == nil || (sc.Observed.Kind != timing.Linear && sc.Observed.Kind != judge.Affine) {
			t.Errorf("RET-11 ran %v, observed %+v; want a linear fit", ok, sc.Observed)
		}
		if o := res.Observed; o == nil || o.Retry.Gaps == 0 || o.Latency.N == 0 {
			t.Errorf("run observed %+v", o)
		} else {
			t.Logf("observed: retry %s; latency p50 %s", o.Retry, o.Latency.P50)
		}
	})
	t.Run("orcid profile", func(t *testing.T) {
		res, out := runTarget(t, "orcid", registry.BehaviourORCIDRegistry)
		// ORCID's code retries first after 10 minutes, the docs after 5:
		// the scenarios that await a retry by the docs' delays fail too,
		// and nothing else does.
		got := res.Failed()
		if !slices.Contains(got, "RET-03") {
			t.Fatalf("failed %v, want RET-03 among them\n%s", got, out)
		}
		for _, id := range got {
			if !strings.HasPrefix(id, "RET-") {
				t.Errorf("%s failed: only retry scenarios may\n%s", id, out)
			}
		}
		t.Logf("failed under orcid: %v", got)
		sr, _ := res.Scenario("RET-03")
		for _, sub := range []string{"expected doubling from 200ms", "this is the schedule of ORCID's own code (profile orcid-registry", "ORCID's docs say doubling"} {
			if !strings.Contains(sr.Message, sub) {
				t.Errorf("RET-03 message %q does not contain %q", sr.Message, sub)
			}
		}
	})
	t.Run("docs behaviour under orcid-registry", func(t *testing.T) {
		// A registry retrying linearly but counting each delay from the
		// start of the failed call, not its end (F094), and sending a
		// change a window after it, not at the next indexing and run
		// (F080): RET-11 and BAT-03 must fail saying so, and nothing else.
		res, out := runTarget(t, "orcid-registry", registry.BehaviourDocs)
		if got := res.Failed(); !slices.Equal(got, []string{"BAT-03", "RET-11"}) {
			t.Fatalf("failed %v, want [BAT-03 RET-11]\n%s", got, out)
		}
		if sr, _ := res.Scenario("BAT-03"); !strings.Contains(sr.Message, "within two dispatcher runs") {
			t.Errorf("BAT-03 message %q does not name the dispatcher runs", sr.Message)
		}
		sr, _ := res.Scenario("RET-11")
		if !strings.Contains(sr.Message, "counted from the start of the failed call, not its end") {
			t.Errorf("RET-11 message %q does not say the delay is counted from the start", sr.Message)
		}
	})
}
