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
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
)

// ReceiverConfig says which receiver the @receiver scenarios play the
// registry against, and how to report.
type ReceiverConfig struct {
	// URL is the receiver's callback URL. When it contains "{orcid}" it is
	// a template and the record's iD replaces the placeholder; otherwise
	// the iD is appended to its path as a segment (see CallbackURL).
	URL string
	// Timeout is the registry's callback timeout the receiver must answer
	// within (0: target.DefaultCallbackTimeout).
	Timeout time.Duration
	// Registry, when set, is the reference registry the receiver may read
	// records from (see StartCertifyRegistry): the scenarios' records are
	// created in it. Nil: records are fresh valid iDs no registry holds.
	Registry *target.Target
	// Console reports; its Concurrency defaults to 1, so that one
	// scenario's load does not slow another's answers.
	Console
}

func (c *ReceiverConfig) validate() error {
	if err := target.CheckReceiverURL(c.URL); err != nil {
		return fmt.Errorf("certify: %w", err)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("certify: timeout must be positive, got %s", c.Timeout)
	}
	if c.Timeout == 0 {
		c.Timeout = target.DefaultCallbackTimeout
	}
	c.defaults()
	return nil
}

// certSuite is what the scenarios of one certification share.
type certSuite struct {
	cfg    ReceiverConfig
	send   *target.Sender
	redact *redact.Redactor
	rec    *recorder

	mu    sync.Mutex
	notes []report.Note
}

func (s *certSuite) note(id, format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, report.Note{ID: id, Text: s.redact.String(fmt.Sprintf(format, args...))})
}

// RunReceiver runs the receiver scenarios (the feature files tagged
// @receiver) against cfg.URL, playing the registry, and returns their
// results and notes (sorted by scenario). The error is for runs that could
// not start; a receiver that fails is a Result whose Verdict is
// report.VerdictFailure. Cancelling ctx makes the result partial, as for Run.
func RunReceiver(ctx context.Context, cfg ReceiverConfig) (*report.Result, []report.Note, error) {
	if err := cfg.validate(); err != nil {
		return nil, nil, err
	}
	files, err := features.Receiver()
	if err != nil {
		return nil, nil, fmt.Errorf("certify: %w", err)
	}
	paths := make([]string, 0, len(files))
	for _, f := range files {
		paths = append(paths, f.Name)
	}
	s := &certSuite{cfg: cfg, send: target.NewSender(cfg.Timeout), redact: &redact.Redactor{}, rec: newRecorder()}
	res, err := cfg.run(ctx, godogRun{
		name: "hookcheck receiver certification", paths: paths, concurrency: cfg.Concurrency,
		tags: andTags(features.ReceiverTag, cfg.Tags), init: s.initScenario, rec: s.rec, redact: s.redact,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("certify: %w", err)
	}
	notes := s.notes
	if notes == nil {
		notes = []report.Note{}
	}
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].ID < notes[j].ID })
	return res, notes, nil
}

// initScenario gives each scenario its own state and the step definitions.
func (s *certSuite) initScenario(sc *godog.ScenarioContext) {
	st := &rcvScenario{suite: s}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.rec.begin(p)
		st.id, st.started = scenarioID(p.Name), time.Now()
		return ctx, nil
	})
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		s.rec.end(p, err, "", time.Since(st.started))
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
