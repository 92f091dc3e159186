package loadgen

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

// floodSummary is a flood of 1,000 sends at 1,000/s: sent of them sent,
// each late by lateness and answered 204 in latency.
func floodSummary(sent uint64, lateness, latency time.Duration) *report.Summary {
	s := &report.Summary{Kind: report.KindFlood, Pacing: report.Pacing{Shape: "constant", Rate: 1000, Duration: time.Second}, Notify: &judge.Report{}}
	s.Sends.Planned, s.Sends.Sent, s.Sends.Dropped, s.Sends.Workers = 1000, sent, 1000-sent, 64
	for range sent {
		s.Sends.Lateness.Add(lateness)
		s.API.Add(204, "", latency)
	}
	return s
}

// saturated marks every worker of s busy when 100 sends came due.
func saturated(s *report.Summary) *report.Summary {
	s.Sends.PeakInFlight, s.Sends.Waited = int64(s.Sends.Workers), 100
	return s
}

func TestJudgeIsInconclusiveWhenTheGeneratorFellBehind(t *testing.T) {
	tests := []struct {
		name    string
		s       *report.Summary
		limits  []string
		verdict string
		says    string // in the verdict line
	}{
		{"kept up", floodSummary(1000, time.Millisecond, time.Millisecond), []string{"p99<50ms"}, report.LoadPass, "PASS —"},
		{"sends dropped", floodSummary(900, time.Millisecond, time.Millisecond), []string{"p99<50ms"}, report.LoadInconclusive, report.InconclusiveText},
		// LateBound(1000/s) is 50 ms
		{"sends late", floodSummary(1000, 80*time.Millisecond, time.Millisecond), nil, report.LoadInconclusive, report.InconclusiveText},
		// within LateBound, but later than the latency judged
		{"sends later than a latency threshold", floodSummary(1000, 5*time.Millisecond, time.Millisecond), []string{"p99<4ms"}, report.LoadInconclusive, report.InconclusiveText},
		{"a threshold failed, sends on time", floodSummary(1000, time.Millisecond, 80*time.Millisecond), []string{"p99<50ms"}, report.LoadThreshold, "FAIL — p99<50ms"},
		// workers free yet sends dropped: this machine set the pace, so
		// the failure is no evidence either
		{"a threshold failed, sends dropped by this machine", floodSummary(900, time.Millisecond, 80*time.Millisecond), []string{"p99<50ms"}, report.LoadInconclusive, "failed as well: p99<50ms"},
		// every worker busy waiting on the target: its slowness held the
		// sends back, and what it did answer is real evidence
		{"a threshold failed, sends held back by the target", saturated(floodSummary(900, time.Millisecond, 80*time.Millisecond)), []string{"p99<50ms"}, report.LoadThreshold, "FAIL — p99<50ms"},
		{"passed, sends held back by the target", saturated(floodSummary(900, time.Millisecond, time.Millisecond)), []string{"p99<50ms"}, report.LoadInconclusive, report.InconclusiveText},
		{"interrupted", func() *report.Summary {
			s := floodSummary(500, time.Millisecond, time.Millisecond)
			s.Partial = true
			return s
		}(), nil, report.LoadPartial, "PARTIAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Judge(tt.s, mustThresholds(t, tt.limits...))
			if tt.s.Verdict != tt.verdict {
				t.Fatalf("verdict %q (%s), want %q", tt.s.Verdict, tt.s.Behind, tt.verdict)
			}
			if line := tt.s.VerdictLine(); !strings.Contains(line, tt.says) {
				t.Errorf("verdict line %q does not say %q", line, tt.says)
			}
			if tt.verdict == report.LoadInconclusive && tt.s.Behind == "" {
				t.Errorf("verdict %s with no reason", tt.s.Verdict)
			}
		})
	}
}

func TestLatenessBound(t *testing.T) {
	tests := []struct {
		rate   float64
		limits []string
		want   time.Duration
	}{
		{100, nil, 100 * time.Millisecond},   // ten intervals
		{20_000, nil, 50 * time.Millisecond}, // at least 50 ms
		{1, nil, time.Second},                // at most 1 s
		{100, []string{"p99<20ms", "notify_p99<1ms", "success>=99%"}, 20 * time.Millisecond},
		{100, []string{"p50>1ms"}, 100 * time.Millisecond}, // a lower bound hides nothing
	}
	for _, tt := range tests {
		if got := LatenessBound(tt.rate, mustThresholds(t, tt.limits...)); got != tt.want {
			t.Errorf("LatenessBound(%v, %v) = %s, want %s", tt.rate, tt.limits, got, tt.want)
		}
	}
}

// A receiver slower than the pool allows: 2 workers, 20 ms per answer, so
// at most ~100 of the 200 planned notifications per second can leave.
func TestFloodOfASlowReceiverWithTooFewWorkersIsInconclusive(t *testing.T) {
	srv := newCountingServer(t, 20*time.Millisecond)
	s, _, err := Flood(context.Background(), FloodConfig{Target: srv.URL, Callbacks: []string{srv.URL + "/cb"}, Timeout: time.Second, Workers: 2,
		Pacing: Pacing{Shape: "constant", Rate: 200, Duration: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	Judge(s, mustThresholds(t, "success>=99.9%", "p99<500ms"))
	if s.Verdict != report.LoadInconclusive || !strings.Contains(s.Behind, "all 2 workers were busy") {
		t.Fatalf("verdict %q: %s", s.Verdict, s.Behind)
	}
	if srv.peak.Load() > 2 {
		t.Errorf("%d notifications at once from 2 workers", srv.peak.Load())
	}
}

// TestEmbeddedRegistryLagMakesALoadInconclusive: with the embedded
// registry the sender runs in this process, so a failure while it started
// calls later than half the tolerance measures the machine; a pass stands,
// and so does a failure while the registry kept its schedule.
func TestEmbeddedRegistryLagMakesALoadInconclusive(t *testing.T) {
	load := func(lost uint64, lag *report.RegistryLag, held bool) *report.Summary {
		s := &report.Summary{Shards: []string{"0/1"}, Profile: "orcid", Timing: testTiming, Pacing: report.Pacing{Shape: "constant", Rate: 1000, Duration: time.Second},
			Notify: &judge.Report{ChangesKnown: true, Changes: 1000, Covered: 1000 - lost, Lost: lost, Calls: 1000 - lost}, RegistryLag: lag}
		s.Sends.Planned, s.Sends.Sent, s.Sends.Workers = 1000, 1000, 64
		for range 1000 {
			s.Sends.Lateness.Add(time.Millisecond)
			s.API.Add(202, "", time.Millisecond)
		}
		if held { // every worker waited on the target, and sends were dropped
			s.Sends.Sent, s.Sends.Dropped = 900, 100
			saturated(s)
		}
		return s
	}
	lagging := &report.RegistryLag{Calls: 1000, Late: 40, BoundS: 0.125, WorstS: 0.31}
	kept := &report.RegistryLag{Calls: 1000, BoundS: 0.125, WorstS: 0.02}
	tests := []struct {
		name    string
		s       *report.Summary
		verdict string
		says    string
	}{
		{"lost while the registry lagged", load(30, lagging, false), report.LoadInconclusive, "the embedded registry, which runs in this process, started 40 of its 1000 calls more than 125ms after they were due (the latest 310ms late)"},
		{"lost while the registry kept its schedule", load(30, kept, false), report.LoadFail, ""},
		{"passed while the registry lagged", load(0, lagging, false), report.LoadPass, ""},
		{"a URL target is judged as before", load(30, nil, false), report.LoadFail, ""},
		{"embedded, sends held back by its slowness", load(30, kept, true), report.LoadInconclusive, "all 64 workers were busy when 100 sends were due, waiting on the embedded registry, which runs in this process: this machine is saturated"},
		{"a URL target, sends held back by its slowness", load(30, nil, true), report.LoadFail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Judge(tt.s, nil)
			if tt.s.Verdict != tt.verdict || !strings.Contains(tt.s.Behind, tt.says) {
				t.Errorf("verdict %q, reason %q; want %q saying %q", tt.s.Verdict, tt.s.Behind, tt.verdict, tt.says)
			}
		})
	}
}
