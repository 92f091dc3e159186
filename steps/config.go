package steps

import (
	"fmt"
	"io"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
)

// Config says what to run the suite against and how to report.
type Config struct {
	Target  *target.Target // the system under test; see StartEmbedded and NewURLTarget
	Profile judge.Profile  // expectations; Timing below holds its (possibly scaled) durations
	Timing  timing.Timing  // declared timing the steps wait for and judge against

	// MaxWait bounds the waiting one scenario may need; scenarios that need
	// more (max attempts against a real deployment) are skipped with a reason.
	MaxWait     time.Duration
	Progress    io.Writer // long-wait progress lines (nil: none)
	ProgressMin time.Duration

	Console
}

func (c *Config) validate() error {
	if c.Target == nil {
		return fmt.Errorf("steps: no target")
	}
	if c.Profile.Name == "" {
		return fmt.Errorf("steps: no profile")
	}
	if err := c.Timing.Validate(); err != nil {
		return fmt.Errorf("steps: timing: %w", err)
	}
	c.defaults()
	if c.MaxWait <= 0 {
		c.MaxWait = time.Hour
	}
	if c.ProgressMin <= 0 {
		c.ProgressMin = 10 * time.Second
	}
	return nil
}

// ReportRun is what the conformance report says of a run of c.
func (c Config) ReportRun() report.Run {
	return report.Run{Target: c.Target, Profile: c.Profile.Name, Timing: c.Timing, MaxWait: c.MaxWait}
}
