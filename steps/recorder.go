package steps

import (
	"context"
	"errors"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/features"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

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
	started map[string]report.ScenarioResult // pickle ID → result so far
	order   []string
	// observed gathers what the scenarios saw, for the report.
	observed judge.Observer
}

func newRecorder() *recorder { return &recorder{started: map[string]report.ScenarioResult{}} }

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
	res := report.ScenarioResult{
		ID: scenarioID(sc.Name), Name: sc.Name, File: file, Area: strings.TrimSuffix(file, ".feature"),
		Tags: tags, Facts: features.Facts(tags), Core: core, Status: report.StatusUndefined, Message: report.Unfinished,
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
func (r *recorder) end(sc *godog.Scenario, err error, skip string, d time.Duration, fit *judge.Fit) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := r.started[sc.Id]
	res.Duration, res.Observed = d, fit
	switch {
	case errors.Is(err, godog.ErrUndefined) || errors.Is(err, godog.ErrPending) || errors.Is(err, godog.ErrAmbiguous):
		res.Status, res.Message = report.StatusUndefined, err.Error()
	case errors.Is(err, godog.ErrSkip) || (err == nil && skip != ""):
		// godog reports a scenario that skipped itself as passing; the
		// scenario's own reason is what counts.
		res.Status, res.Message = report.StatusSkipped, skip
		if res.Message == "" {
			res.Message = err.Error()
		}
	case err != nil:
		res.Status, res.Message = report.StatusFailed, err.Error()
	default:
		res.Status, res.Message = report.StatusPassed, ""
	}
	if r.cancelled() && (res.Interrupted || res.Status == report.StatusFailed || res.Status == report.StatusUndefined) {
		// Cut off by the interruption ("context canceled" and the like):
		// not the target's fault.
		res.Status, res.Message, res.Interrupted = report.StatusSkipped, report.InterruptedMessage, true
	}
	r.started[sc.Id] = res
}

// result turns the recorded scenarios into per-area verdicts.
func (r *recorder) result() *report.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	cancelled := r.cancelled()
	scs := make([]report.ScenarioResult, 0, len(r.order))
	for _, id := range r.order {
		s := r.started[id]
		if cancelled && s.Status == report.StatusUndefined && s.Message == report.Unfinished {
			s.Status, s.Message, s.Interrupted = report.StatusSkipped, report.InterruptedMessage, true
		}
		scs = append(scs, s)
	}
	res := report.Tally(scs)
	res.Observed = r.observed.Observed()
	return res
}
