package steps

import (
	"context"
	"fmt"
	"time"

	"github.com/cucumber/godog"
	"github.com/hookcheck/hookcheck/judge"
)

func (s *scenario) registerBatchingSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the record changes (\d+) times within half a window$`, s.redacted(s.burst))
	sc.Step(`^the record changes every quarter window for (\d+) windows$`, s.redacted(s.steady))
	sc.Step(`^the callback is not called again within one window$`, s.redacted(s.notCalledAgainWithinWindow))
	sc.Step(`^every change is covered by a call within one window$`, s.redacted(s.everyChangeCovered))
	sc.Step(`^calls are at least one window apart$`, s.redacted(s.callsSpaced))
	sc.Step(`^the callback is called within two dispatcher runs of the change$`, s.redacted(s.calledWithinRuns))
	sc.Step(`^the callback is called again within one window and two dispatcher runs of the last call$`, s.redacted(s.calledAgainAfterIndexing))
	sc.Step(`^the record changes a quarter window after the last call$`, s.redacted(s.changeAfterLastCall))
}

// changeEvery makes n changes, one every interval, and fails (as a skip:
// the premise could not be made) when the trigger cannot keep up within
// limit.
func (s *scenario) changeEvery(ctx context.Context, n int, interval, limit time.Duration) error {
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := s.sleepUntil(ctx, start.Add(time.Duration(i)*interval), "the next change"); err != nil {
			return err
		}
		if err := s.change(ctx); err != nil {
			return err
		}
	}
	if took := time.Since(start); took > limit+s.tolerance() {
		return s.skip("the trigger (%s) needed %s for %d changes, more than %s: the pattern of changes could not be made", s.suite.target.Trigger.Name(), took.Round(time.Millisecond), n, limit)
	}
	return nil
}

func (s *scenario) burst(ctx context.Context, n int) error {
	if n < 1 {
		return fmt.Errorf("a burst needs at least one change")
	}
	half := s.window() / 2
	return s.changeEvery(ctx, n, half/time.Duration(n), half)
}

func (s *scenario) steady(ctx context.Context, windows int) error {
	n := 4 * windows
	q := s.window() / 4
	return s.changeEvery(ctx, n, q, time.Duration(n)*q)
}

// notCalledAgainWithinWindow checks the batching rule on the last call: no
// further call sooner than one window (less the tolerance) after it.
func (s *scenario) notCalledAgainWithinWindow(ctx context.Context) error {
	last, _, err := s.lastCall(s.cb)
	if err != nil {
		return err
	}
	return s.noCallUntil(ctx, s.cb, last.At.Add(s.window()-s.tolerance()), "one window with no second call")
}

// awaitLastCovered waits until the last change has a call at or after it.
func (s *scenario) awaitLastCovered(ctx context.Context) error {
	if len(s.changes) == 0 {
		return fmt.Errorf("no change was made")
	}
	last := s.changes[len(s.changes)-1]
	deadline := last.Add(s.window() + 2*s.suite.cfg.Profile.FirstNotification + s.tolerance())
	for {
		calls := s.calls(s.cb)
		if n := len(calls); n > 0 && !calls[n-1].At.Before(last) {
			return nil
		}
		_, arrived, err := s.awaitNext(ctx, s.cb, len(calls), deadline, "a call covering the last change")
		if err != nil {
			return err
		}
		if !arrived {
			return nil // the coverage verdict says what is missing
		}
	}
}

func (s *scenario) everyChangeCovered(ctx context.Context) error {
	if err := s.awaitLastCovered(ctx); err != nil {
		return err
	}
	s.suite.rec.observed.Latency(s.changes, s.calls(s.cb))
	// a sender on a cadence (ORCID's code) may take one indexing and one
	// dispatcher run past the window
	return judge.CallsCover(s.cb.ref(), s.changes, s.calls(s.cb), s.window()+2*s.suite.cfg.Profile.FirstNotification+s.tolerance(), s.origin())
}

func (s *scenario) callsSpaced() error {
	s.suite.rec.observed.Deliveries(s.calls(s.cb))
	return judge.CallsSpaced(s.cb.ref(), s.calls(s.cb), s.window()-s.tolerance())
}

// calledWithinRuns waits for the first call after a change to a record
// never indexed, by the cadence of ORCID's code (F073, F080): the next
// indexing releases it and the next dispatcher run sends it, each at most
// the profile's first-notification delay (a minute) away; well before the
// window the docs' batching waits.
func (s *scenario) calledWithinRuns(ctx context.Context) error {
	since, ok := s.pendingSince(s.cb)
	if !ok {
		return fmt.Errorf("no change of the record is waiting for a call on %s", s.cb.path)
	}
	return s.calledByCadence(ctx, since, 0, "of the change")
}

// calledAgainAfterIndexing waits for the call of a change made soon after
// the last call (F073): the record is indexed again once a window has
// passed since its last indexing, which came before the last call; then
// the next indexing and the next run send it.
func (s *scenario) calledAgainAfterIndexing(ctx context.Context) error {
	last, _, err := s.lastCall(s.cb)
	if err != nil {
		return err
	}
	return s.calledByCadence(ctx, last.At, s.window(), "of the last call")
}

// calledByCadence waits for the next call on the callback within wait and
// two dispatcher runs (the profile's first-notification delay each) of ref.
func (s *scenario) calledByCadence(ctx context.Context, ref time.Time, wait time.Duration, what string) error {
	run := s.suite.cfg.Profile.FirstNotification
	if run <= 0 {
		return s.skip("profile %s declares no first-notification delay (a dispatcher's run)", s.suite.cfg.Profile.Name)
	}
	bound := wait + 2*run + s.tolerance()
	calls, arrived, err := s.awaitNext(ctx, s.cb, s.cb.seen, ref.Add(bound), "the call after the change")
	if err != nil {
		return err
	}
	if !arrived || calls[s.cb.seen].At.Sub(ref) > bound {
		within := fmt.Sprintf("two dispatcher runs (2 × %s + tolerance: %s)", run, bound)
		if wait > 0 {
			within = fmt.Sprintf("one window and two dispatcher runs (%s + 2 × %s + tolerance: %s)", wait, run, bound)
		}
		return fmt.Errorf("expected a call on %s within %s %s at %s; saw %s after %s",
			s.cb.path, within, what, ref.Format("15:04:05.000"),
			judge.DescribeCalls(s.cb.ref(), calls, s.origin()), time.Since(ref).Round(time.Millisecond))
	}
	s.cb.seen++
	return nil
}

// changeAfterLastCall changes the record a quarter window after the last
// call on the callback: after its answer, so that the change is not one
// made during the call, which ORCID's code does not notify again (F078).
func (s *scenario) changeAfterLastCall(ctx context.Context) error {
	last, _, err := s.lastCall(s.cb)
	if err != nil {
		return err
	}
	t := time.NewTimer(time.Until(last.At.Add(s.window() / 4)))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.change(ctx)
}
