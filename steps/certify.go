package steps

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/features"
	"github.com/hookcheck/hookcheck/fixtures/orcid"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/loadgen"
)

// DefaultCallbackTimeout is the real registry's timeout for one callback
// (connect and whole request; fact sheet §3.2).
const DefaultCallbackTimeout = 20 * time.Second

// OrcidPlaceholder is replaced by the record's iD in a callback template.
const OrcidPlaceholder = "{orcid}"

// CertifyConfig says which receiver to certify and how to report.
type CertifyConfig struct {
	// URL is the receiver's callback URL. When it contains "{orcid}" it is
	// a template and the record's iD replaces the placeholder; otherwise
	// the iD is appended to its path as a segment (see CallbackURL).
	URL string
	// Timeout is the registry's callback timeout the receiver must answer
	// within (0: DefaultCallbackTimeout).
	Timeout time.Duration
	// Registry, when set, is the reference registry the receiver may read
	// records from (see StartCertifyRegistry): the scenarios' records are
	// created in it. Nil: records are fresh valid iDs no registry holds.
	Registry *Target
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

// CallbackURL is the callback URL of record id for the receiver URL u: u
// with "{orcid}" replaced by id when it has the placeholder, else u with id
// appended to its path as a segment (before any query).
func CallbackURL(u, id string) string {
	if strings.Contains(u, OrcidPlaceholder) {
		return strings.ReplaceAll(u, OrcidPlaceholder, id)
	}
	base, query, hasQuery := strings.Cut(u, "?")
	out := strings.TrimRight(base, "/") + "/" + id
	if hasQuery {
		out += "?" + query
	}
	return out
}

// CheckReceiverURL checks that u is usable as a receiver URL (see
// CallbackURL): an absolute http(s) URL with a host.
func CheckReceiverURL(u string) error {
	if strings.TrimSpace(u) == "" {
		return fmt.Errorf("no receiver URL")
	}
	sample := orcid.FromNumber(0)
	p, err := url.Parse(CallbackURL(u, sample))
	if err != nil {
		return fmt.Errorf("receiver URL %q: %w", u, err)
	}
	if (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fmt.Errorf("receiver URL %q: not an absolute http(s) URL", u)
	}
	if strings.Contains(p.Host, sample) {
		return fmt.Errorf("receiver URL %q: %s may only stand in the path or query", u, OrcidPlaceholder)
	}
	return nil
}

// ProbeReceiver checks within timeout that the receiver's host accepts a TCP
// connection; it sends nothing, so it is not a delivery. A failure wraps
// ErrUnreachable.
func ProbeReceiver(ctx context.Context, u string, timeout time.Duration) error {
	p, err := url.Parse(CallbackURL(u, orcid.FromNumber(0)))
	if err != nil {
		return unreachableReceiver{what: fmt.Sprintf("URL %q", u), err: err}
	}
	host := p.Host
	if p.Port() == "" {
		port := "80"
		if p.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(p.Hostname(), port)
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return unreachableReceiver{what: host, err: err}
	}
	_ = conn.Close()
	return nil
}

// unreachableReceiver is a failed probe; it wraps ErrUnreachable and the
// dial error.
type unreachableReceiver struct {
	what string
	err  error
}

func (e unreachableReceiver) Error() string {
	return "receiver unreachable: " + e.what + ": " + e.err.Error()
}
func (e unreachableReceiver) Unwrap() []error { return []error{ErrUnreachable, e.err} }

// StartCertifyRegistry starts the reference registry in-process on a
// loopback port for receivers that read the record when called (GET
// {URL}/v3.0/{orcid}/record). Close the target to stop it.
func StartCertifyRegistry(ctx context.Context) (*Target, error) {
	p, err := timing.LookupProfile("orcid")
	if err != nil {
		return nil, fmt.Errorf("certify: %w", err)
	}
	t, err := StartEmbedded(ctx, RegistryConfig(EmbeddedTiming(p)))
	if err != nil {
		return nil, fmt.Errorf("certify: reference registry: %w", err)
	}
	return t, nil
}

// NewRecord returns a record for a scenario: one created in reg through its
// control API, or, when reg is nil, a fresh valid iD.
func NewRecord(ctx context.Context, reg *Target) (string, error) {
	if reg == nil || reg.Trigger == nil {
		return freshORCID(), nil
	}
	id, _, err := reg.Trigger.Lease(ctx)
	if err != nil {
		return "", fmt.Errorf("creating a record in the reference registry: %w", err)
	}
	return id, nil
}

// freshORCID is a valid iD in ORCID's 0009- block, which the reference
// registry never hands out: no registry holds it.
func freshORCID() string {
	return orcid.FromNumber(900_000_000_000 + rand.Uint64N(100_000_000_000))
}

func (c *CertifyConfig) validate() error {
	if err := CheckReceiverURL(c.URL); err != nil {
		return fmt.Errorf("certify: %w", err)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("certify: timeout must be positive, got %s", c.Timeout)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultCallbackTimeout
	}
	c.defaults()
	return nil
}

// certSuite is what the scenarios of one certification share.
type certSuite struct {
	cfg    CertifyConfig
	send   *sender
	redact *Redactor
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
	s := &certSuite{cfg: cfg, send: newSender(cfg.Timeout), redact: &Redactor{}, rec: newRecorder()}
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
		Target:  &Target{Kind: "receiver", URL: c.URL},
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
