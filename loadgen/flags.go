package loadgen

import (
	"flag"
	"fmt"
	"io"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/internal/cli"
)

// AttackFlags are the flags of a paced vegeta attack and its reports,
// shared by load and certify-receiver's flood.
type AttackFlags struct {
	Pacing        Pacing
	Limits        Thresholds
	JSON, HTML    string
	Results       string
	ResultsFormat string
	Quiet         bool
	ProgressEvery time.Duration // off a terminal, a progress line this often
	Workers       int
	CPUProfile    string
	flood         bool
}

// Thresholds is a repeatable --threshold.
type Thresholds []Threshold

func (t *Thresholds) String() string { return fmt.Sprint(len(*t)) }

// Set parses one --threshold.
func (t *Thresholds) Set(v string) error {
	th, err := ParseThreshold(v)
	if err == nil {
		*t = append(*t, th)
	}
	return err
}

// AddFlags declares the flags; unit names what the attack sends per second
// ("record changes", "notifications"), rate and duration are the defaults,
// flood says the attack is a flood (whose thresholds have fewer metrics).
func (a *AttackFlags) AddFlags(fs *flag.FlagSet, unit string, rate float64, duration time.Duration, flood bool) {
	a.flood = flood
	metrics := MetricNames()
	if flood {
		metrics = FloodMetricNames()
	}
	fs.StringVar(&a.Pacing.Shape, "pacing", "constant", "arrival shape: constant, linear (ramp, then constant) or sine")
	fs.Float64Var(&a.Pacing.Rate, "rate", rate, unit+" per second (sine: the mean)")
	fs.DurationVar(&a.Pacing.Duration, "duration", duration, "attack duration")
	fs.DurationVar(&a.Pacing.Ramp, "ramp", 0, "linear: time to climb to --rate")
	fs.DurationVar(&a.Pacing.Period, "period", 0, "sine: period (default --duration)")
	fs.Float64Var(&a.Pacing.Amp, "amp", 0, "sine: how far the rate swings above and below --rate, in "+unit+" per second (default rate/2)")
	fs.Var(&a.Limits, "threshold", "gate the run, e.g. 'p99<500ms', 'success>=99.9%' (repeatable); metrics: "+metrics)
	fs.StringVar(&a.JSON, "json", "", "write all figures and verdicts as JSON here")
	fs.StringVar(&a.HTML, "html", "", "write a self-contained HTML report with plots here")
	fs.StringVar(&a.Results, "results", "", "write the attack's vegeta results here (vegeta report/plot read them)")
	fs.StringVar(&a.ResultsFormat, "results-format", "gob", "format of --results: gob (vegeta's default), json or csv")
	fs.BoolVar(&a.Quiet, "quiet", false, "no live progress line")
	fs.DurationVar(&a.ProgressEvery, "progress-every", 5*time.Second, "off a terminal (a CI log), write the progress line this often")
	fs.StringVar(&a.CPUProfile, "cpuprofile", "", "write a Go CPU profile of this process here (go tool pprof reads it)")
	fs.IntVar(&a.Workers, "workers", DefaultWorkers, fmt.Sprintf("most requests in flight, and connections, of the attack: the pool starts at rate × %s (at least %d) and grows while sends wait for a worker", WorkerLatency, MinWorkers))
}

// Check says what is wrong with the flags before the attack: its pacing,
// too few workers, a threshold a flood has no data for, an output that cannot be
// written.
func (a *AttackFlags) Check() error {
	if err := a.PacingOrDefault().Validate(); err != nil && a.flood && a.Pacing.Duration != 0 { // a flood of 0s is none
		return fmt.Errorf("flood: %w", err)
	} else if err != nil && !a.flood {
		return err
	}
	if a.Workers < 1 {
		return fmt.Errorf("--workers must be at least 1, got %d", a.Workers)
	}
	if a.ProgressEvery <= 0 {
		return fmt.Errorf("--progress-every must be positive, got %s", a.ProgressEvery)
	}
	if a.flood {
		for _, t := range a.Limits {
			if err := t.CheckFlood(); err != nil {
				return fmt.Errorf("--threshold: %w", err)
			}
		}
	}
	return cli.CheckWritables([2]string{"--json", a.JSON}, [2]string{"--html", a.HTML}, [2]string{"--results", a.Results}, [2]string{"--cpuprofile", a.CPUProfile})
}

// Profile starts --cpuprofile, if set; call stop when the run is done.
func (a *AttackFlags) Profile() (stop func(), err error) {
	if a.CPUProfile == "" {
		return func() {}, nil
	}
	stop, err = cli.StartCPUProfile(a.CPUProfile)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return stop, nil
}

// PacingOrDefault is the pacing with the sine amplitude defaulted.
func (a *AttackFlags) PacingOrDefault() Pacing {
	p := a.Pacing
	if p.Shape == "sine" && p.Amp == 0 {
		p.Amp = p.Rate / 2
	}
	return p
}

// Progress is where the live progress line goes (nil with --quiet): off
// a terminal, a plain line every --progress-every.
func (a *AttackFlags) Progress(stderr io.Writer) io.Writer {
	if a.Quiet {
		return nil
	}
	return cli.Progress(stderr, a.ProgressEvery)
}

// Encoder opens --results (nil when not set); close the file when done.
func (a *AttackFlags) Encoder() (vegeta.Encoder, io.Closer, error) {
	return OpenResults(a.Results, a.ResultsFormat)
}
