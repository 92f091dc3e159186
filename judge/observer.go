package judge

import (
	"sync"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// Observer gathers what a conformance run observed across its scenarios —
// retry sequences, the spacing of deliveries, change → notification
// latency — so that its report states the observed schedule, pass or fail.
// Safe for concurrent use; the zero value is ready.
type Observer struct {
	mu sync.Mutex
	r  Report
}

// Retries adds one retry sequence's gaps (gap n follows the n-th
// consecutive failure) and returns that sequence's own fit.
func (o *Observer) Retries(gaps []time.Duration) Fit {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(gaps) > 0 {
		o.r.Sequences++
	}
	for i, g := range gaps {
		o.r.RetryGaps++
		o.r.addGap(i+1, g)
	}
	return sequence(gaps).RetryFit()
}

// Deliveries adds the spacing of consecutive calls on one callback.
func (o *Observer) Deliveries(calls []receiver.Observation) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := 1; i < len(calls); i++ {
		o.r.Spacing.Add(calls[i].At.Sub(calls[i-1].At))
	}
}

// Latency adds, for each change, the time to the first call at or after it.
func (o *Observer) Latency(changes []time.Time, calls []receiver.Observation) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.r.ChangesKnown = true
	for _, c := range changes {
		for _, call := range calls {
			if !call.At.Before(c) {
				o.r.Latency.Add(call.At.Sub(c))
				break
			}
		}
	}
}

// Observed is what the scenarios showed; nil when they observed nothing.
func (o *Observer) Observed() *Observed {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.r.RetryGaps == 0 && o.r.Spacing.Count() == 0 && o.r.Latency.Count() == 0 {
		return nil
	}
	obs := o.r.Observed()
	return &obs
}
