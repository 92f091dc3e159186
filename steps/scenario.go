package steps

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/target"
)

// scenario is the state of one running scenario.
type scenario struct {
	suite   *suite
	id      string
	no      int
	started time.Time

	record  string // the leased record
	release func()

	cb, cb2 *callback        // the first and second callback
	hooks   []hookRef        // hooks registered, unregistered again at the end
	resp    *target.Response // the last answer of the target
	changes []time.Time      // when each record change was started
	// observed is the retry schedule fitted to the scenario's attempts.
	observed *judge.Fit

	orcidErr  *orcidError         // the last ORCID error body checked
	sentToken string              // the token of the last request sent by request
	other     *target.Credentials // a client made through the control API
	otherTok  string              // its token, or a token revoked or expired
	userID    string              // a record made through the control API …
	userTok   string              // … and its update token (a user grant)
	// restore undoes what the scenario changed on the target (a record's
	// state), at its end.
	restore []func(context.Context) error

	skipReason string
}

// hookRef is a registered hook and the token that registered it.
type hookRef struct {
	record, callback, token string
}

// callback is a callback URL served by the harness's receiver.
type callback struct {
	name   string // "callback" or "second callback", for messages
	url    string // as registered
	path   string // the path the receiver sees
	script string
	// seen is how many calls the steps so far have accounted for; later
	// steps judge the calls after them.
	seen int
	// lag is how long after a call arrives the receiver records it (a
	// callback that answers late): waits last that much longer, while
	// calls are still judged by their arrival.
	lag time.Duration
}

// matches reports whether o is a call on c.
func (c *callback) matches(o receiver.Observation) bool {
	return o.Callback == c.path || strings.HasPrefix(o.Callback, c.path+"?")
}

func (s *scenario) begin(p *godog.Scenario) {
	s.id = scenarioID(p.Name)
	s.started = time.Now()
	s.suite.mu.Lock()
	s.suite.scenarioNo++
	s.no = s.suite.scenarioNo
	s.suite.mu.Unlock()
}

// cleanup unregisters the scenario's hooks and gives its record back.
func (s *scenario) cleanup(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for _, h := range s.hooks {
		if resp, err := s.suite.api.Hook(ctx, http.MethodDelete, h.token, h.record, h.callback); err != nil {
			s.suite.cfg.Logger.Warn("cleanup: unregister failed", "scenario", s.id, "err", s.suite.redact.Error(err))
		} else if resp.Status >= 300 && resp.Status != http.StatusNotFound {
			s.suite.cfg.Logger.Warn("cleanup: unregister refused", "scenario", s.id, "answer", s.suite.redact.String(resp.Describe()))
		}
	}
	s.hooks = nil
	for _, undo := range s.restore {
		if err := undo(ctx); err != nil {
			s.suite.cfg.Logger.Warn("cleanup: restore failed", "scenario", s.id, "err", s.suite.redact.Error(err))
		}
	}
	s.restore = nil
	if s.release != nil {
		s.release()
		s.release = nil
	}
}

// skip ends the scenario as skipped, with a reason for the reports.
func (s *scenario) skip(format string, args ...any) error {
	s.skipReason = fmt.Sprintf(format, args...)
	return fmt.Errorf("%w: %s", godog.ErrSkip, s.skipReason)
}

// timing shortcuts.
func (s *scenario) window() time.Duration    { return s.suite.cfg.Timing.Window }
func (s *scenario) tolerance() time.Duration { return s.suite.cfg.Timing.Tolerance }
func (s *scenario) delay(n int) time.Duration {
	return s.suite.cfg.Timing.Retry.Delay(n)
}

// newCallback makes a callback unique to this scenario whose receiver
// answers by script; schemeless drops the "http://" from the registered URL.
func (s *scenario) newCallback(name, script string, schemeless bool) (*callback, error) {
	if s.record == "" {
		return nil, fmt.Errorf("no record yet: a callback names its record")
	}
	n := 1
	if s.cb != nil {
		n = 2
	}
	path := fmt.Sprintf("/hookcheck/%s/%d-%d/%s/updated", s.suite.runID, s.no, n, s.record)
	url := s.suite.callbackBase + path
	if script != "" {
		url += "?script=" + script
	}
	if schemeless {
		rest, ok := strings.CutPrefix(url, "http://")
		if !ok {
			return nil, s.skip("the callback base %s is not http://, so a scheme-less callback cannot reach it", s.suite.callbackBase)
		}
		// Without a scheme the callback must still parse as a URI, where
		// "host:port/…" reads as scheme "host"; an IP literal cannot start
		// a scheme, so loopback is named localhost.
		host, _, _ := strings.Cut(rest, "/")
		h, _, _ := strings.Cut(host, ":")
		switch {
		case h == "127.0.0.1":
			rest = "localhost" + strings.TrimPrefix(rest, "127.0.0.1")
		case net.ParseIP(strings.Trim(h, "[]")) != nil:
			return nil, s.skip("the callback base %s names an IP address; a scheme-less callback needs a host name", s.suite.callbackBase)
		}
		url = rest
	}
	return &callback{name: name, url: url, path: path, script: script}, nil
}

// calls returns the calls seen on c so far, in order of arrival.
func (s *scenario) calls(c *callback) []receiver.Observation {
	var out []receiver.Observation
	for _, o := range s.suite.recv.Observations() {
		if c.matches(o) {
			out = append(out, o)
		}
	}
	return out
}

// ref names c in the judge's messages.
func (c *callback) ref() judge.Callback { return judge.Callback{Name: c.name, Path: c.path} }

// origin is the time calls are described relative to: the first change, or
// the start of the scenario.
func (s *scenario) origin() time.Time {
	if len(s.changes) > 0 {
		return s.changes[0]
	}
	return s.started
}
