package report

import (
	"time"

	"github.com/hookcheck/hookcheck/features"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/internal/version"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/target"
)

// Conformance is the conformance report: what ran, against what, with which
// expectations, and what came of it.
type Conformance struct {
	Harness   string     `json:"harness"`
	Generated time.Time  `json:"generated_at"`
	Target    TargetInfo `json:"target"`
	Profile   string     `json:"profile"`
	Timing    Timing     `json:"timing"`
	TimeScale float64    `json:"time_scale"` // × real ORCID (5-minute window)
	Result    string     `json:"result"`     // success, partial or failure
	// Partial is set when the run did not finish (PartialReason says why,
	// e.g. "interrupted"): scenarios cut off are in Skipped, marked
	// interrupted.
	Partial       bool         `json:"partial"`
	PartialReason string       `json:"partial_reason,omitempty"`
	Counts        Counts       `json:"counts"`
	Areas         []AreaResult `json:"areas"`
	Failed        []Item       `json:"failed"`
	Skipped       []Item       `json:"skipped"`
	// Scenarios lists every scenario of the run with its status and the
	// facts of ORCID's behaviour it checks; Facts sums them up: which of
	// ORCID's behaviours the run proved of the target.
	Scenarios []ScenarioFacts `json:"scenarios"`
	Facts     FactSummary     `json:"facts"`
	Features  []features.File `json:"features"`
	// Observed is what the run showed, pass or fail: the fitted retry
	// schedule, the spacing of deliveries, change → notification latency.
	Observed *judge.Observed `json:"observed,omitempty"`
	Started  time.Time       `json:"started_at"`
	Duration float64         `json:"duration_s"`
}

// TargetInfo describes the system under test.
type TargetInfo struct {
	Kind          string `json:"kind"` // embedded or url
	URL           string `json:"url"`
	TokenURL      string `json:"token_url"`
	Version       string `json:"version"` // from /_hookcheck/info, or "unknown"
	Trigger       string `json:"trigger"`
	Callback      string `json:"callback_base,omitempty"`
	*target.Image `json:",omitempty"`
}

// Item is a failed or skipped scenario with the reason.
type Item struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Area   string   `json:"area"`
	Core   bool     `json:"core"`
	Tags   []string `json:"tags"`
	Facts  []string `json:"facts,omitempty"` // the facts of ORCID's behaviour it checks
	Reason string   `json:"reason"`
	// Interrupted marks a scenario cut off by the interruption of the run.
	Interrupted bool `json:"interrupted,omitempty"`
}

// Run is what a conformance report says of the run besides its results:
// what was tested and with which expectations.
type Run struct {
	Target  *target.Target
	Profile string
	Timing  timing.Timing // the declared (possibly scaled) timing judged against
	MaxWait time.Duration
}

// NewConformance builds the conformance report of run, which gave res.
func NewConformance(run Run, res *Result) (*Conformance, error) {
	files, err := features.Conformance()
	if err != nil {
		return nil, err
	}
	t := run.Timing
	r := &Conformance{
		Harness:   version.Harness(),
		Generated: time.Now().UTC(),
		Target: TargetInfo{
			Kind: run.Target.Kind, URL: run.Target.URL, TokenURL: run.Target.TokenURL,
			Version: run.Target.Version(), Callback: run.Target.CallbackBase,
			Image: run.Target.Image,
		},
		Profile:   run.Profile,
		Timing:    timingOf(t),
		TimeScale: t.Scale(),
		Result:    res.Verdict,
		Partial:   res.Interrupted,
		Counts:    res.Counts,
		Areas:     res.Areas,
		Failed:    []Item{},
		Skipped:   []Item{},
		Features:  files,
		Observed:  res.Observed,
		Started:   res.Started.UTC(),
		Duration:  judge.Seconds(res.Duration.Round(time.Millisecond)),
	}
	if res.Interrupted {
		r.PartialReason = ReasonInterrupted
	}
	r.Timing.MaxWait = judge.Seconds(run.MaxWait)
	r.Scenarios, r.Facts = scenarioFacts(res)
	if run.Target.Trigger != nil {
		r.Target.Trigger = run.Target.Trigger.Name()
	}
	for _, s := range res.Scenarios {
		it := Item{ID: s.ID, Name: s.Name, Area: s.Area, Core: s.Core, Tags: s.Tags, Facts: s.Facts, Reason: s.Message, Interrupted: s.Interrupted}
		switch s.Status {
		case StatusFailed, StatusUndefined:
			r.Failed = append(r.Failed, it)
		case StatusSkipped:
			r.Skipped = append(r.Skipped, it)
		}
	}
	return r, nil
}

// WriteFile writes the report as indented JSON.
func (r *Conformance) WriteFile(path string) error { return writeJSON(path, r) }
