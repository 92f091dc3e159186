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

	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/steps"
	"github.com/hookcheck/hookcheck/target"
)

// Config says which receiver to certify and how.
type Config struct {
	// URL is the receiver's callback URL or template (see target.CallbackURL).
	URL string
	// Timeout is the registry's callback timeout (0: target.DefaultCallbackTimeout).
	Timeout time.Duration
	// Registry runs the reference registry in-process so that the receiver
	// can read the notified records.
	Registry bool
	// Records is how many distinct record callbacks the flood goes round.
	Records int
	// Flood paces the flood; a zero Duration skips it.
	Flood loadgen.Pacing
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
	case c.URL == "":
		return fmt.Errorf("--url is required: the receiver's callback URL, e.g. --url 'https://member.example/orcid/{orcid}/updated' (see --help)")
	case target.CheckReceiverURL(c.URL) != nil:
		return fmt.Errorf("--url must be an absolute http(s) URL (%v)", target.CheckReceiverURL(c.URL))
	case c.Timeout < 0:
		return fmt.Errorf("--timeout must be positive, got %s", c.Timeout)
	case c.Console.Concurrency < 1:
		return fmt.Errorf("--concurrency must be ≥ 1, got %d", c.Console.Concurrency)
	case c.Records < 1:
		return fmt.Errorf("--records must be ≥ 1, got %d", c.Records)
	}
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
	RegistryURL string // the reference registry for record reads ("" none)
	// Scenarios and Notes are the @receiver scenarios' outcome.
	Scenarios *report.Result
	Notes     []report.Note
	// Flood is the flood's summary, judged (nil: no flood ran);
	// FloodResults its kept vegeta results; FloodHeld whether every check
	// and threshold passed.
	Flood        *report.Summary
	FloodResults []vegeta.Result
	FloodHeld    bool
}

// Run certifies cfg.URL: probe, scenarios, then the flood. The error is
// for certifications that could not run: one wrapping
// target.ErrUnreachable when the receiver's host takes no connection.
// Cancelling ctx makes the outcome partial (never certified).
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
	if err := target.ProbeReceiver(ctx, cfg.URL, cfg.Timeout); err != nil {
		return nil, err
	}
	var reg *target.Target
	if cfg.Registry {
		var err error
		if reg, err = target.StartCertifyRegistry(ctx); err != nil {
			return nil, err
		}
		defer reg.Close()
		fmt.Fprintf(cfg.Log, "hookcheck: reference registry for record reads: %s (GET %s/v3.0/{orcid}/record)\n", reg.URL, reg.URL)
	}
	fmt.Fprintf(cfg.Log, "hookcheck: certifying receiver %s (callback timeout %s, e.g. %s)\n",
		cfg.URL, cfg.Timeout, target.CallbackURL(cfg.URL, target.SampleORCID))

	res, notes, err := steps.RunReceiver(ctx, steps.ReceiverConfig{URL: cfg.URL, Timeout: cfg.Timeout, Registry: reg, Console: cfg.Console})
	if err != nil {
		return nil, err
	}
	c := &Certification{URL: cfg.URL, Timeout: cfg.Timeout, Scenarios: res, Notes: notes, FloodHeld: true}
	if reg != nil {
		c.RegistryURL = reg.URL
	}
	if cfg.Flood.Duration <= 0 || res.Interrupted || ctx.Err() != nil {
		return c, nil
	}
	if err := c.flood(ctx, cfg, reg, limits); err != nil {
		return nil, fmt.Errorf("flood: %w", err)
	}
	return c, nil
}

// flood floods the receiver over cfg.Records callbacks (records of reg when
// set, so that the receiver can read them) and judges it by limits.
func (c *Certification) flood(ctx context.Context, cfg Config, reg *target.Target, limits []loadgen.Threshold) error {
	callbacks := make([]string, cfg.Records)
	for i := range callbacks {
		id, err := target.NewRecord(ctx, reg)
		if err != nil {
			return err
		}
		callbacks[i] = target.CallbackURL(cfg.URL, id)
	}
	p := cfg.Flood
	fmt.Fprintf(cfg.Console.Output, "\nFlooding %s: %s pacing at %.0f notifications/s for %s over %d record callbacks\n", cfg.URL, p.Shape, p.Rate, p.Duration, cfg.Records)
	sum, results, err := loadgen.Flood(ctx, loadgen.FloodConfig{
		Target: cfg.URL, Callbacks: callbacks, Pacing: p, Timeout: cfg.Timeout,
		Progress: cfg.Progress, KeepResults: cfg.KeepResults, Results: cfg.Results,
	})
	if cfg.Progress != nil {
		fmt.Fprintln(cfg.Progress)
	}
	if err != nil {
		return err
	}
	checksOK, limitsOK := loadgen.Judge(sum, limits)
	c.Flood, c.FloodResults, c.FloodHeld = sum, results, checksOK && limitsOK && !sum.Partial
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
	case !c.FloodHeld:
		return false, "the flood failed its thresholds"
	}
	return true, ""
}

// Report is the certification's conformance-format report, with the flood.
func (c *Certification) Report() (*report.Certify, error) {
	r, err := report.NewCertify(c.URL, c.Timeout, c.RegistryURL, c.Scenarios, c.Notes)
	if err != nil {
		return nil, err
	}
	if c.Flood != nil {
		r.AddFlood(c.Flood, c.FloodHeld, report.FloodFailures(c.Flood))
	}
	return r, nil
}
