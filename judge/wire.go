package judge

import (
	"encoding/json"
	"math"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// Reports carry every duration as a JSON number of seconds, in a field
// whose name ends in _s (docs/*.schema.json say so); these are the wire
// forms of the judge's types that hold durations.

// Seconds is d in seconds, as reports carry it.
func Seconds(d time.Duration) float64 { return d.Seconds() }

// FromSeconds is the duration of s seconds, to the nanosecond.
func FromSeconds(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }

type quantilesJSON struct {
	N   uint64  `json:"n"`
	Min float64 `json:"min_s"`
	P50 float64 `json:"p50_s"`
	P99 float64 `json:"p99_s"`
	Max float64 `json:"max_s"`
}

// MarshalJSON writes the quantiles in seconds.
func (q Quantiles) MarshalJSON() ([]byte, error) {
	return json.Marshal(quantilesJSON{N: q.N, Min: Seconds(q.Min), P50: Seconds(q.P50), P99: Seconds(q.P99), Max: Seconds(q.Max)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (q *Quantiles) UnmarshalJSON(b []byte) error {
	var w quantilesJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*q = Quantiles{N: w.N, Min: FromSeconds(w.Min), P50: FromSeconds(w.P50), P99: FromSeconds(w.P99), Max: FromSeconds(w.Max)}
	return nil
}

type expectedJSON struct {
	Retry    string   `json:"retry"`
	Window   float64  `json:"window_s"`
	EventKey string   `json:"event_key"`
	Body     BodyKind `json:"body"`
	Timeout  float64  `json:"timeout_s"`
}

// MarshalJSON writes the durations in seconds.
func (e Expected) MarshalJSON() ([]byte, error) {
	return json.Marshal(expectedJSON{Retry: e.Retry, Window: Seconds(e.Window), EventKey: e.EventKey, Body: e.Body, Timeout: Seconds(e.Timeout)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (e *Expected) UnmarshalJSON(b []byte) error {
	var w expectedJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = Expected{Retry: w.Retry, Window: FromSeconds(w.Window), EventKey: w.EventKey, Body: w.Body, Timeout: FromSeconds(w.Timeout)}
	return nil
}

type fitJSON struct {
	Kind      timing.Kind `json:"kind"`
	Base      float64     `json:"base_s"`
	Ratio     float64     `json:"ratio,omitempty"`
	Lag       float64     `json:"lag_s"`
	SpreadP50 float64     `json:"spread_p50_s"`
	SpreadP95 float64     `json:"spread_p95_s"`
	Sequences uint64      `json:"sequences"`
	Gaps      uint64      `json:"gaps"`
	Counts    int         `json:"failure_counts"`
	Reason    string      `json:"reason,omitempty"`
	BaseSE    float64     `json:"base_se_s,omitempty"`
	RatioSE   float64     `json:"ratio_se,omitempty"`
	LagSE     float64     `json:"lag_se_s,omitempty"`
}

// MarshalJSON writes the fit with its durations in seconds.
func (f Fit) MarshalJSON() ([]byte, error) {
	return json.Marshal(fitJSON{
		Kind: f.Kind, Base: Seconds(f.Base), Ratio: f.Ratio, Lag: Seconds(f.Lag),
		SpreadP50: Seconds(f.SpreadP50), SpreadP95: Seconds(f.SpreadP95),
		Sequences: f.Sequences, Gaps: f.Gaps, Counts: f.Counts, Reason: f.Reason,
		BaseSE: Seconds(f.BaseSE), RatioSE: f.RatioSE, LagSE: Seconds(f.LagSE),
	})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (f *Fit) UnmarshalJSON(b []byte) error {
	var w fitJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*f = Fit{
		Kind: w.Kind, Base: FromSeconds(w.Base), Ratio: w.Ratio, Lag: FromSeconds(w.Lag),
		SpreadP50: FromSeconds(w.SpreadP50), SpreadP95: FromSeconds(w.SpreadP95),
		Sequences: w.Sequences, Gaps: w.Gaps, Counts: w.Counts, Reason: w.Reason,
		BaseSE: FromSeconds(w.BaseSE), RatioSE: w.RatioSE, LagSE: FromSeconds(w.LagSE),
	}
	return nil
}

// histogramJSON is a histogram's wire form: its figures in seconds, the
// percentiles CI tools read, and the sparse buckets that shards merge by.
type histogramJSON struct {
	N       uint64         `json:"n"`
	Min     float64        `json:"min_s"`
	Mean    float64        `json:"mean_s"`
	P50     float64        `json:"p50_s"`
	P90     float64        `json:"p90_s"`
	P99     float64        `json:"p99_s"`
	Max     float64        `json:"max_s"`
	Sum     float64        `json:"sum_s"`
	Buckets map[int]uint64 `json:"buckets,omitempty"`
}

// MarshalJSON writes the figures, percentiles and non-empty buckets.
func (h *Histogram) MarshalJSON() ([]byte, error) {
	w := histogramJSON{
		N: h.n, Sum: h.sum / 1e9, Min: Seconds(h.min), Max: Seconds(h.max), Mean: Seconds(h.Mean()),
		P50: Seconds(h.Quantile(0.5)), P90: Seconds(h.Quantile(0.9)), P99: Seconds(h.Quantile(0.99)),
		Buckets: map[int]uint64{},
	}
	for i, c := range h.counts {
		if c > 0 {
			w.Buckets[i] = c
		}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads what MarshalJSON wrote (the percentiles follow from
// the buckets).
func (h *Histogram) UnmarshalJSON(b []byte) error {
	var w histogramJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*h = Histogram{n: w.N, sum: w.Sum * 1e9, min: FromSeconds(w.Min), max: FromSeconds(w.Max)}
	if len(w.Buckets) > 0 {
		h.counts = make([]uint64, nBuckets)
		for i, c := range w.Buckets {
			if i < 0 || i >= nBuckets {
				return &json.UnsupportedValueError{Str: "histogram bucket out of range"}
			}
			h.counts[i] = c
		}
	}
	return nil
}

// reportAlias is Report without its methods.
type reportAlias Report

// MarshalJSON writes the figures, with an empty list of gaps rather than
// null: reports carry lists, never null.
func (r *Report) MarshalJSON() ([]byte, error) {
	w := *r
	if w.Gaps == nil {
		w.Gaps = []Histogram{}
	}
	return json.Marshal((*reportAlias)(&w))
}
