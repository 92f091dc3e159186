package report

import (
	"sort"
	"time"

	"github.com/hookcheck/hookcheck/judge"
)

// Scenario statuses.
const (
	StatusPassed    = "passed"
	StatusFailed    = "failed"
	StatusSkipped   = "skipped"
	StatusUndefined = "undefined" // undefined or pending step: a failure in strict mode
)

// Area verdicts.
const (
	VerdictSuccess = "success" // every scenario ran and passed (extended skips allowed)
	VerdictPartial = "partial" // nothing failed, but a core scenario was skipped or the run was interrupted
	VerdictFailure = "failure" // a scenario failed
	// VerdictInconclusive: nothing failed, but the load generator fell
	// behind, so the flood's figures measure this machine, not the target.
	VerdictInconclusive = "inconclusive"
)

// ReasonInterrupted is why a run's results are partial when it was
// cancelled (Ctrl-C) before every scenario finished.
const ReasonInterrupted = "interrupted"

// InterruptedMessage is the skip reason of a scenario cut off by the
// interruption: its outcome says nothing about the target.
const InterruptedMessage = ReasonInterrupted + ": the run was cancelled before the scenario finished"

// Unfinished is the message of a scenario that began and never ended.
const Unfinished = "scenario did not finish"

// ScenarioResult is the outcome of one scenario.
type ScenarioResult struct {
	ID       string        `json:"id"`
	Name     string        `json:"name"`
	Area     string        `json:"area"`
	File     string        `json:"file"`
	Tags     []string      `json:"tags"`
	Facts    []string      `json:"facts,omitempty"` // the facts of ORCID's behaviour it checks (its @Fnnn tags)
	Core     bool          `json:"core"`
	Status   string        `json:"status"`
	Message  string        `json:"message,omitempty"` // failure message or skip reason
	Duration time.Duration `json:"duration_ns"`
	// Interrupted is set when the run was cancelled before the scenario
	// finished; it is then skipped, whatever its steps returned.
	Interrupted bool `json:"interrupted,omitempty"`
	// Observed is the retry schedule fitted to the scenario's attempts
	// (retry scenarios), pass or fail.
	Observed *judge.Fit `json:"observed,omitempty"`
}

// Counts counts scenarios by status.
type Counts struct {
	Scenarios int `json:"scenarios"`
	Passed    int `json:"passed"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"`
	Undefined int `json:"undefined"`
}

// Add counts one scenario of status.
func (c *Counts) Add(status string) {
	c.Scenarios++
	switch status {
	case StatusPassed:
		c.Passed++
	case StatusFailed:
		c.Failed++
	case StatusSkipped:
		c.Skipped++
	default:
		c.Undefined++
	}
}

// AreaResult is the verdict on one feature file.
type AreaResult struct {
	Area    string `json:"area"`
	Result  string `json:"result"`
	Counts  Counts `json:"counts"`
	Partial string `json:"partial_reason,omitempty"`
}

// Result is the outcome of a suite run.
type Result struct {
	Started   time.Time        `json:"started_at"`
	Duration  time.Duration    `json:"duration_ns"`
	Verdict   string           `json:"result"`
	Counts    Counts           `json:"counts"`
	Areas     []AreaResult     `json:"areas"`
	Scenarios []ScenarioResult `json:"scenarios"`
	// Interrupted is set when the run was cancelled before every scenario
	// finished: the result is partial and Verdict is never success.
	Interrupted bool `json:"interrupted,omitempty"`
	// Observed is what the scenarios showed together: the fitted retry
	// schedule, the spacing of deliveries, change → notification latency.
	Observed *judge.Observed `json:"observed,omitempty"`
	// GodogFailed is godog's own verdict (strict mode); Verdict agrees with
	// it unless the run was interrupted.
	GodogFailed bool `json:"-"`
}

// Conforms reports whether nothing failed (skips allowed).
func (r *Result) Conforms() bool { return r.Verdict != VerdictFailure }

// Failed returns the IDs of failed (or undefined) scenarios, sorted.
func (r *Result) Failed() []string {
	var out []string
	for _, s := range r.Scenarios {
		if s.Status == StatusFailed || s.Status == StatusUndefined {
			out = append(out, s.ID)
		}
	}
	sort.Strings(out)
	return out
}

// Scenario returns the result of the scenario with id.
func (r *Result) Scenario(id string) (ScenarioResult, bool) {
	for _, s := range r.Scenarios {
		if s.ID == id {
			return s, true
		}
	}
	return ScenarioResult{}, false
}

// Tally turns scenario results into per-area verdicts and the run's: an
// area fails when a scenario failed, is partial when a core (or
// interrupted) scenario was skipped, and succeeds otherwise.
func Tally(scs []ScenarioResult) *Result {
	out := &Result{}
	areas := map[string]*AreaResult{}
	var names []string
	for _, s := range scs {
		out.Interrupted = out.Interrupted || s.Interrupted
		out.Scenarios = append(out.Scenarios, s)
		out.Counts.Add(s.Status)
		a := areas[s.Area]
		if a == nil {
			a = &AreaResult{Area: s.Area}
			areas[s.Area] = a
			names = append(names, s.Area)
		}
		a.Counts.Add(s.Status)
		if s.Status == StatusSkipped && (s.Core || s.Interrupted) && a.Partial == "" {
			a.Partial = s.ID + ": " + s.Message
		}
	}
	sort.Strings(names)
	out.Verdict = VerdictSuccess
	for _, n := range names {
		a := areas[n]
		switch {
		case a.Counts.Failed+a.Counts.Undefined > 0:
			a.Result = VerdictFailure
		case a.Partial != "":
			a.Result = VerdictPartial
		default:
			a.Result = VerdictSuccess
		}
		out.Areas = append(out.Areas, *a)
		if a.Result == VerdictFailure || (a.Result == VerdictPartial && out.Verdict == VerdictSuccess) {
			out.Verdict = a.Result
		}
	}
	sort.SliceStable(out.Scenarios, func(i, j int) bool {
		if out.Scenarios[i].Area != out.Scenarios[j].Area {
			return out.Scenarios[i].Area < out.Scenarios[j].Area
		}
		return out.Scenarios[i].ID < out.Scenarios[j].ID
	})
	return out
}
