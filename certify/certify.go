// Package certify certifies a member's callback endpoint: it plays the
// registry against it (the @receiver scenarios, run through godog by
// package steps) and floods it with notifications (package loadgen), and
// says whether it is fit for ORCID's notifications. It knows neither flags
// nor output formats: the command chooses those.
package certify

import (
	"context"
	"fmt"
	"io"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/steps"
	"github.com/hookcheck/hookcheck/target"
)

// Config says which receiver to certify and how.
type Config struct {
	// URL names the receiver: its callback URL or template (see
	// target.CallbackURL), which also makes the callbacks unless Callbacks
	// is set.
	URL string
	// Callbacks give each record's callback URL (nil: the template URL).
	Callbacks target.Callbacks
	// Timeout is the registry's callback timeout (0: target.DefaultCallbackTimeout).
	Timeout time.Duration
	// Registry, when set, is the registry the receiver is configured
	// against (run in-process, or a running hookcheck registry): it is
	// ready, with its records, before the receiver is probed.
	Registry *target.CertifyRegistry
	// ExpectRead matches every notification answered 2xx to a record read
	// on Registry (a warning when one is missing); RequireRead makes a
	// missing read a failure.
	ExpectRead, RequireRead bool
	// Records is how many distinct record callbacks the flood goes round
	// (at most the records the receiver knows, when they are given).
	Records int
	// Flood paces the flood; a zero Duration skips it.
	Flood loadgen.Pacing
	// Workers bounds the flood's notifications in flight and connections
	// (0: from the rate).
	Workers int
	// Limits judge the flood (nil: DefaultLimits).
	Limits []loadgen.Threshold
	// Results receives the flood's vegeta results; KeepResults keeps them
	// in memory for the HTML plot; Progress gets its live line.
	Results     vegeta.Encoder
	KeepResults bool
	Progress    io.Writer
	// Console reports the scenarios; its Output also announces the flood.
	Console steps.Console
	// Log receives status lines (nil: none).
	Log io.Writer
}

// Validate names what is wrong with c, before anything runs.
func (c *Config) Validate() error {
	switch {
	case c.URL == "" && c.Callbacks == nil:
		return fmt.Errorf("--url is required: the receiver's callback URL, e.g. --url 'https://member.example/orcid/{orcid}/updated', or --callbacks FILE / --callback-cmd 'CMD {orcid}' (see --help)")
	case c.Callbacks == nil && target.CheckReceiverURL(c.URL) != nil:
		return fmt.Errorf("--url: %v", target.CheckReceiverURL(c.URL))
	case c.Timeout < 0:
		return fmt.Errorf("--timeout must be positive, got %s", c.Timeout)
	case c.Console.Concurrency < 1:
		return fmt.Errorf("--concurrency must be ≥ 1, got %d", c.Console.Concurrency)
	case c.Records < 1:
		return fmt.Errorf("--records must be ≥ 1, got %d", c.Records)
	case (c.ExpectRead || c.RequireRead) && c.Registry == nil:
		return fmt.Errorf("--expect-record-read and --require-record-read need --registry: the receiver must read from a registry hookcheck can see")
	}
	if c.Callbacks == nil {
		c.Callbacks = target.TemplateCallbacks(c.URL)
	}
	if err := c.checkRecords(); err != nil {
		return err
	}
	c.ExpectRead = c.ExpectRead || c.RequireRead
	if c.Timeout == 0 {
		c.Timeout = target.DefaultCallbackTimeout
	}
	if c.Flood.Duration > 0 {
		if err := c.Flood.Validate(); err != nil {
			return fmt.Errorf("flood: %w", err)
		}
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Console.Output == nil {
		c.Console.Output = io.Discard
	}
	return nil
}

// DefaultLimits are the flood's thresholds unless others are given: 99.9 %
// of notifications answered 2xx, p99 under half the callback timeout.
func DefaultLimits(timeout time.Duration) ([]loadgen.Threshold, error) {
	var out []loadgen.Threshold
	for _, t := range []string{"success>=99.9%", fmt.Sprintf("p99<%s", timeout/2)} {
		th, err := loadgen.ParseThreshold(t)
		if err != nil {
			return nil, fmt.Errorf("default threshold %q: %w", t, err)
		}
		out = append(out, th)
	}
	return out, nil
}

// Certification is what a certification found.
type Certification struct {
	URL         string
	Timeout     time.Duration
	RegistryURL string // the registry the receiver read records from ("" none)
	// Scenarios, Notes and Calls are the @receiver scenarios' outcome.
	Scenarios *report.Result
	Notes     []report.Note
	Calls     []report.ScenarioCalls
	// Callbacks counts the distinct callback URLs called; CallbackSource
	// says where they came from.
	Callbacks      int
	CallbackSource string
	// Reads is how every notification answered 2xx matched a record read,
	// scenarios and flood (nil: reads were not expected).
	Reads *judge.ReadMatch
	// Flood is the flood's summary, judged (nil: no flood ran);
	// FloodResults its kept vegeta results; FloodHeld whether every check
	// and threshold passed, and FloodReason why not.
	Flood        *report.Summary
	FloodResults []vegeta.Result
	FloodHeld    bool
	FloodReason  string
	// readsFailed: notifications came without the record reads required
	// (evidence against the receiver, however the generator fared).
	readsFailed bool
}

// Run certifies the receiver: the registry it reads from (when asked
// for), the probe, the scenarios, then the flood. The error is for
// certifications that could not run: one wrapping target.ErrUnreachable
// when the receiver's host takes no connection. Cancelling ctx makes the
// outcome partial (never certified).
func Run(ctx context.Context, cfg Config) (*Certification, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	limits := cfg.Limits
	if len(limits) == 0 {
		var err error
		if limits, err = DefaultLimits(cfg.Timeout); err != nil {
			return nil, err
		}
	}
	var reg *target.Target
	if cfg.Registry != nil {
		var err error
		if reg, err = target.OpenCertifyRegistry(ctx, *cfg.Registry); err != nil {
			return nil, err
		}
		defer reg.Close()
		fmt.Fprintf(cfg.Log, "hookcheck: registry for the receiver: %s (client %s, %d records; it reads GET %s/v2.1/{orcid}/record or /v3.0/…)\n",
			reg.URL, reg.Client.ID, len(cfg.Registry.Records), reg.URL)
	}
	known := cfg.known()
	sample := target.SampleORCID
	if len(known) > 0 {
		sample = known[0]
	}
	u, err := cfg.Callbacks.URL(ctx, sample)
	if err != nil {
		return nil, err
	}
	if err := target.ProbeReceiver(ctx, u, cfg.Timeout); err != nil {
		return nil, err
	}
	if cfg.URL == "" {
		cfg.URL = target.Origin(u) // per-record URLs: the receiver is named by its host
	}
	fmt.Fprintf(cfg.Log, "hookcheck: certifying receiver %s (callback timeout %s, callbacks from %s, e.g. %s)\n",
		cfg.URL, cfg.Timeout, cfg.Callbacks.Name(), u)

	rcfg := steps.ReceiverConfig{URL: cfg.URL, Callbacks: cfg.Callbacks, Timeout: cfg.Timeout, Registry: reg,
		ExpectRead: cfg.ExpectRead, RequireRead: cfg.RequireRead, Console: cfg.Console}
	if len(known) > 0 {
		rcfg.Records = target.NewLeaser(known)
	}
	run, err := steps.RunReceiver(ctx, rcfg)
	if err != nil {
		return nil, err
	}
	c := &Certification{URL: cfg.URL, Timeout: cfg.Timeout, Scenarios: run.Result, Notes: run.Notes, Calls: run.Calls,
		CallbackSource: cfg.Callbacks.Name(), Reads: run.Reads, FloodHeld: true}
	if reg != nil {
		c.RegistryURL = reg.URL
	}
	used := map[string]bool{}
	for _, u := range run.Callbacks {
		used[u] = true
	}
	defer func() { c.Callbacks = len(used) }()
	if cfg.Flood.Duration <= 0 || run.Result.Interrupted || ctx.Err() != nil {
		return c, nil
	}
	if err := c.flood(ctx, cfg, reg, known, limits, used); err != nil {
		return nil, fmt.Errorf("flood: %w", err)
	}
	return c, nil
}

// flood floods the receiver over cfg.Records callbacks (of the records it
// knows, or fresh records of reg) and judges it by limits and, when reads
// are expected, by the reads it made.
func (c *Certification) flood(ctx context.Context, cfg Config, reg *target.Target, known []string, limits []loadgen.Threshold, used map[string]bool) error {
	ids := known
	if len(ids) > cfg.Records {
		ids = ids[:cfg.Records]
	}
	if len(ids) == 0 {
		for range cfg.Records {
			id, err := target.NewRecord(ctx, reg)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
	}
	callbacks, err := target.CallbackURLs(ctx, cfg.Callbacks, ids)
	if err != nil {
		return err
	}
	var cursor uint64
	if cfg.ExpectRead {
		if cursor, err = reg.API(nil).ReadCursor(ctx); err != nil {
			return err
		}
	}
	p := cfg.Flood
	fmt.Fprintf(cfg.Console.Output, "\nFlooding %s: %s pacing at %.0f notifications/s for %s over %d record callbacks\n", cfg.URL, p.Shape, p.Rate, p.Duration, len(callbacks))
	sum, results, err := loadgen.Flood(ctx, loadgen.FloodConfig{
		Target: cfg.URL, Callbacks: callbacks, Pacing: p, Timeout: cfg.Timeout, Workers: cfg.Workers,
		Progress: cfg.Progress, KeepResults: cfg.KeepResults || cfg.ExpectRead, Results: cfg.Results,
	})
	if cfg.Progress != nil {
		fmt.Fprintln(cfg.Progress)
	}
	if err != nil {
		return err
	}
	for _, r := range results {
		used[r.URL] = true
	}
	loadgen.Judge(sum, limits)
	c.Flood, c.FloodHeld = sum, sum.Verdict == report.LoadPass
	if cfg.KeepResults {
		c.FloodResults = results
	}
	c.FloodReason = report.FloodFailures(sum)
	if cfg.ExpectRead {
		return c.judgeReads(ctx, cfg, reg, cursor, ids, callbacks, results)
	}
	return nil
}

// Interrupted reports whether the certification was cut short.
func (c *Certification) Interrupted() bool {
	return c.Scenarios.Interrupted || (c.Flood != nil && c.Flood.Partial)
}

// Verdict says whether the receiver is certified and, if not, why.
func (c *Certification) Verdict() (bool, string) {
	switch {
	case c.Interrupted():
		return false, "interrupted"
	case !c.Scenarios.Conforms():
		return false, "a scenario failed"
	case c.Inconclusive():
		return false, c.Flood.Behind
	case !c.FloodHeld:
		return false, "the flood failed its thresholds"
	}
	return true, ""
}

// Inconclusive reports whether the certification can say neither yes nor
// no: every scenario passed, but the flood's generator fell behind, so its
// figures measure this machine, not the receiver.
func (c *Certification) Inconclusive() bool {
	return !c.Interrupted() && c.Scenarios.Conforms() && !c.readsFailed && c.Flood != nil && c.Flood.Verdict == report.LoadInconclusive
}

// Report is the certification's conformance-format report, with the flood.
func (c *Certification) Report() (*report.Certify, error) {
	r, err := report.NewCertify(c.URL, c.Timeout, c.RegistryURL, c.Scenarios, c.Notes)
	if err != nil {
		return nil, err
	}
	r.Callbacks, r.CallbackSource, r.Reads, r.Calls = c.Callbacks, c.CallbackSource, c.Reads, c.Calls
	if c.Flood != nil {
		r.AddFlood(c.Flood, c.FloodHeld, c.FloodReason)
	}
	return r, nil
}
