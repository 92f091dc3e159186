package steps

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
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
// result with every message redacted; a run that selected no scenario is
// an error, never a pass. A scenario godog failed outside our
// hooks fails the result (unless the run was interrupted: then the
// scenarios cut off failed for godog).
func (c *Console) run(ctx context.Context, g godogRun) (*report.Result, error) {
	format := c.Format
	if format == "pretty" {
		format = prettyFormat
	}
	if c.JUnitFile != "" {
		format += ",junit:" + c.JUnitFile
	}
	if c.CukeFile != "" {
		format += ",cucumber:" + c.CukeFile
	}
	out := &stubFree{w: c.Output}
	defer out.flush()
	opts := godog.Options{
		Format:         format,
		Output:         g.redact.Writer(out),
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
	if res.Counts.Scenarios == 0 && !res.Interrupted && ctx.Err() == nil {
		if c.Tags != "" {
			return res, fmt.Errorf("--tags %q selects no scenario: nothing was checked (the tags are in features/*.feature)", c.Tags)
		}
		return res, fmt.Errorf("%s: tag filter %q selects no scenario: nothing was checked", g.name, opts.Tags)
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

// stubFree drops the " -> reflect.makeFuncStub" godog appends to a step's
// location (file:line of its definition) because the redacting wrapper is
// made with reflect: the file:line is what names the step definition.
// godog writes a line in pieces, so whole lines are held until their end;
// flush writes what is left.
type stubFree struct {
	mu   sync.Mutex
	w    io.Writer
	line []byte
}

func (s *stubFree) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.line = append(s.line, p...)
	i := bytes.LastIndexByte(s.line, '\n')
	if i < 0 {
		return len(p), nil
	}
	_, err := s.w.Write(bytes.ReplaceAll(s.line[:i+1], []byte(" -> reflect.makeFuncStub"), nil))
	s.line = append(s.line[:0], s.line[i+1:]...)
	return len(p), err
}

func (s *stubFree) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w.Write(s.line)
	s.line = nil
}
