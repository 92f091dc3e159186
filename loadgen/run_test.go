package loadgen

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/report"
)

var testTiming = timing.Timing{
	Window:          300 * time.Millisecond,
	Retry:           timing.Retry{Kind: timing.Doubling, Base: 300 * time.Millisecond, MaxAttempts: 25},
	CallbackTimeout: time.Second,
	Tolerance:       150 * time.Millisecond,
}

func startRegistry(t *testing.T, kind timing.Kind) string {
	t.Helper()
	tm := testTiming
	tm.Retry.Kind = kind
	srv, err := registry.Listen(context.Background(), "127.0.0.1:0", registry.Config{
		Timing: tm, Clients: []registry.Client{{ID: "APP-LOAD", Secret: "load-secret"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.URL()
}

func loadConfig(target string, shard Shard) Config {
	return Config{
		Target: target, ClientID: "APP-LOAD", ClientSecret: "load-secret", Control: true,
		NRecords: 200, Pacing: Pacing{Shape: "constant", Rate: 200, Duration: 2 * time.Second},
		Shard: shard, FailRatio: 0.1, FailScript: "500,500,204", Timing: testTiming,
	}
}

func checks(s *report.Summary) map[string]bool {
	out := map[string]bool{}
	for _, c := range s.Checks {
		out[c.Name] = !c.Failed()
	}
	return out
}

func TestLoadAgainstTheReferenceRegistry(t *testing.T) {
	cfg := loadConfig(startRegistry(t, timing.Doubling), Shard{})
	cfg.KeepResults = true
	s, results, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checksOK, limitsOK := Judge(s, mustThresholds(t, "lost==0", "success>=100%", "notify_p99<2s"))
	if !checksOK || !limitsOK {
		t.Fatalf("checks %+v\nthresholds %+v", s.Checks, s.Limits)
	}
	n := s.Notify
	if s.Failing != 20 || n.RetryGaps != 40 || n.Lost != 0 || n.Changes != s.API.OK || n.Changes < 390 || s.Sends.Sent != s.Sends.Planned {
		t.Fatalf("failing %d, gaps %d, lost %d, changes %d (2xx %d), sent %d of %d", s.Failing, n.RetryGaps, n.Lost, n.Changes, s.API.OK, s.Sends.Sent, s.Sends.Planned)
	}
	var page bytes.Buffer
	if err := s.WriteHTML(&page, results); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<iframe title=\"latency plot\" srcdoc=", "uPlot", "notifications per 300ms window", "expected doubling from 300ms", "lost 0"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if len(results) != int(s.Sends.Sent) {
		t.Errorf("%d results kept for %d sends", len(results), s.Sends.Sent)
	}
}

func TestTokenTargeter(t *testing.T) {
	target := startRegistry(t, timing.Doubling)
	atk := vegeta.NewAttacker()
	bad := 0
	for r := range atk.Attack(TokenTargeter(target+"/oauth/token", "APP-LOAD", "load-secret"), vegeta.Rate{Freq: 200, Per: time.Second}, 500*time.Millisecond, "token") {
		if r.Code != 200 || !bytes.Contains(r.Body, []byte(`"token_type":"bearer"`)) {
			bad++
		}
	}
	if bad > 0 {
		t.Fatalf("%d token requests not answered 200 with a bearer token", bad)
	}
}

func TestLoadFailsTheRetryVerdictOnLinearRetries(t *testing.T) {
	cfg := loadConfig(startRegistry(t, timing.Linear), Shard{})
	cfg.FailScript = "500,500,500,204" // three gaps tell linear from doubling
	s, _, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ok, _ := Judge(s, nil)
	if ok || checks(s)["retry schedule"] {
		t.Fatalf("linear retries passed: %+v", s.Checks)
	}
	for _, c := range s.Checks {
		if c.Name == "retry schedule" && !strings.Contains(c.Reason, "observed linear") {
			t.Errorf("retry verdict does not name the observed schedule: %s", c.Reason)
		}
	}
}

func TestTwoShardsMergeToOneRun(t *testing.T) {
	whole, _, err := Run(context.Background(), loadConfig(startRegistry(t, timing.Doubling), Shard{}))
	if err != nil {
		t.Fatal(err)
	}
	target := startRegistry(t, timing.Doubling)
	var merged *report.Summary
	for i := range 2 {
		part, _, err := Run(context.Background(), loadConfig(target, Shard{i, 2}))
		if err != nil {
			t.Fatal(err)
		}
		if merged == nil {
			merged = part
		} else if err := merged.Merge(part); err != nil {
			t.Fatal(err)
		}
	}
	wOK, _ := Judge(whole, nil)
	mOK, _ := Judge(merged, nil)
	w, m := whole.Notify, merged.Notify
	if wOK != mOK || !wOK || whole.Records != merged.Records || whole.Failing != merged.Failing ||
		w.Changes != m.Changes || w.Calls != m.Calls || w.RetryGaps != m.RetryGaps || w.Lost != m.Lost || w.Covered != m.Covered {
		t.Fatalf("whole: ok %v records %d failing %d changes %d calls %d gaps %d lost %d covered %d\nmerged: ok %v records %d failing %d changes %d calls %d gaps %d lost %d covered %d",
			wOK, whole.Records, whole.Failing, w.Changes, w.Calls, w.RetryGaps, w.Lost, w.Covered,
			mOK, merged.Records, merged.Failing, m.Changes, m.Calls, m.RetryGaps, m.Lost, m.Covered)
	}
}

func mustThresholds(t *testing.T, specs ...string) []Threshold {
	t.Helper()
	var out []Threshold
	for _, s := range specs {
		th, err := ParseThreshold(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, th)
	}
	return out
}
