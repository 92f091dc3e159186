package steps

import (
	"context"
	"fmt"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// awaitNext waits until c has more than have calls or deadline passes,
// whichever comes first (for a callback that answers late, its lag
// later), and returns the calls seen. Long waits report progress. err is set only when the run itself was cancelled.
func (s *scenario) awaitNext(ctx context.Context, c *callback, have int, deadline time.Time, what string) ([]receiver.Observation, bool, error) {
	calls := s.calls(c)
	if len(calls) > have {
		return calls, true, nil
	}
	var lastSeq uint64
	if have > 0 && have <= len(calls) {
		lastSeq = calls[have-1].Seq
	}
	wctx, cancel := context.WithDeadline(ctx, deadline.Add(c.lag))
	defer cancel()
	stop := s.progress(wctx, what, deadline)
	_, _ = s.suite.recv.Wait(wctx, func(o receiver.Observation) bool { return c.matches(o) && o.Seq > lastSeq })
	stop()
	calls = s.calls(c)
	if len(calls) > have {
		return calls, true, nil
	}
	if err := ctx.Err(); err != nil {
		return calls, false, fmt.Errorf("waiting for %s: %w", what, err)
	}
	return calls, false, nil
}

// sleepUntil waits until t unless ctx ends first.
func (s *scenario) sleepUntil(ctx context.Context, t time.Time, what string) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	stop := s.progress(ctx, what, t)
	defer stop()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
	}
}

// progress prints, while a long wait lasts, what is awaited, the time
// elapsed and the deadline; it returns a function that stops it.
func (s *scenario) progress(ctx context.Context, what string, deadline time.Time) func() {
	w, every := s.suite.cfg.Progress, s.suite.cfg.ProgressMin
	if w == nil || time.Until(deadline) < every {
		return func() {}
	}
	start := time.Now()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fmt.Fprintf(w, "hookcheck: [%s] waiting for %s: %s elapsed, deadline %s (in %s)\n",
					s.id, what, time.Since(start).Round(time.Second), deadline.Format("15:04:05"), time.Until(deadline).Round(time.Second))
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() { close(done) }
}
