package report

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
)

// TestSummaryRoundTrip: a load report follows docs/load.schema.json and
// reads back as the summary written (shards merge what they read), for each
// kind of retry schedule and of pacing the timing and pacing can hold.
func TestSummaryRoundTrip(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		s    Summary
	}{
		{"load, geometric retries, linear ramp", Summary{
			Profile: "orcid", Shards: []string{"0/2"}, Target: "http://127.0.0.1:1", Records: 40, Failing: 7,
			Timing: timing.Timing{Window: 1500 * time.Millisecond, Retry: timing.Retry{Kind: timing.Geometric, Base: 300 * time.Millisecond, Ratio: 1.5, MaxAttempts: 6},
				CallbackTimeout: 2 * time.Second, Tolerance: 123456789},
			Pacing:  Pacing{Shape: "linear", Rate: 250, Ramp: 3 * time.Second, Duration: 10 * time.Second},
			Started: t0, Ended: t0.Add(12*time.Second + 7), Verdict: LoadThreshold, PerWindow: []uint64{0, 3, 9},
			Limits: []Outcome{{Threshold: "p99<1s", OK: false, Detail: "no data"}},
		}},
		{"partial load, listed retries, sine", Summary{
			Profile: "orcid", Partial: true, Shards: []string{"1/3"}, Target: "http://127.0.0.1:2",
			Timing:  timing.Timing{Retry: timing.Retry{Kind: timing.List, Delays: []time.Duration{0, 5 * time.Second, 5 * time.Minute}}},
			Pacing:  Pacing{Shape: "sine", Rate: 80, Period: 4 * time.Second, Amp: 20, Duration: 8 * time.Second},
			Started: t0, Ended: t0.Add(time.Second), Verdict: LoadPartial,
		}},
		{"inconclusive flood (no timing)", Summary{
			Kind: KindFlood, Shards: []string{"0/1"}, Target: "http://127.0.0.1:3/{orcid}",
			Pacing:  Pacing{Shape: "constant", Rate: 1000, Duration: 2 * time.Second},
			Started: t0, Ended: t0.Add(2 * time.Second), Verdict: LoadInconclusive, Behind: "all 2 workers were busy",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			s.Notify = &judge.Report{Calls: 9, Hooks: 3, Gaps: make([]judge.Histogram, 2)}
			for i, d := range []time.Duration{300 * time.Millisecond, 310 * time.Millisecond, 2 * time.Second} {
				s.API.Add(uint16(202+i*100), "", d/100)
				s.Sends.Lateness.Add(d / 1000)
				s.Notify.Latency.Add(d)
				s.Notify.Gaps[i%2].Add(d)
			}
			path := filepath.Join(t.TempDir(), "l.json")
			if err := s.WriteJSON(path); err != nil {
				t.Fatal(err)
			}
			if err := ValidateFile(SchemaLoad, path); err != nil {
				t.Fatal(err)
			}
			got, err := ReadSummary(path)
			if err != nil {
				t.Fatal(err)
			}
			if got.Harness == "" {
				t.Error("no harness version")
			}
			got.Harness = ""
			if !reflect.DeepEqual(got.Timing, s.Timing) || !reflect.DeepEqual(got.Pacing, s.Pacing) {
				t.Errorf("timing %+v pacing %+v, want %+v %+v", got.Timing, got.Pacing, s.Timing, s.Pacing)
			}
			if got.Kind != s.Kind || got.Partial != s.Partial || got.Verdict != s.Verdict || !got.Started.Equal(s.Started) || !got.Ended.Equal(s.Ended) {
				t.Errorf("kind %q partial %v result %q span %s–%s, want %q %v %q", got.Kind, got.Partial, got.Verdict, got.Started, got.Ended, s.Kind, s.Partial, s.Verdict)
			}
			for name, h := range map[string][2]*judge.Histogram{
				"api latency": {&got.API.Latency, &s.API.Latency}, "lateness": {&got.Sends.Lateness, &s.Sends.Lateness},
				"notify latency": {&got.Notify.Latency, &s.Notify.Latency}, "gap 2": {&got.Notify.Gaps[1], &s.Notify.Gaps[1]},
			} {
				g, w := h[0], h[1]
				if g.Count() != w.Count() || g.Min() != w.Min() || g.Max() != w.Max() || g.Quantile(0.99) != w.Quantile(0.99) || g.Mean() != w.Mean() {
					t.Errorf("%s: n %d %s–%s p99 %s mean %s, want %d %s–%s %s %s", name, g.Count(), g.Min(), g.Max(), g.Quantile(0.99), g.Mean(), w.Count(), w.Min(), w.Max(), w.Quantile(0.99), w.Mean())
				}
			}
		})
	}
}
