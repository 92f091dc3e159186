package steps

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/judge"
)

func (s *scenario) registerDeliverySteps(sc *godog.ScenarioContext) {
	sc.Step(`^the record changes$`, s.redacted(s.recordChanges))
	sc.Step(`^the callback is called within one window$`, s.redacted(s.calledWithinWindow))
	sc.Step(`^the callback is not called within one window$`, s.redacted(s.notCalledWithinWindow))
	sc.Step(`^the call is a POST with an empty body and "Content-Length: 0"$`, s.redacted(s.callIsEmptyPost))
	sc.Step(`^the call is HTTP/1\.1 and carries no Content-Type, Accept, authentication or signature header$`, s.redacted(s.callIsPlain))
	sc.Step(`^the callback is called within one window from now$`, s.redacted(s.calledWithinWindowFromNow))
	sc.Step(`^nothing is called at the redirect target$`, s.redacted(s.redirectNotFollowed))
	sc.Step(`^the callback is not called again within the first retry delay$`, s.redacted(s.notCalledAgainFirstRetry))
	sc.Step(`^each callback is called exactly once within one window$`, s.redacted(s.eachCalledOnce))
}

// change changes the record once through the trigger, noting when.
func (s *scenario) change(ctx context.Context) error {
	if s.record == "" {
		return fmt.Errorf("no record to change")
	}
	at := time.Now()
	if err := s.suite.target.Trigger.Change(ctx, s.record); err != nil {
		return fmt.Errorf("changing %s through the %s: %w", s.record, s.suite.target.Trigger.Name(), err)
	}
	s.changes = append(s.changes, at)
	return nil
}

func (s *scenario) recordChanges(ctx context.Context) error { return s.change(ctx) }

// pendingSince is the first change not yet covered by a call on c: the
// reference point of "within one window".
func (s *scenario) pendingSince(c *callback) (time.Time, bool) {
	calls := s.calls(c)
	var after time.Time
	if c.seen > 0 && c.seen <= len(calls) {
		after = calls[c.seen-1].At
	}
	for _, ch := range s.changes {
		if !ch.Before(after) {
			return ch, true
		}
	}
	return time.Time{}, false
}

// calledWithinWindow waits for a call that covers the first uncovered change.
func (s *scenario) calledWithinWindow(ctx context.Context) error {
	return s.awaitCovering(ctx, s.cb)
}

func (s *scenario) awaitCovering(ctx context.Context, c *callback) error {
	since, ok := s.pendingSince(c)
	if !ok {
		return fmt.Errorf("no change of the record is waiting for a call on %s", c.path)
	}
	bound := s.window() + s.tolerance()
	deadline := since.Add(bound)
	calls, arrived, err := s.awaitNext(ctx, c, c.seen, deadline, fmt.Sprintf("a call on the %s", c.name))
	if err != nil {
		return err
	}
	if !arrived || calls[c.seen].At.After(deadline) {
		return fmt.Errorf("expected a call on %s within one window plus tolerance (%s) of the change at %s; saw %s after %s",
			c.path, bound, since.Format("15:04:05.000"), judge.DescribeCalls(c.ref(), calls, s.origin()), time.Since(since).Round(time.Millisecond))
	}
	c.seen++
	return nil
}

// notCalledWithinWindow checks that no call comes within one window plus
// tolerance of the last change (or of now, when nothing changed since the
// last call).
func (s *scenario) notCalledWithinWindow(ctx context.Context) error {
	ref := time.Now()
	if since, ok := s.pendingSince(s.cb); ok {
		ref = since
	}
	have := s.cb.seen
	bound := s.window() + s.tolerance()
	calls, arrived, err := s.awaitNext(ctx, s.cb, have, ref.Add(bound), "one window with no call on the callback")
	if err != nil {
		return err
	}
	if arrived {
		o := calls[have]
		return fmt.Errorf("expected no call on %s within %s of %s; got one %s later (answered %s); %s",
			s.cb.path, bound, ref.Format("15:04:05.000"), o.At.Sub(ref).Round(time.Millisecond), answerOf(o), judge.DescribeCalls(s.cb.ref(), calls, s.origin()))
	}
	return nil
}

func answerOf(o receiver.Observation) string {
	if o.Answer != "" {
		return o.Answer
	}
	return fmt.Sprint(o.Status)
}

// lastCall returns the last call the steps have accounted for and their number.
func (s *scenario) lastCall(c *callback) (receiver.Observation, int, error) {
	calls := s.calls(c)
	if c.seen == 0 || c.seen > len(calls) {
		return receiver.Observation{}, 0, fmt.Errorf("no call on %s accounted for yet", c.path)
	}
	return calls[c.seen-1], c.seen, nil
}

func (s *scenario) callIsEmptyPost() error {
	o, _, err := s.lastCall(s.cb)
	if err != nil {
		return err
	}
	var problems []string
	if o.Method != "POST" {
		problems = append(problems, fmt.Sprintf("method %s, expected POST", o.Method))
	}
	if o.BodyLen != 0 {
		problems = append(problems, fmt.Sprintf("a body of %d bytes, expected none", o.BodyLen))
	}
	if o.ContentLength != "0" {
		cl := o.ContentLength
		if cl == "" {
			cl = "absent"
		}
		problems = append(problems, fmt.Sprintf("Content-Length %s, expected 0", cl))
	}
	if o.Chunked {
		problems = append(problems, "Transfer-Encoding: chunked, expected a plain empty body")
	}
	if len(problems) > 0 {
		return fmt.Errorf("call on %s at %s: %v", s.cb.path, o.At.Format("15:04:05.000"), problems)
	}
	return nil
}

// callIsPlain checks that the last call is HTTP/1.1 without the headers
// ORCID never sends (F082, F083).
func (s *scenario) callIsPlain() error {
	o, _, err := s.lastCall(s.cb)
	if err != nil {
		return err
	}
	var problems []string
	if o.Proto != "HTTP/1.1" {
		problems = append(problems, fmt.Sprintf("protocol %s, expected HTTP/1.1", o.Proto))
	}
	names := make([]string, 0, len(o.Headers))
	for h := range o.Headers {
		names = append(names, h)
	}
	slices.Sort(names)
	for _, h := range names {
		l := strings.ToLower(h)
		if l == "content-type" || l == "accept" || l == "authorization" || l == "cookie" || strings.Contains(l, "signature") || strings.Contains(l, "hmac") {
			problems = append(problems, "header "+h+", expected none such")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("call on %s at %s (headers %v): %s", s.cb.path, o.At.Format("15:04:05.000"), names, strings.Join(problems, "; "))
	}
	return nil
}

// calledWithinWindowFromNow waits for the next call on the callback within
// one window (plus tolerance) from now: for a change owed since before.
func (s *scenario) calledWithinWindowFromNow(ctx context.Context) error {
	now, have := time.Now(), s.cb.seen
	deadline := now.Add(s.window() + s.tolerance())
	calls, arrived, err := s.awaitNext(ctx, s.cb, have, deadline, "a call on the "+s.cb.name)
	if err != nil {
		return err
	}
	if !arrived || calls[have].At.After(deadline) {
		return fmt.Errorf("expected a call on %s within one window plus tolerance (%s) from %s; saw %s",
			s.cb.path, s.window()+s.tolerance(), now.Format("15:04:05.000"), judge.DescribeCalls(s.cb.ref(), calls, s.origin()))
	}
	s.cb.seen = have + 1
	return nil
}

// redirectNotFollowed checks that no sender followed a 3xx of the
// receiver during the scenario (F087).
func (s *scenario) redirectNotFollowed() error {
	for _, o := range s.suite.recv.Observations() {
		if o.Callback == receiver.RedirectPath && !o.At.Before(s.started) {
			return fmt.Errorf("the target followed a redirect: %s %s at %s (redirects must not be followed)", o.Method, o.Callback, o.At.Format("15:04:05.000"))
		}
	}
	return nil
}

// noCallUntil checks that c gets no call after its last one until deadline.
func (s *scenario) noCallUntil(ctx context.Context, c *callback, deadline time.Time, what string) error {
	last, have, err := s.lastCall(c)
	if err != nil {
		return err
	}
	calls, arrived, err := s.awaitNext(ctx, c, have, deadline, what)
	if err != nil {
		return err
	}
	if arrived && !calls[have].At.After(deadline) {
		o := calls[have]
		return fmt.Errorf("expected no further call on %s until %s after call #%d (answered %s); call #%d came %s after it; %s",
			c.path, deadline.Sub(last.At).Round(time.Millisecond), have, answerOf(last), have+1, o.At.Sub(last.At).Round(time.Millisecond), judge.DescribeCalls(c.ref(), calls, s.origin()))
	}
	return nil
}

func (s *scenario) notCalledAgainFirstRetry(ctx context.Context) error {
	last, _, err := s.lastCall(s.cb)
	if err != nil {
		return err
	}
	return s.noCallUntil(ctx, s.cb, last.At.Add(s.delay(1)+s.tolerance()), "no retry after a 2xx")
}

func (s *scenario) eachCalledOnce(ctx context.Context) error {
	cbs := []*callback{s.cb, s.cb2}
	since, ok := s.pendingSince(s.cb)
	if !ok {
		return fmt.Errorf("no change of the record is waiting for a call")
	}
	deadline := since.Add(s.window() + s.tolerance())
	for _, c := range cbs {
		calls, arrived, err := s.awaitNext(ctx, c, 0, deadline, "a call on the "+c.name)
		if err != nil {
			return err
		}
		if !arrived {
			return fmt.Errorf("expected a call on the %s within %s of the change; saw %s", c.name, s.window()+s.tolerance(), judge.DescribeCalls(c.ref(), calls, since))
		}
		c.seen = 1
	}
	if err := s.sleepUntil(ctx, deadline, "the end of the window"); err != nil {
		return err
	}
	for _, c := range cbs {
		if calls := s.calls(c); len(calls) != 1 {
			return fmt.Errorf("expected exactly one call on the %s within %s of the change; saw %s", c.name, s.window()+s.tolerance(), judge.DescribeCalls(c.ref(), calls, since))
		}
	}
	return nil
}
