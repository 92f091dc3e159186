package steps

import (
	"context"
	"errors"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
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
)

// ReasonInterrupted is why a run's results are partial when it was
// cancelled (Ctrl-C) before every scenario finished.
const ReasonInterrupted = "interrupted"

// interruptedMessage is the skip reason of a scenario cut off by the
// interruption: its outcome says nothing about the target.
const interruptedMessage = ReasonInterrupted + ": the run was cancelled before the scenario finished"

// unfinished is the message of a scenario that began and never ended.
const unfinished = "scenario did not finish"

// ScenarioResult is the outcome of one scenario.
type ScenarioResult struct {
	ID       string        `json:"id"`
	Name     string        `json:"name"`
	Area     string        `json:"area"`
	File     string        `json:"file"`
	Tags     []string      `json:"tags"`
	Core     bool          `json:"core"`
	Status   string        `json:"status"`
	Message  string        `json:"message,omitempty"` // failure message or skip reason
	Duration time.Duration `json:"duration_ns"`
	// Interrupted is set when the run was cancelled before the scenario
	// finished; it is then skipped, whatever its steps returned.
	Interrupted bool `json:"interrupted,omitempty"`
}

// Counts counts scenarios by status.
type Counts struct {
	Scenarios int `json:"scenarios"`
	Passed    int `json:"passed"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"`
	Undefined int `json:"undefined"`
}

func (c *Counts) add(status string) {
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

// idPattern is a scenario ID at the start of its name: REG-01, DEL-03-204.
var idPattern = regexp.MustCompile(`^([A-Z]{3}-\d{2}(?:-[A-Za-z0-9]+)?)\b`)

// scenarioID returns a pickle's stable ID, or its name when it has none.
func scenarioID(name string) string {
	if m := idPattern.FindStringSubmatch(name); m != nil {
		return m[1]
	}
	return name
}

// recorder collects scenario results as godog runs them.
type recorder struct {
	// ctx is the run's context: once it is done, scenarios that end with
	// an error, or begin at all, are interrupted (nil: never).
	ctx     context.Context
	mu      sync.Mutex
	started map[string]ScenarioResult // pickle ID → result so far
	order   []string
}

func newRecorder() *recorder { return &recorder{started: map[string]ScenarioResult{}} }

// cancelled reports whether the run has been interrupted.
func (r *recorder) cancelled() bool { return r.ctx != nil && r.ctx.Err() != nil }

func (r *recorder) begin(sc *godog.Scenario) {
	tags := make([]string, 0, len(sc.Tags))
	core := false
	for _, t := range sc.Tags {
		tags = append(tags, t.Name)
		core = core || t.Name == "@core"
	}
	file := path.Base(sc.Uri)
	res := ScenarioResult{
		ID: scenarioID(sc.Name), Name: sc.Name, File: file, Area: strings.TrimSuffix(file, ".feature"),
		Tags: tags, Core: core, Status: StatusUndefined, Message: unfinished,
		Interrupted: r.cancelled(), // it began after the interruption: it did not really run
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.started[sc.Id]; !dup {
		r.order = append(r.order, sc.Id)
	}
	r.started[sc.Id] = res
}

// end records a finished scenario: err is godog's scenario error, skip the
// reason the scenario gave when it skipped itself.
func (r *recorder) end(sc *godog.Scenario, err error, skip string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := r.started[sc.Id]
	res.Duration = d
	switch {
	case errors.Is(err, godog.ErrUndefined) || errors.Is(err, godog.ErrPending) || errors.Is(err, godog.ErrAmbiguous):
		res.Status, res.Message = StatusUndefined, err.Error()
	case errors.Is(err, godog.ErrSkip) || (err == nil && skip != ""):
		// godog reports a scenario that skipped itself as passing; the
		// scenario's own reason is what counts.
		res.Status, res.Message = StatusSkipped, skip
		if res.Message == "" {
			res.Message = err.Error()
		}
	case err != nil:
		res.Status, res.Message = StatusFailed, err.Error()
	default:
		res.Status, res.Message = StatusPassed, ""
	}
	if r.cancelled() && (res.Interrupted || res.Status == StatusFailed || res.Status == StatusUndefined) {
		// Cut off by the interruption ("context canceled" and the like):
		// not the target's fault.
		res.Status, res.Message, res.Interrupted = StatusSkipped, interruptedMessage, true
	}
	r.started[sc.Id] = res
}

// result turns the recorded scenarios into per-area verdicts.
func (r *recorder) result() *Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := &Result{}
	areas := map[string]*AreaResult{}
	var names []string
	cancelled := r.cancelled()
	for _, id := range r.order {
		s := r.started[id]
		if cancelled && s.Status == StatusUndefined && s.Message == unfinished {
			s.Status, s.Message, s.Interrupted = StatusSkipped, interruptedMessage, true
		}
		out.Interrupted = out.Interrupted || s.Interrupted
		out.Scenarios = append(out.Scenarios, s)
		out.Counts.add(s.Status)
		a := areas[s.Area]
		if a == nil {
			a = &AreaResult{Area: s.Area}
			areas[s.Area] = a
			names = append(names, s.Area)
		}
		a.Counts.add(s.Status)
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
