package bench

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/loadgen"
)

// AttackFlags are the flags of hookcheck bench attack.
type AttackFlags struct {
	rates string
	AttackConfig
}

// AddFlags declares the flags into f.
func (f *AttackFlags) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&f.rates, "rates", "5000,10000,20000,40000", "offered rates, comma-separated (requests/s)")
	fs.DurationVar(&f.Duration, "duration", 5*time.Second, "each attack's duration")
	fs.IntVar(&f.Workers, "workers", loadgen.DefaultWorkers, "most workers and connections of every generator (each starts with hookcheck's initial pool for the rate)")
	fs.IntVar(&f.Repeat, "repeat", 1, "measure each generator at each rate this many times (ratios are medians)")
	fs.StringVar(&f.VegetaCLI, "vegeta", "", "vegeta's binary, for a third column (go install github.com/tsenart/vegeta/v12@v12.13.0)")
}

// Config checks the flags and returns the benchmark they ask for.
func (f *AttackFlags) Config() (AttackConfig, error) {
	cfg := f.AttackConfig
	for _, s := range strings.Split(f.rates, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || r <= 0 {
			return cfg, fmt.Errorf("--rates: %q is not a positive rate", s)
		}
		cfg.Rates = append(cfg.Rates, r)
	}
	switch {
	case cfg.Duration <= 0:
		return cfg, fmt.Errorf("--duration must be positive, got %s", cfg.Duration)
	case cfg.Repeat < 1:
		return cfg, fmt.Errorf("--repeat must be at least 1, got %d", cfg.Repeat)
	case cfg.Workers < 1:
		return cfg, fmt.Errorf("--workers must be at least 1, got %d", cfg.Workers)
	}
	if cfg.VegetaCLI != "" {
		if _, err := os.Stat(cfg.VegetaCLI); err != nil {
			return cfg, fmt.Errorf("--vegeta: %w", err)
		}
	}
	return cfg, nil
}

// AddFlags declares the flags of hookcheck bench harness into c.
func (c *HarnessConfig) AddFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.Records, "records", 10000, "records (one hook each)")
	fs.Float64Var(&c.Rate, "rate", 8000, "record changes per second")
	fs.DurationVar(&c.Duration, "duration", 10*time.Second, "attack duration")
}

// Check says what is wrong with the harness benchmark's flags.
func (c *HarnessConfig) Check() error {
	switch {
	case c.Records < 1:
		return fmt.Errorf("--records must be at least 1, got %d", c.Records)
	case !(c.Rate > 0):
		return fmt.Errorf("--rate must be positive, got %v", c.Rate)
	case c.Duration <= 0:
		return fmt.Errorf("--duration must be positive, got %s", c.Duration)
	}
	return nil
}

// OneFlags are the flags of the children bench attack-one and bench
// minimum run: one generator's attack.
type OneFlags struct {
	Gen, URL, CPUProfile string
	Rate                 float64
	Duration             time.Duration
	Workers              int
}

// AddFlags declares the flags into f; attackOne adds --gen and --cpuprofile.
func (f *OneFlags) AddFlags(fs *flag.FlagSet, attackOne bool) {
	fs.StringVar(&f.URL, "url", "", "target URL")
	rate, d, workers := 1000.0, 10*time.Second, 64
	if attackOne {
		d, workers = 5*time.Second, loadgen.DefaultWorkers
		fs.StringVar(&f.Gen, "gen", GenHookcheck, "generator: hookcheck or vegeta")
		fs.StringVar(&f.CPUProfile, "cpuprofile", "", "write a CPU profile of the attack here")
	}
	fs.Float64Var(&f.Rate, "rate", rate, "requests per second")
	fs.DurationVar(&f.Duration, "duration", d, "duration")
	fs.IntVar(&f.Workers, "workers", workers, "most workers and connections")
}

// AddFlags declares bench soak's flags into c.
func (c *SoakConfig) AddFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.Records, "records", 10000, "records (one hook each)")
	fs.Float64Var(&c.Rate, "rate", 2000, "record changes per second")
	fs.DurationVar(&c.Duration, "duration", 10*time.Minute, "attack duration (60s for a CI variant)")
	fs.Float64Var(&c.FailRatio, "fail-ratio", 0.1, "share of hooks whose receiver fails by load's default --fail-script")
	fs.BoolVar(&c.Compare, "compare", true, "record the run and judge the recording again in batch (memory grows with the run, after it)")
}

// Check says what is wrong with bench soak's flags.
func (c *SoakConfig) Check() error {
	switch {
	case c.Records < 1:
		return fmt.Errorf("--records must be at least 1, got %d", c.Records)
	case !(c.Rate > 0):
		return fmt.Errorf("--rate must be positive, got %v", c.Rate)
	case c.Duration < 10*time.Second:
		return fmt.Errorf("--duration must be at least 10s (its tenth is the first mark), got %s", c.Duration)
	case !(c.FailRatio >= 0 && c.FailRatio <= 1):
		return fmt.Errorf("--fail-ratio must be in [0, 1], got %v", c.FailRatio)
	}
	return nil
}

// AddFlags declares bench analyze's flags into c.
func (c *AnalyzeConfig) AddFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.Lines, "lines", 10_000_000, "calls in the generated log (10 million: about 5.6 GB on disk, removed after)")
}

// Check says what is wrong with bench analyze's flags.
func (c *AnalyzeConfig) Check() error {
	if c.Lines < 1 {
		return fmt.Errorf("--lines must be at least 1, got %d", c.Lines)
	}
	return nil
}
