package steps

import (
	"context"
	"fmt"
	"time"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
)

func (s *scenario) registerRetrySteps(sc *godog.ScenarioContext) {
	sc.Step(`^the callback is called again after the (first|second|third) retry delay$`, s.redacted(s.calledAgainAfterRetry))
	sc.Step(`^the callback is called (\d+) times, each retry within its declared delay$`, s.redacted(func(ctx context.Context, n int) error { return s.calledTimes(ctx, n, true) }))
	sc.Step(`^the callback is called (\d+) times$`, s.redacted(func(ctx context.Context, n int) error { return s.calledTimes(ctx, n, false) }))
	sc.Step(`^the callback is called the maximum number of times, each retry within its declared delay$`, s.redacted(s.calledMaxTimes))
	sc.Step(`^the callback is not called again within the next retry delay$`, s.redacted(s.notCalledAgainNextRetry))
	sc.Step(`^the gaps between attempts fit a "([^"]*)" schedule from the declared retry base$`, s.redacted(s.gapsFit))
}

// retryBound is the latest a retry after the n-th failure may come after
// the failed attempt began: the delay, the sender's call (ORCID counts the
// delay from the end of the failed call), a dispatcher's run and the
// tolerance.
func (s *scenario) retryBound(n int) time.Duration {
	return s.delay(n) + s.callSlack() + s.tolerance()
}

// callSlack is how long after its start a failed call may end and its
// retry still be waiting for the sender: the callback timeout, twice when
// the profile's sender has a connect timeout of its own (ORCID's code: 20 s
// each), and a dispatcher's run when the profile's sender runs on a cadence
// (its first-notification delay).
func (s *scenario) callSlack() time.Duration {
	p, d := s.suite.cfg.Profile, s.suite.cfg.Timing.CallbackTimeout
	if p.Delivery.ConnectTimeout > 0 {
		d *= 2
	}
	return d + p.FirstNotification
}

// ordinals name the retry delays the steps speak of.
var ordinals = map[string]int{"first": 1, "second": 2, "third": 3}

// calledAgainAfterRetry waits for the next call on the callback and checks
// that it came the n-th retry delay after the last one accounted for: not
// before the delay less the tolerance, not after retryBound(n).
func (s *scenario) calledAgainAfterRetry(ctx context.Context, ordinal string) error {
	n := ordinals[ordinal]
	prev, have, err := s.lastCall(s.cb)
	if err != nil {
		return err
	}
	calls, arrived, err := s.awaitNext(ctx, s.cb, have, prev.At.Add(s.retryBound(n)), fmt.Sprintf("the %s retry delay's call on the callback", ordinal))
	if err != nil {
		return err
	}
	if !arrived || calls[have].At.Sub(prev.At) > s.retryBound(n) {
		return fmt.Errorf("expected a call on %s within %s (%s retry delay %s + the call's timeout + tolerance) after call #%d answered %s; saw %s",
			s.cb.path, s.retryBound(n), ordinal, s.delay(n), have, answerOf(prev), judge.DescribeCalls(s.cb.ref(), calls, s.origin()))
	}
	gap := calls[have].At.Sub(prev.At)
	if min := s.delay(n) - s.tolerance(); gap < min {
		return fmt.Errorf("expected call #%d on %s about %s (the %s retry delay) after call #%d (answered %s), not before %s; it came after %s",
			have+1, s.cb.path, s.delay(n), ordinal, have, answerOf(prev), min, gap.Round(time.Millisecond))
	}
	s.cb.seen = have + 1
	return nil
}

// lenientBound is the latest a retry after the n-th failure is awaited
// when the schedule itself is to be judged: long enough for any of the
// known schedules from the declared base (doubling grows fastest) and for
// ORCID's code's (linear from twice the window: 10 minutes against its
// 5-minute indexing delay, counted from the end of the call), so that the
// fit can name what the target does.
func (s *scenario) lenientBound(n int) time.Duration {
	t := s.suite.cfg.Timing
	b := s.retryBound(n)
	alts := []timing.Retry{{Kind: timing.Doubling, Base: t.Retry.Base}, {Kind: timing.Linear, Base: t.Retry.Base},
		{Kind: timing.Fixed, Base: t.Retry.Base}, {Kind: timing.Linear, Base: 2 * t.Window}}
	for _, alt := range alts {
		if d := alt.Delay(n) + 2*t.CallbackTimeout + s.suite.cfg.Profile.FirstNotification + s.tolerance(); d > b {
			b = d
		}
	}
	return b
}

// awaitAttempts waits for n calls on c: the first within one window of the
// change, each retry within its declared delay of the previous attempt
// (strict) or within the delay of any known schedule.
func (s *scenario) awaitAttempts(ctx context.Context, c *callback, n int, strict bool) ([]receiver.Observation, error) {
	if c.seen == 0 {
		if err := s.awaitCovering(ctx, c); err != nil {
			return nil, err
		}
	}
	calls := s.calls(c)
	for c.seen < n {
		k := c.seen // attempts so far; the next waits Delay(k)
		prev := calls[k-1]
		bound := s.retryBound(k)
		if !strict {
			bound = s.lenientBound(k)
		}
		var arrived bool
		var err error
		calls, arrived, err = s.awaitNext(ctx, c, k, prev.At.Add(bound), fmt.Sprintf("attempt %d of %d on the %s", k+1, n, c.name))
		if err != nil {
			return calls, err
		}
		if !arrived || calls[k].At.Sub(prev.At) > bound {
			return calls, fmt.Errorf("expected attempt %d on %s within %s of attempt %d (retry %s: delay %s + callback timeout + tolerance); saw %s (gaps %s)",
				k+1, c.path, bound, k, s.suite.cfg.Timing.Retry, s.delay(k), judge.DescribeCalls(c.ref(), calls, s.origin()), judge.Durations(judge.Gaps(calls)))
		}
		c.seen++
	}
	return calls, nil
}

func (s *scenario) calledTimes(ctx context.Context, n int, strict bool) error {
	if m := s.suite.cfg.Timing.Retry.MaxAttempts; m > 0 && n > m {
		return s.skip("this scenario needs %d attempts, but the declared maximum is %d (--max-attempts)", n, m)
	}
	_, err := s.awaitAttempts(ctx, s.cb, n, strict)
	return err
}

func (s *scenario) calledMaxTimes(ctx context.Context) error {
	m := s.suite.cfg.Timing.Retry.MaxAttempts
	if m <= 0 {
		return s.skip("the declared timing has no maximum number of attempts")
	}
	return s.calledTimes(ctx, m, true)
}

func (s *scenario) notCalledAgainNextRetry(ctx context.Context) error {
	last, n, err := s.lastCall(s.cb)
	if err != nil {
		return err
	}
	return s.noCallUntil(ctx, s.cb, last.At.Add(s.retryBound(n)), fmt.Sprintf("no attempt %d on the callback", n+1))
}

func (s *scenario) gapsFit(kind string) error {
	calls := s.calls(s.cb)
	if s.cb.seen < len(calls) {
		calls = calls[:s.cb.seen]
	}
	g := judge.Gaps(calls)
	if len(g) < 2 {
		return fmt.Errorf("need at least 2 gaps between attempts to fit a schedule; %s", judge.DescribeCalls(s.cb.ref(), calls, s.origin()))
	}
	fit := s.suite.rec.observed.Retries(g)
	s.observed = &fit
	return s.gapsFitKind(kind, g)
}

// gapsFitKind checks gaps against a kind schedule from the declared base.
func (s *scenario) gapsFitKind(kind string, gaps []time.Duration) error {
	k, err := timing.ParseKind(kind)
	if err != nil {
		return err
	}
	want := s.suite.cfg.Timing.Retry
	want.Kind = k
	return judge.RetriesFit(s.cb.ref(), gaps, want, s.tolerance())
}
