package steps

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/features"
	"github.com/hookcheck/hookcheck/internal/redact"
	"github.com/hookcheck/hookcheck/report"
)

// Console is how a godog run of the features reports and paces itself:
// shared by the conformance suite and the receiver certification.
type Console struct {
	// Concurrency is how many scenarios run at once (0: 1).
	Concurrency int
	// Tags is an extra godog tag filter, e.g. "@core".
	Tags string

	Format    string    // console formatter: pretty or progress (default pretty)
	Output    io.Writer // console output (default io.Discard)
	NoColors  bool
	JUnitFile string // godog junit formatter output, if set
	CukeFile  string // godog cucumber formatter output, if set

	Logger   *slog.Logger
	TestingT *testing.T // run scenarios as subtests
}

// defaults fills in what was left zero.
func (c *Console) defaults() {
	if c.Concurrency < 1 {
		c.Concurrency = 1
	}
	if c.Format == "" {
		c.Format = "pretty"
	}
	if c.Output == nil {
		c.Output = io.Discard
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// godogRun is one run of some of the embedded feature files.
type godogRun struct {
	name        string
	paths       []string
	tags        string // the complete tag filter
	concurrency int
	init        func(*godog.ScenarioContext)
	rec         *recorder
	redact      *redact.Redactor
}

// run runs g with c's reporting in strict mode and returns the recorded
// result with every message redacted. A scenario godog failed outside our
// hooks fails the result (unless the run was interrupted: then the
// scenarios cut off failed for godog).
func (c *Console) run(ctx context.Context, g godogRun) (*report.Result, error) {
	format := c.Format
	if c.JUnitFile != "" {
		format += ",junit:" + c.JUnitFile
	}
	if c.CukeFile != "" {
		format += ",cucumber:" + c.CukeFile
	}
	opts := godog.Options{
		Format:         format,
		Output:         g.redact.Writer(c.Output),
		FS:             features.FS,
		Paths:          g.paths,
		Strict:         true,
		Concurrency:    g.concurrency,
		Tags:           g.tags,
		NoColors:       c.NoColors,
		DefaultContext: ctx,
		TestingT:       c.TestingT,
	}
	g.rec.ctx = ctx
	started := time.Now()
	code := godog.TestSuite{Name: g.name, ScenarioInitializer: g.init, Options: &opts}.Run()
	res := g.rec.result()
	res.Started, res.Duration = started, time.Since(started)
	res.GodogFailed = code != 0
	if code == 2 {
		return res, fmt.Errorf("%s: godog refused its options (format %q, tags %q)", g.name, format, opts.Tags)
	}
	if c.JUnitFile != "" {
		if err := report.TidyJUnit(c.JUnitFile); err != nil {
			return res, fmt.Errorf("%s: %w", g.name, err)
		}
	}
	if res.GodogFailed && res.Verdict != report.VerdictFailure && !res.Interrupted {
		res.Verdict = report.VerdictFailure
	}
	for i := range res.Scenarios {
		res.Scenarios[i].Message = g.redact.String(res.Scenarios[i].Message)
	}
	return res, nil
}
