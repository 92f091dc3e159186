package judge

import (
	"fmt"
	"reflect"
)

// maxGapIndex bounds the retry gaps kept per failure count.
const maxGapIndex = 32

// maxExamples bounds the example messages kept per check.
const maxExamples = 5

// maxAttemptsIndex bounds the attempts-per-delivery counts.
const maxAttemptsIndex = 64

// Report holds the figures of a judgement: counts, histograms and a
// bounded set of examples, nothing per call. Reports of shards Merge into
// the report of the whole run; verdicts come from Checks.
type Report struct {
	ChangesKnown bool   `json:"changes_known"`
	Calls        uint64 `json:"calls"`
	Hooks        uint64 `json:"hooks"` // callbacks called or registered
	Changes      uint64 `json:"changes"`
	Failed       uint64 `json:"failed_calls"`       // not a success to the sender: non-2xx, reset, timed out
	NotPOST      uint64 `json:"not_post"`           // calls with another method than the profile's
	NotEmpty     uint64 `json:"not_empty"`          // body empty: a body, or no "Content-Length: 0"
	NotJSON      uint64 `json:"not_json"`           // body json: a body that is not JSON
	NoHeader     uint64 `json:"missing_headers"`    // calls without a header the profile requires
	Redirected   uint64 `json:"redirects_followed"` // calls on the receiver's redirect target
	Covered      uint64 `json:"covered"`            // (change, hook) pairs called in time
	Late         uint64 `json:"late"`               // called, but after the bound
	Lost         uint64 `json:"lost"`               // never called though the bound passed
	Pending      uint64 `json:"pending"`            // bound not yet passed at the end
	Duplicates   uint64 `json:"duplicates"`         // deliveries after a 2xx: no change since, or the same event again
	Batching     uint64 `json:"batching_violations"`
	RetryOff     uint64 `json:"retry_gaps_off"` // retry gaps outside the expected range ± tolerance
	RetryGaps    uint64 `json:"retry_gaps"`
	OverAttempts uint64 `json:"over_max_attempts"` // failure runs longer than the maximum
	Unretried    uint64 `json:"unretried"`         // failures never retried though a retry was due
	RetryDue     uint64 `json:"retry_pending"`     // failures at the end whose retry was not yet due
	FinalStops   uint64 `json:"final_stops"`       // sequences ended by a final code (e.g. 410)
	GivenUp      uint64 `json:"given_up"`          // sequences that reached the maximum
	AfterTimeout uint64 `json:"after_timeout"`     // answered after the sender's timeout
	Overlaps     uint64 `json:"overlapping"`       // failure runs where several events interleave
	NoKey        uint64 `json:"no_event_key"`      // calls without the profile's event key
	Reordered    uint64 `json:"reordered"`         // calls that came too far out of time order
	// Signatures counts calls by verification result (valid, invalid,
	// missing, malformed, stale); empty when the profile does not sign.
	Signatures map[string]uint64 `json:"signatures,omitempty"`
	// Deliveries are the sequences of attempts of one event (first attempt
	// to its 2xx or its end); Delivered of them got a 2xx; Sequences gave
	// retry gaps to the fit.
	Deliveries uint64 `json:"deliveries"`
	Delivered  uint64 `json:"delivered"`
	Sequences  uint64 `json:"retry_sequences"`
	// Attempts[k-1] counts deliveries of k attempts (the last bin: more).
	Attempts []uint64 `json:"attempts,omitempty"`
	// Latency is the time from a change to the first call after it.
	Latency Histogram `json:"latency"`
	// Spacing is the time between the starts of consecutive deliveries on
	// a callback.
	Spacing Histogram `json:"delivery_spacing"`
	// Gaps[n-1] holds the gaps after the n-th consecutive failure.
	Gaps     []Histogram         `json:"gaps"`
	Examples map[string][]string `json:"examples,omitempty"`
}

func (r *Report) example(check, format string, args ...any) {
	if r.Examples == nil {
		r.Examples = map[string][]string{}
	}
	if len(r.Examples[check]) < maxExamples {
		r.Examples[check] = append(r.Examples[check], fmt.Sprintf(format, args...))
	}
}

func (r *Report) addGapHist(n int, h *Histogram) {
	k := min(n, maxGapIndex)
	if len(r.Gaps) < k {
		r.Gaps = append(r.Gaps, make([]Histogram, k-len(r.Gaps))...)
	}
	r.Gaps[k-1].Merge(h)
}

func (r *Report) attempts(k int) {
	k = min(k, maxAttemptsIndex)
	if len(r.Attempts) < k {
		r.Attempts = append(r.Attempts, make([]uint64, k-len(r.Attempts))...)
	}
	r.Attempts[k-1]++
}

// Merge adds a shard's report to r.
func (r *Report) Merge(o *Report) {
	r.ChangesKnown = r.ChangesKnown || o.ChangesKnown
	rv, ov := reflect.ValueOf(r).Elem(), reflect.ValueOf(o).Elem()
	for i := range rv.NumField() {
		if f := rv.Field(i); f.Kind() == reflect.Uint64 {
			f.SetUint(f.Uint() + ov.Field(i).Uint())
		}
	}
	for k, v := range o.Signatures {
		if r.Signatures == nil {
			r.Signatures = map[string]uint64{}
		}
		r.Signatures[k] += v
	}
	if len(r.Attempts) < len(o.Attempts) {
		r.Attempts = append(r.Attempts, make([]uint64, len(o.Attempts)-len(r.Attempts))...)
	}
	for i, v := range o.Attempts {
		r.Attempts[i] += v
	}
	r.Latency.Merge(&o.Latency)
	r.Spacing.Merge(&o.Spacing)
	for i := range o.Gaps {
		r.addGapHist(i+1, &o.Gaps[i])
	}
	for check, ex := range o.Examples {
		for _, e := range ex {
			r.example(check, "%s", e)
		}
	}
}

// RetryFit fits the schedule to every retry gap of the report.
func (r *Report) RetryFit() Fit { return FitGaps(r.Gaps, r.Sequences) }
