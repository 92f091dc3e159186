package steps

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
)

// TestSkipsWithReasons runs the access and retry areas against a target
// that offers no second client (its control API hidden) with a wait budget
// too small for max attempts: those scenarios, and those that set the
// target up through the control API, are skipped with reasons, and the
// access area is partial because a core scenario was skipped.
func TestSkipsWithReasons(t *testing.T) {
	p := profileForTest(t, "orcid")
	declared := target.EmbeddedTiming(p.Timing())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	target, err := target.StartEmbedded(ctx, target.RegistryConfig(declared))
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	target.Info = nil // as a deployment without the control API looks
	var out, progress bytes.Buffer
	res, err := Run(ctx, Config{
		Target: target, Profile: p, Timing: declared, MaxWait: 2 * time.Second,
		Console:  Console{Concurrency: 8, Tags: "@access,@retry", Format: "progress", Output: &out, NoColors: true},
		Progress: &progress, ProgressMin: 300 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	var skipped []string
	for _, s := range res.Scenarios {
		if s.Status == report.StatusSkipped {
			skipped = append(skipped, s.ID)
		}
	}
	control := []string{"ACC-15", "ACC-16-expired", "ACC-16-revoked", "ACC-17", "ACC-18", "ACC-19-deactivated", "ACC-19-deprecated", "ACC-19-locked"}
	if want := slices.Concat([]string{"ACC-04", "ACC-07"}, control, []string{"RET-05"}); !slices.Equal(skipped, want) {
		t.Fatalf("skipped %v, want %v\n%s", skipped, want, out.String())
	}
	reasons := map[string]string{"ACC-04": "no second member client", "ACC-07": "no second member client", "RET-05": "more than --max-wait 2s"}
	for _, id := range control {
		reasons[id] = "needs the reference registry's control API (/_hookcheck/), which this target does not serve"
	}
	for id, sub := range reasons {
		if s, _ := res.Scenario(id); !strings.Contains(s.Message, sub) {
			t.Errorf("%s skip reason %q does not say %q", id, s.Message, sub)
		}
	}
	if len(res.Failed()) != 0 || res.Verdict != report.VerdictPartial {
		t.Errorf("verdict %s, failed %v; want partial with no failure", res.Verdict, res.Failed())
	}
	for _, a := range res.Areas {
		want := map[string]string{"access": report.VerdictPartial, "retry": report.VerdictSuccess}[a.Area]
		if a.Result != want {
			t.Errorf("area %s: %s, want %s", a.Area, a.Result, want)
		}
	}
}

// TestProgress checks that a long wait reports what it waits for, the time
// elapsed and the deadline.
func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	s := &scenario{id: "XYZ-01", suite: &suite{cfg: Config{Progress: &buf, ProgressMin: 40 * time.Millisecond}}}
	if err := s.sleepUntil(context.Background(), time.Now().Add(150*time.Millisecond), "the thing"); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if !strings.Contains(got, "[XYZ-01] waiting for the thing:") || !strings.Contains(got, "elapsed, deadline") {
		t.Errorf("progress output %q", got)
	}
	buf.Reset()
	_ = s.sleepUntil(context.Background(), time.Now().Add(20*time.Millisecond), "a short thing")
	if buf.Len() != 0 {
		t.Errorf("a short wait printed %q", buf.String())
	}
}
