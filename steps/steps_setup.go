package steps

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cucumber/godog"
)

// register binds every step of the suite to this scenario's methods.
func (s *scenario) register(sc *godog.ScenarioContext) {
	// Setup.
	sc.Step(`^the member client has a "([^"]*)" token$`, s.redacted(s.memberHasToken))
	sc.Step(`^a record on the target$`, s.redacted(s.aRecord))
	sc.Step(`^a callback at the harness that answers "([^"]*)"$`, s.redacted(s.aCallback))
	sc.Step(`^a second callback at the harness that answers "([^"]*)"$`, s.redacted(s.aSecondCallback))
	sc.Step(`^a callback at the harness without a scheme that answers "([^"]*)"$`, s.redacted(s.aSchemelessCallback))
	sc.Step(`^a callback at the harness that fails with "([^"]*)" once and then answers "([^"]*)"$`, s.redacted(s.aFailingCallback))
	sc.Step(`^a callback at the harness that answers "([^"]*)" just (inside|past) the callback timeout$`, s.redacted(s.aSlowCallback))
	sc.Step(`^the client has registered the callback for the record$`, s.redacted(s.hasRegistered))
	sc.Step(`^the client has registered the second callback for the record$`, s.redacted(s.hasRegisteredSecond))
	sc.Step(`^the client has unregistered the callback for the record$`, s.redacted(s.hasUnregistered))
	sc.Step(`^a second member client with a "/webhook" token$`, s.redacted(s.aSecondClient))
	sc.Step(`^the declared maximum number of attempts can be awaited$`, s.redacted(s.maxAttemptsAwaitable))

	s.registerAPISteps(sc)
	s.registerTokenSteps(sc)
	s.registerControlSteps(sc)
	s.registerDeliverySteps(sc)
	s.registerRetrySteps(sc)
	s.registerFromEndSteps(sc)
	s.registerBatchingSteps(sc)
}

func (s *scenario) memberHasToken(ctx context.Context, scope string) error {
	if _, err := s.suite.tokens.Member(ctx, scope); err != nil {
		if scope != "/webhook" {
			return s.skip("the member client cannot get a %s token, so a token without /webhook cannot be tried: %v", scope, err)
		}
		return err
	}
	return nil
}

func (s *scenario) aRecord(ctx context.Context) error {
	id, release, err := s.suite.target.Trigger.Lease(ctx)
	if err != nil {
		return fmt.Errorf("getting a record from the trigger (%s): %w", s.suite.target.Trigger.Name(), err)
	}
	s.record, s.release = id, release
	return nil
}

func (s *scenario) aCallback(script string) (err error) {
	s.cb, err = s.newCallback("callback", script, false)
	return err
}

func (s *scenario) aSecondCallback(script string) (err error) {
	s.cb2, err = s.newCallback("second callback", script, false)
	if s.cb2 != nil {
		s.cb2.name = "second callback"
	}
	return err
}

func (s *scenario) aSchemelessCallback(script string) (err error) {
	s.cb, err = s.newCallback("scheme-less callback", script, true)
	return err
}

// failureScripts maps the failure kinds of the retry feature to receiver
// script steps.
var failureScripts = map[string]string{
	"timeout": "hang", // never answers: the sender's timeout ends the call
	"reset":   "reset",
}

func (s *scenario) aFailingCallback(failure, then string) (err error) {
	step, ok := failureScripts[failure]
	if !ok {
		step = failure // a status code
	}
	s.cb, err = s.newCallback("callback", step+","+then, false)
	return err
}

// aSlowCallback answers code after the callback timeout less or more a
// margin: the tolerance, at most half the timeout (F088).
func (s *scenario) aSlowCallback(code, where string) (err error) {
	timeout := s.suite.cfg.Timing.CallbackTimeout
	if timeout <= 0 {
		return s.skip("the declared timing has no callback timeout")
	}
	margin := min(s.tolerance(), timeout/2)
	d := timeout - margin
	if where == "past" {
		d = timeout + margin
	}
	s.cb, err = s.newCallback("callback", fmt.Sprintf("delay=%s:%s", d, code), false)
	if s.cb != nil {
		s.cb.lag = d
	}
	return err
}

// registerAs sends PUT for c on the record with token and keeps the answer;
// a 2xx means a hook to clean up afterwards.
func (s *scenario) registerAs(ctx context.Context, token, record string, c *callback) error {
	resp, err := s.suite.api.Hook(ctx, http.MethodPut, token, record, c.url)
	if err != nil {
		return err
	}
	s.resp = resp
	if resp.Status >= 200 && resp.Status < 300 {
		s.hooks = append(s.hooks, hookRef{record: record, callback: c.url, token: token})
	}
	return nil
}

// unregisterAs sends DELETE for c on the record with token.
func (s *scenario) unregisterAs(ctx context.Context, token, record string, c *callback) error {
	resp, err := s.suite.api.Hook(ctx, http.MethodDelete, token, record, c.url)
	if err != nil {
		return err
	}
	s.resp = resp
	return nil
}

func (s *scenario) webhookToken(ctx context.Context) (string, error) {
	return s.suite.tokens.Member(ctx, "/webhook")
}

func (s *scenario) hasRegistered(ctx context.Context) error { return s.mustRegister(ctx, s.cb) }

func (s *scenario) hasRegisteredSecond(ctx context.Context) error { return s.mustRegister(ctx, s.cb2) }

func (s *scenario) mustRegister(ctx context.Context, c *callback) error {
	if c == nil {
		return fmt.Errorf("no callback to register")
	}
	tok, err := s.webhookToken(ctx)
	if err != nil {
		return err
	}
	if err := s.registerAs(ctx, tok, s.record, c); err != nil {
		return err
	}
	if s.resp.Status < 200 || s.resp.Status > 299 {
		return fmt.Errorf("expected a 2xx registering the %s for %s; %s", c.name, s.record, s.resp.Describe())
	}
	return nil
}

func (s *scenario) hasUnregistered(ctx context.Context) error {
	tok, err := s.webhookToken(ctx)
	if err != nil {
		return err
	}
	if err := s.unregisterAs(ctx, tok, s.record, s.cb); err != nil {
		return err
	}
	if s.resp.Status < 200 || s.resp.Status > 299 {
		return fmt.Errorf("expected a 2xx unregistering the callback for %s; %s", s.record, s.resp.Describe())
	}
	return nil
}

func (s *scenario) aSecondClient(ctx context.Context) error {
	_, reason, err := s.suite.tokens.Second(ctx)
	if err != nil {
		return err
	}
	if reason != "" {
		return s.skip("%s", reason)
	}
	return nil
}

func (s *scenario) maxAttemptsAwaitable() error {
	t := s.suite.cfg.Timing
	m := t.Retry.MaxAttempts
	if m <= 0 {
		return s.skip("the declared timing has no maximum number of attempts (--max-attempts 0)")
	}
	need := 2*t.Window + 2*t.Tolerance
	for k := 1; k <= m; k++ {
		need += s.delay(k) + t.Tolerance
	}
	if need > s.suite.cfg.MaxWait {
		return s.skip("%d attempts with retries %s need about %s of waiting, more than --max-wait %s", m, t.Retry, need.Round(1e9), s.suite.cfg.MaxWait)
	}
	return nil
}
