package steps

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
)

// registerFromEndSteps defines the steps of ORCID's code's retry schedule:
// delays counted from the end of the failed call (F093, F094) and the
// total time to the last attempt (F098).
func (s *scenario) registerFromEndSteps(sc *godog.ScenarioContext) {
	sc.Step(`^a callback at the harness that answers "([^"]*)", each failure after half the callback timeout$`, s.redacted(s.aSlowFailingCallback))
	sc.Step(`^each retry comes its declared delay after the end of the failed call, fitting a "([^"]*)" schedule$`, s.redacted(s.retriesFromEnd))
	sc.Step(`^the last attempt comes the sum of the declared delays after the first$`, s.redacted(s.lastAfterSum))
}

// aSlowFailingCallback answers script, each non-2xx step after half the
// callback timeout, so that a delay counted from the end of the failed
// call is told from one counted from its start.
func (s *scenario) aSlowFailingCallback(script string) (err error) {
	timeout := s.suite.cfg.Timing.CallbackTimeout
	if timeout <= 0 {
		return s.skip("the declared timing has no callback timeout")
	}
	steps, err := slowFailures(script, timeout/2)
	if err != nil {
		return err
	}
	s.cb, err = s.newCallback("callback", steps, false)
	return err
}

// slowFailures rewrites each failing step of a script ("500,204") to
// answer after d ("delay=75ms:500,204").
func slowFailures(script string, d time.Duration) (string, error) {
	steps := strings.Split(script, ",")
	for i, st := range steps {
		code, err := strconv.Atoi(strings.TrimSpace(st))
		if err != nil || code < 100 || code > 599 {
			return "", fmt.Errorf("script %q: want status codes, got %q", script, st)
		}
		if code/100 != 2 {
			steps[i] = fmt.Sprintf("delay=%s:%d", d, code)
		}
	}
	return strings.Join(steps, ","), nil
}

// retriesFromEnd checks each gap from the end of a failed call to the next
// attempt against the kind schedule from the declared base: never shorter
// than its delay (less a quarter of the tolerance: the call's end is the
// receiver's answer, a millisecond before the sender sees it), never longer
// than the delay, one callback timeout and one dispatcher run (a run waits
// for its batch, whose calls may hang) plus the tolerance. A sender that
// counts from the start of the failed call comes the call's duration (half
// the callback timeout) early. Gap by gap, not by the fit: one delayed run
// among three gaps can make the fit name another kind; the fit is reported.
func (s *scenario) retriesFromEnd(kind string) error {
	k, err := timing.ParseKind(kind)
	if err != nil {
		return err
	}
	want := s.suite.cfg.Timing.Retry
	want.Kind = k
	calls := s.calls(s.cb)
	if s.cb.seen < len(calls) {
		calls = calls[:s.cb.seen]
	}
	if len(calls) < 3 {
		return fmt.Errorf("need at least 3 attempts to judge the retry schedule; %s", judge.DescribeCalls(s.cb.ref(), calls, s.origin()))
	}
	gaps := make([]time.Duration, len(calls)-1)
	for i := 1; i < len(calls); i++ {
		gaps[i-1] = calls[i].At.Sub(calls[i-1].At.Add(calls[i-1].Elapsed))
	}
	fit := s.suite.rec.observed.Retries(gaps)
	s.observed = &fit
	late := s.suite.cfg.Timing.CallbackTimeout + s.suite.cfg.Profile.FirstNotification + s.tolerance()
	for i, g := range gaps {
		d := want.Delay(i + 1)
		if min := d - s.tolerance()/4; g < min {
			return fmt.Errorf("on %s: attempt %d came %s after the end of failed call #%d (which took %s), not after its declared delay %s: the delay is counted from the start of the failed call, not its end (gaps from the end %s; observed %s)",
				s.cb.path, i+2, g.Round(time.Millisecond), i+1, calls[i].Elapsed.Round(time.Millisecond), d, judge.Durations(gaps), fit)
		}
		if g > d+late {
			return fmt.Errorf("on %s: attempt %d came %s after the end of failed call #%d; %s expects %s, at most %s later (a callback timeout, a dispatcher run and the tolerance) (gaps from the end %s; observed %s)",
				s.cb.path, i+2, g.Round(time.Millisecond), i+1, want, d, late, judge.Durations(gaps), fit)
		}
	}
	return nil
}

// lastAfterSum checks the time from the first attempt to the last against
// the sum of the declared delays between them, each within the tolerance
// and the call's duration (ORCID's code: 10 + 20 + … + 240 minutes, about
// 50 hours to the 25th attempt).
func (s *scenario) lastAfterSum() error {
	calls := s.calls(s.cb)[:s.cb.seen]
	if len(calls) < 2 {
		return fmt.Errorf("need at least 2 attempts; %s", judge.DescribeCalls(s.cb.ref(), calls, s.origin()))
	}
	var sum, slack time.Duration
	for n := 1; n < len(calls); n++ {
		sum += s.delay(n)
		slack += s.suite.cfg.Timing.CallbackTimeout + s.tolerance()
	}
	total := calls[len(calls)-1].At.Sub(calls[0].At)
	if total < sum-s.tolerance() || total > sum+slack {
		return fmt.Errorf("on %s: attempt %d came %s after the first; the declared delays add up to %s (%s to %s allowed; gaps %s)",
			s.cb.path, len(calls), total.Round(time.Millisecond), sum, sum-s.tolerance(), sum+slack, judge.Durations(judge.Gaps(calls)))
	}
	return nil
}
