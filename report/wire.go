package report

import (
	"encoding/json"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/internal/version"
	"github.com/hookcheck/hookcheck/judge"
)

// Every report file carries durations as JSON numbers of seconds, in
// fields whose names end in _s, and snake_case keys throughout; the JSON
// Schemas in docs/ say so and tests validate every report they write
// against them (ValidateFile).

// Timing is the declared timing a report judged against.
type Timing struct {
	Window          float64   `json:"window_s"`
	Retry           string    `json:"retry"` // the schedule's kind
	RetryBase       float64   `json:"retry_base_s"`
	RetryRatio      float64   `json:"retry_ratio,omitempty"`    // geometric only
	RetryDelays     []float64 `json:"retry_delays_s,omitempty"` // list only
	MaxAttempts     int       `json:"max_attempts"`             // 0: unlimited
	CallbackTimeout float64   `json:"callback_timeout_s"`
	Tolerance       float64   `json:"tolerance_s"`
	MaxWait         float64   `json:"max_wait_s,omitempty"` // conformance: the longest a step waits
}

// timingOf is t's wire form.
func timingOf(t timing.Timing) Timing {
	w := Timing{
		Window: judge.Seconds(t.Window), Retry: string(t.Retry.Kind), RetryBase: judge.Seconds(t.Retry.Base),
		RetryRatio: t.Retry.Ratio, MaxAttempts: t.Retry.MaxAttempts,
		CallbackTimeout: judge.Seconds(t.CallbackTimeout), Tolerance: judge.Seconds(t.Tolerance),
	}
	for _, d := range t.Retry.Delays {
		w.RetryDelays = append(w.RetryDelays, judge.Seconds(d))
	}
	return w
}

// timing is the declared timing w describes.
func (w Timing) timing() timing.Timing {
	t := timing.Timing{
		Window: judge.FromSeconds(w.Window),
		Retry: timing.Retry{Kind: timing.Kind(w.Retry), Base: judge.FromSeconds(w.RetryBase), Ratio: w.RetryRatio,
			MaxAttempts: w.MaxAttempts},
		CallbackTimeout: judge.FromSeconds(w.CallbackTimeout), Tolerance: judge.FromSeconds(w.Tolerance),
	}
	for _, d := range w.RetryDelays {
		t.Retry.Delays = append(t.Retry.Delays, judge.FromSeconds(d))
	}
	return t
}

// pacingJSON is a Pacing's wire form.
type pacingJSON struct {
	Shape    string  `json:"shape"`
	Rate     float64 `json:"rate"` // per second
	Ramp     float64 `json:"ramp_s,omitempty"`
	Period   float64 `json:"period_s,omitempty"`
	Amp      float64 `json:"amplitude,omitempty"` // per second
	Duration float64 `json:"duration_s"`
}

// MarshalJSON writes the pacing with its durations in seconds.
func (p Pacing) MarshalJSON() ([]byte, error) {
	return json.Marshal(pacingJSON{Shape: p.Shape, Rate: p.Rate, Ramp: judge.Seconds(p.Ramp), Period: judge.Seconds(p.Period), Amp: p.Amp, Duration: judge.Seconds(p.Duration)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (p *Pacing) UnmarshalJSON(b []byte) error {
	var w pacingJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = Pacing{Shape: w.Shape, Rate: w.Rate, Ramp: judge.FromSeconds(w.Ramp), Period: judge.FromSeconds(w.Period), Amp: w.Amp, Duration: judge.FromSeconds(w.Duration)}
	return nil
}

// kindLoad is a load run's kind in JSON.
const kindLoad = "load"

// summaryAlias is Summary without its methods, so that its wire form can
// embed it.
type summaryAlias Summary

// summaryJSON is a Summary's wire form: the harness that wrote it, the
// declared timing in seconds, and the run's span in seconds; the result
// and the partial flag always present.
type summaryJSON struct {
	Harness string `json:"harness"`
	Kind    string `json:"kind"` // load or flood
	*summaryAlias
	Timing   *Timing       `json:"timing,omitempty"` // none for a flood
	API      *APIStats     `json:"api"`
	Checks   []judge.Check `json:"checks"`
	Windows  []uint64      `json:"notifications_per_window"`
	Result   string        `json:"result"`
	Partial  bool          `json:"partial"`
	Duration float64       `json:"duration_s"`
}

// MarshalJSON writes the summary's wire form.
func (s *Summary) MarshalJSON() ([]byte, error) {
	harness := s.Harness
	if harness == "" {
		harness = version.Harness()
	}
	var d time.Duration
	if !s.Started.IsZero() && s.Ended.After(s.Started) {
		d = s.Ended.Sub(s.Started)
	}
	api := s.API
	if api.Codes == nil {
		api.Codes = map[string]uint64{}
	}
	kind, tm := s.Kind, (*Timing)(nil)
	if kind == "" {
		kind, tm = kindLoad, new(timingOf(s.Timing))
	}
	return json.Marshal(summaryJSON{Harness: harness, Kind: kind, summaryAlias: (*summaryAlias)(s), Timing: tm,
		API: &api, Checks: orEmpty(s.Checks), Windows: orEmpty(s.PerWindow), Result: s.Verdict, Partial: s.Partial, Duration: judge.Seconds(d)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (s *Summary) UnmarshalJSON(b []byte) error {
	w := summaryJSON{summaryAlias: (*summaryAlias)(s), API: &s.API}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Kind == kindLoad {
		w.Kind = ""
	}
	if w.Timing != nil {
		s.Timing = w.Timing.timing()
	}
	s.Checks, s.PerWindow = w.Checks, w.Windows
	s.Harness, s.Kind, s.Verdict, s.Partial = w.Harness, w.Kind, w.Result, w.Partial
	return nil
}

// orEmpty is x, or an empty list for nil: reports carry lists, never null.
func orEmpty[T any](x []T) []T {
	if x == nil {
		return []T{}
	}
	return x
}
