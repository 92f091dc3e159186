package steps

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/features"
	"github.com/hookcheck/hookcheck/internal/redact"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
)

// ReceiverConfig says which receiver the @receiver scenarios play the
// registry against, and how to report.
type ReceiverConfig struct {
	// URL names the receiver: its callback URL or template. Unless
	// Callbacks is set, it also makes the callbacks: "{orcid}" is replaced
	// by the record's iD, or the iD is appended to its path as a segment
	// (see target.CallbackURL).
	URL string
	// Callbacks give each record's callback URL (nil: the template URL).
	Callbacks target.Callbacks
	// Timeout is the registry's callback timeout the receiver must answer
	// within (0: target.DefaultCallbackTimeout).
	Timeout time.Duration
	// Registry, when set, is the registry the receiver reads records from
	// (see target.OpenCertifyRegistry).
	Registry *target.Target
	// Records lease the records the receiver knows to the scenarios; nil:
	// fresh records of Registry (or fresh iDs no registry holds).
	Records target.Leaser
	// ExpectRead has every notification answered 2xx matched to a read of
	// its record on Registry before the answer: a missing read is a
	// warning, or a failure with RequireRead.
	ExpectRead, RequireRead bool
	// Console reports; its Concurrency defaults to 1, so that one
	// scenario's load does not slow another's answers.
	Console
}

func (c *ReceiverConfig) validate() error {
	if c.Callbacks == nil {
		if err := target.CheckReceiverURL(c.URL); err != nil {
			return fmt.Errorf("certify: %w", err)
		}
		c.Callbacks = target.TemplateCallbacks(c.URL)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("certify: timeout must be positive, got %s", c.Timeout)
	}
	if c.Timeout == 0 {
		c.Timeout = target.DefaultCallbackTimeout
	}
	if (c.ExpectRead || c.RequireRead) && c.Registry == nil {
		return fmt.Errorf("certify: record reads can only be expected from a registry the receiver reads (--registry)")
	}
	c.ExpectRead = c.ExpectRead || c.RequireRead
	c.defaults()
	return nil
}

// ReceiverRun is what the receiver scenarios found.
type ReceiverRun struct {
	Result *report.Result
	// Notes are the informational findings and warnings, sorted by scenario.
	Notes []report.Note
	// Calls are each scenario's answers and read matches, by scenario.
	Calls []report.ScenarioCalls
	// Callbacks are the distinct callback URLs called (forged ones aside).
	Callbacks []string
	// Reads adds up the scenarios' read matches (nil: not expected).
	Reads *judge.ReadMatch
}

// certSuite is what the scenarios of one certification share.
type certSuite struct {
	cfg    ReceiverConfig
	send   *target.Sender
	redact *redact.Redactor
	rec    *recorder
	api    *target.API // the registry's, nil without one

	mu    sync.Mutex
	notes []report.Note
	calls map[string]*report.ScenarioCalls
	used  map[string]bool
}

func (s *certSuite) note(id string, warning bool, format string, args ...any) string {
	text := s.redact.String(fmt.Sprintf(format, args...))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, report.Note{ID: id, Text: text, Warning: warning})
	return text
}

// called counts a scenario's calls: their answers, and the callbacks used.
func (s *certSuite) called(id string, sent []target.Delivery, forged bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.callsLocked(id)
	for _, d := range sent {
		c.Codes[answerKey(d)]++
		if !forged {
			s.used[d.URL] = true
		}
	}
}

// matched keeps a scenario's read match.
func (s *certSuite) matched(id string, m judge.ReadMatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.callsLocked(id)
	if c.Reads == nil {
		c.Reads = &judge.ReadMatch{}
	}
	c.Reads.Add(m)
}

func (s *certSuite) callsLocked(id string) *report.ScenarioCalls {
	c := s.calls[id]
	if c == nil {
		c = &report.ScenarioCalls{ID: id, Codes: map[string]int{}}
		s.calls[id] = c
	}
	return c
}

// answerKey is how an answer is counted: its status, "timeout" or "no answer".
func answerKey(d target.Delivery) string {
	switch {
	case d.TimedOut:
		return "timeout"
	case d.Status == 0:
		return "no answer"
	}
	return fmt.Sprint(d.Status)
}

// RunReceiver runs the receiver scenarios (the feature files tagged
// @receiver) against the receiver, playing the registry, and returns what
// they found. The error is for runs that could not start; a receiver that
// fails is a Result whose Verdict is report.VerdictFailure. Cancelling ctx
// makes the result partial, as for Run.
func RunReceiver(ctx context.Context, cfg ReceiverConfig) (*ReceiverRun, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	paths, err := receiverPaths()
	if err != nil {
		return nil, err
	}
	s := &certSuite{cfg: cfg, send: target.NewSender(cfg.Timeout), redact: &redact.Redactor{}, rec: newRecorder(),
		calls: map[string]*report.ScenarioCalls{}, used: map[string]bool{}}
	if cfg.Registry != nil {
		s.api = cfg.Registry.API(s.redact)
	}
	res, err := cfg.run(ctx, godogRun{
		name: "hookcheck receiver certification", paths: paths, concurrency: cfg.Concurrency,
		tags: andTags(features.ReceiverTag, cfg.Tags), init: s.initScenario, rec: s.rec, redact: s.redact,
	})
	if err != nil {
		return nil, fmt.Errorf("certify: %w", err)
	}
	out := &ReceiverRun{Result: res, Notes: s.notes, Calls: []report.ScenarioCalls{}}
	if out.Notes == nil {
		out.Notes = []report.Note{}
	}
	sort.SliceStable(out.Notes, func(i, j int) bool { return out.Notes[i].ID < out.Notes[j].ID })
	if cfg.ExpectRead {
		out.Reads = &judge.ReadMatch{ByAuth: map[string]int{}}
	}
	for _, c := range s.calls {
		out.Calls = append(out.Calls, *c)
		if c.Reads != nil && out.Reads != nil {
			out.Reads.Add(*c.Reads)
		}
	}
	sort.Slice(out.Calls, func(i, j int) bool { return out.Calls[i].ID < out.Calls[j].ID })
	for u := range s.used {
		out.Callbacks = append(out.Callbacks, u)
	}
	sort.Strings(out.Callbacks)
	return out, nil
}

// initScenario gives each scenario its own state and the step definitions.
func (s *certSuite) initScenario(sc *godog.ScenarioContext) {
	st := &rcvScenario{suite: s}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.rec.begin(p)
		*st = rcvScenario{suite: s, id: scenarioID(p.Name), started: time.Now()}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		for _, release := range st.releases {
			release()
		}
		s.rec.end(p, err, st.skipReason, time.Since(st.started), nil)
		return ctx, nil
	})
	st.register(sc)
}

// andTags joins godog tag expressions with "&&", leaving out empty ones.
func andTags(exprs ...string) string {
	var parts []string
	for _, e := range exprs {
		if e = strings.TrimSpace(e); e != "" {
			parts = append(parts, e)
		}
	}
	return strings.Join(parts, " && ")
}

// conformanceTags is the conformance suite's tag filter f with the receiver
// certification's scenarios left out.
func conformanceTags(f string) string { return andTags(f, "~"+features.ReceiverTag) }
