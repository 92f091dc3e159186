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
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/internal/redact"
	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/target"
)

// CertifyConfig says which receiver to certify and how to report.
type CertifyConfig struct {
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

// Note is an informational finding of a scenario: it never fails the
// certification (e.g. a 200 where 204 is recommended, or the answers to
// methods the registry never sends).
type Note struct {
	ID   string `json:"id"`
	Text string `json:"note"`
}

// Certification is the outcome of a receiver certification: the scenario
// results (the same Result as a conformance run) and the notes.
type Certification struct {
	*Result
	URL         string        `json:"url"`
	Timeout     time.Duration `json:"timeout_ns"`
	RegistryURL string        `json:"registry_url,omitempty"`
	Notes       []Note        `json:"notes"`
}

func (c *CertifyConfig) validate() error {
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
	cfg    CertifyConfig
	send   *target.Sender
	redact *redact.Redactor
	rec    *recorder

	mu    sync.Mutex
	notes []Note
}

func (s *certSuite) note(id, format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, Note{ID: id, Text: s.redact.String(fmt.Sprintf(format, args...))})
}

// CertifyReceiver runs the receiver certification (the feature files tagged
// @receiver) against cfg.URL, playing the registry. The error is for runs
// that could not start; a receiver that fails is a Certification whose
// Verdict is VerdictFailure. Cancelling ctx makes the result partial, as
// for Run.
func CertifyReceiver(ctx context.Context, cfg CertifyConfig) (*Certification, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	files, err := features.Receiver()
	if err != nil {
		return nil, fmt.Errorf("certify: %w", err)
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
		return nil, fmt.Errorf("certify: %w", err)
	}
	c := &Certification{Result: res, URL: cfg.URL, Timeout: cfg.Timeout, Notes: s.notes}
	if c.Notes == nil {
		c.Notes = []Note{}
	}
	sort.SliceStable(c.Notes, func(i, j int) bool { return c.Notes[i].ID < c.Notes[j].ID })
	if cfg.Registry != nil {
		c.RegistryURL = cfg.Registry.URL
	}
	return c, nil
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

// CertifyReport is the conformance report of a receiver certification: the
// same format, with the receiver's URL as the target, plus the embedded
// registry's URL and the notes.
type CertifyReport struct {
	Report
	// Registry is the URL of the reference registry the receiver could
	// read records from ("" when none ran).
	Registry string `json:"registry_url,omitempty"`
	// CallbackTimeout is the registry's callback timeout the receiver was
	// judged against.
	CallbackTimeout string `json:"callback_timeout"`
	Notes           []Note `json:"notes"`
	// Flood is the flood's summary (figures, thresholds), nil when none ran.
	Flood *loadgen.Summary `json:"flood,omitempty"`
}

// NewCertifyReport builds the report of certification c.
func NewCertifyReport(c *Certification) (*CertifyReport, error) {
	p, err := timing.LookupProfile("orcid")
	if err != nil {
		return nil, fmt.Errorf("certify report: %w", err)
	}
	t := p.Timing
	t.CallbackTimeout = c.Timeout
	r, err := NewReport(Config{
		Target:  &target.Target{Kind: "receiver", URL: c.URL},
		Profile: p, Timing: t, MaxWait: c.Timeout,
	}, c.Result)
	if err != nil {
		return nil, fmt.Errorf("certify report: %w", err)
	}
	files, err := features.Receiver()
	if err != nil {
		return nil, fmt.Errorf("certify report: %w", err)
	}
	r.Features = files
	return &CertifyReport{Report: *r, Registry: c.RegistryURL, CallbackTimeout: c.Timeout.String(), Notes: c.Notes}, nil
}

// WriteFile writes the report as indented JSON.
func (r *CertifyReport) WriteFile(path string) error { return writeReport(path, r) }

// AddFlood adds the flood of the receiver to the report: its figures and
// an area "flood" whose result is held's; a flood that did not hold fails
// the report, with reason.
// An interrupted flood makes the report partial. The counts and the
// duration cover the flood too.
func (r *CertifyReport) AddFlood(sum *loadgen.Summary, held bool, reason string) {
	r.Flood = sum
	area := AreaResult{Area: "flood", Result: VerdictSuccess, Counts: Counts{Scenarios: 1, Passed: 1}}
	r.Counts.Scenarios++
	if held {
		r.Counts.Passed++
	} else {
		area.Result, area.Counts = VerdictFailure, Counts{Scenarios: 1, Failed: 1}
		r.Result = VerdictFailure
		r.Counts.Failed++
		r.Failed = append(r.Failed, ReportItem{ID: "FLOOD", Name: "The receiver holds a flood of notifications", Area: "flood", Core: true, Tags: []string{}, Reason: reason, Interrupted: sum.Partial})
	}
	if sum.Partial {
		r.Partial, r.PartialReason = true, ReasonInterrupted
		area.Partial = ReasonInterrupted
	}
	if sum.Ended.After(r.Started) {
		r.Duration = sum.Ended.Sub(r.Started).Round(time.Millisecond).String()
	}
	r.Areas = append(r.Areas, area)
}
