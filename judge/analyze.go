package judge

import (
	"errors"
	"fmt"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// ErrNothingToJudge is returned for a log with no call, or none a check
// could judge: a usage problem, not a verdict.
var ErrNothingToJudge = errors.New("nothing to judge")

// Analysis is the judgement of a receiver log: what it was judged against,
// the figures, the verdicts and the schedule observed.
type Analysis struct {
	Log       string   `json:"log"`
	Profile   string   `json:"profile"`
	Expected  Expected `json:"expected"`
	Figures   *Report  `json:"figures"`
	Checks    []Check  `json:"checks"`
	Observed  Observed `json:"observed"`
	Passed    bool     `json:"passed"`
	Tolerance string   `json:"tolerance"` // which tolerance applied and where it came from
}

// Expected is the declared side of a judgement, for reports.
type Expected struct {
	Retry    string
	Window   time.Duration
	EventKey string
	Body     BodyKind
	Timeout  time.Duration
}

// Observed is what a run showed whatever its verdicts: the fitted retry
// schedule, the spacing of deliveries on a callback, and change →
// notification latency (when the changes are known).
type Observed struct {
	Retry   Fit       `json:"retry"`
	Spacing Quantiles `json:"delivery_spacing"`
	Latency Quantiles `json:"latency,omitzero"`
}

// Quantiles summarise a histogram for reports.
type Quantiles struct {
	N   uint64
	Min time.Duration
	P50 time.Duration
	P99 time.Duration
	Max time.Duration
}

func quantiles(h *Histogram) Quantiles {
	return Quantiles{N: h.Count(), Min: h.Min(), P50: h.Quantile(0.5), P99: h.Quantile(0.99), Max: h.Max()}
}

// Expect is p's declared side.
func (p Profile) Expect() Expected {
	return Expected{Retry: p.Retry.String(), Window: p.Window, EventKey: p.EventKey.String(), Body: p.Delivery.Body, Timeout: p.Delivery.Timeout}
}

// Observed is what r shows whatever its verdicts.
func (r *Report) Observed() Observed {
	o := Observed{Retry: r.RetryFit(), Spacing: quantiles(&r.Spacing)}
	if r.ChangesKnown {
		o.Latency = quantiles(&r.Latency)
	}
	return o
}

// LogOptions are what judging a log needs beyond the profile.
type LogOptions struct {
	// Signature, when set, re-verifies each call (analyze --secret).
	Signature func(*receiver.Observation) string
}

// AnalyzeLog judges the receiver log at path (hookcheck receiver --log)
// against p, streaming it (a file after its rotated parts, or a directory
// of logs) in memory that does not grow with its length. ErrNothingToJudge (wrapped) means the log held no
// call or nothing any check could judge.
func AnalyzeLog(path string, p Profile, opts LogOptions) (*Analysis, error) {
	j, err := New(Config{Profile: p, Signature: opts.Signature})
	if err != nil {
		return nil, err
	}
	err = receiver.ReadLogs(path, func(o receiver.Observation) error { j.Observe(o); return nil })
	if err != nil {
		return nil, err
	}
	r := j.Finish(time.Time{})
	if r.Calls == 0 {
		return nil, fmt.Errorf("%s holds no calls: %w", path, ErrNothingToJudge)
	}
	a := &Analysis{Log: path, Profile: p.Name, Expected: p.Expect(), Figures: r, Checks: r.Checks(p), Observed: r.Observed(), Tolerance: p.Tolerance.String()}
	a.Passed = Passed(a.Checks)
	if !a.Passed && !anyJudged(a.Checks) {
		return a, fmt.Errorf("%s: %d calls, but every check was skipped: %w", path, r.Calls, ErrNothingToJudge)
	}
	return a, nil
}

func anyJudged(cs []Check) bool {
	for _, c := range cs {
		if c.Result != Skip {
			return true
		}
	}
	return false
}
