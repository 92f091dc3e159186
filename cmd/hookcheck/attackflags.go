package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/internal/cli"
	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/report"
)

// attackFlags are the flags of a paced vegeta attack and its reports,
// shared by load and certify-receiver.
type attackFlags struct {
	pacing        loadgen.Pacing
	limits        thresholdFlags
	json, html    string
	results       string
	resultsFormat string
	quiet         bool
	workers       int
	cpuProfile    string
}

// thresholdFlags is a repeatable --threshold.
type thresholdFlags []loadgen.Threshold

func (t *thresholdFlags) String() string { return fmt.Sprint(len(*t)) }
func (t *thresholdFlags) Set(v string) error {
	th, err := loadgen.ParseThreshold(v)
	if err == nil {
		*t = append(*t, th)
	}
	return err
}

// add declares the flags; unit names what the attack sends per second
// ("changes", "notifications"), rate and duration are the defaults.
func (a *attackFlags) add(fs *flag.FlagSet, unit string, rate float64, duration time.Duration) {
	fs.StringVar(&a.pacing.Shape, "pacing", "constant", "arrival shape: constant, linear (ramp, then constant) or sine")
	fs.Float64Var(&a.pacing.Rate, "rate", rate, unit+" per second (sine: the mean)")
	fs.DurationVar(&a.pacing.Duration, "duration", duration, "attack duration")
	fs.DurationVar(&a.pacing.Ramp, "ramp", 0, "linear: time to climb to --rate")
	fs.DurationVar(&a.pacing.Period, "period", 0, "sine: period (default --duration)")
	fs.Float64Var(&a.pacing.Amp, "amp", 0, "sine: amplitude in "+unit+"/s (default rate/2)")
	fs.Var(&a.limits, "threshold", "gate the run, e.g. 'p99<500ms', 'success>=99.9%' (repeatable); metrics: "+loadgen.MetricNames())
	fs.StringVar(&a.json, "json", "", "write all figures and verdicts as JSON here")
	fs.StringVar(&a.html, "html", "", "write a self-contained HTML report with plots here")
	fs.StringVar(&a.results, "results", "", "write the attack's vegeta results here (vegeta report/plot read them)")
	fs.StringVar(&a.resultsFormat, "results-format", "gob", "format of --results: gob (vegeta's default), json or csv")
	fs.BoolVar(&a.quiet, "quiet", false, "no live progress line")
	fs.StringVar(&a.cpuProfile, "cpuprofile", "", "write a Go CPU profile of this process here (go tool pprof reads it)")
	fs.IntVar(&a.workers, "workers", loadgen.DefaultWorkers, fmt.Sprintf("most requests in flight, and connections, of the attack: the pool starts at rate × %s (at least %d) and grows while sends wait for a worker", loadgen.WorkerLatency, loadgen.MinWorkers))
}

// profile starts --cpuprofile, if set; call stop when the run is done.
func (a *attackFlags) profile() (stop func(), err error) {
	if a.cpuProfile == "" {
		return func() {}, nil
	}
	stop, err = startCPUProfile(a.cpuProfile)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return stop, nil
}

// checkWorkers names a bad --workers.
func (a *attackFlags) checkWorkers() error {
	if a.workers < 1 {
		return fmt.Errorf("--workers must be at least 1, got %d", a.workers)
	}
	return nil
}

// pacingOrDefault is the pacing with the sine amplitude defaulted.
func (a *attackFlags) pacingOrDefault() loadgen.Pacing {
	p := a.pacing
	if p.Shape == "sine" && p.Amp == 0 {
		p.Amp = p.Rate / 2
	}
	return p
}

// progress is where the live progress line goes (nil with --quiet): off
// a terminal, a plain line every 5 s.
func (a *attackFlags) progress(stderr io.Writer) io.Writer {
	if a.quiet {
		return nil
	}
	return cli.Progress(stderr, 5*time.Second)
}

// encoder opens --results (nil when not set); close the file when done.
func (a *attackFlags) encoder() (vegeta.Encoder, io.Closer, error) {
	return loadgen.OpenResults(a.results, a.resultsFormat)
}

// finish judges a summary against the thresholds, writes the reports and
// picks the exit code (exitThreshold when only thresholds failed).
func (a *attackFlags) finish(sum *report.Summary, results []vegeta.Result, stdout, stderr io.Writer) int {
	return finishLoad(sum, results, a.limits, a.json, a.html, stdout, stderr)
}

// finishLoad judges a summary, writes the reports and picks the exit code.
func finishLoad(sum *report.Summary, results []vegeta.Result, limits []loadgen.Threshold, jsonOut, htmlOut string, stdout, stderr io.Writer) int {
	loadgen.Judge(sum, limits)
	if err := report.WriteLoad(sum, results, report.LoadOutputs{Text: stdout, JSON: jsonOut, HTML: htmlOut}); err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitFail
	}
	return loadExit(sum.Verdict)
}

// loadExit is the exit code of a judged load run's verdict.
func loadExit(verdict string) int {
	switch verdict {
	case report.LoadPass:
		return exitOK
	case report.LoadThreshold:
		return exitThreshold
	case report.LoadInconclusive:
		return exitInconclusive
	}
	return exitFail
}
