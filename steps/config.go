package steps

import (
	"fmt"
	"io"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// Config says what to run the suite against and how to report.
type Config struct {
	Target  *Target        // the system under test; see StartEmbedded and NewURLTarget
	Profile timing.Profile // expectations; Timing below holds its (possibly scaled) durations
	Timing  timing.Timing  // declared timing the steps wait for and judge against

	// MaxWait bounds the waiting one scenario may need; scenarios that need
	// more (max attempts against a real deployment) are skipped with a reason.
	MaxWait     time.Duration
	Progress    io.Writer // long-wait progress lines (nil: none)
	ProgressMin time.Duration

	Console
}

// EmbeddedTiming is the declared timing of the embedded target: the
// profile's shape with time scaled so that the whole suite takes seconds.
// The window and the retry base are 200 ms (a 1500× scale of ORCID's
// 5 minutes); max attempts is 4 so that the max-attempts scenario ends in
// about three seconds.
func EmbeddedTiming(p timing.Profile) timing.Timing {
	scale := 5 * time.Minute / (200 * time.Millisecond)
	t := p.Timing
	return timing.Timing{
		Window:          t.Window / scale,
		Retry:           timing.Retry{Kind: t.Retry.Kind, Base: t.Retry.Base / scale, MaxAttempts: 4},
		CallbackTimeout: 150 * time.Millisecond,
		Tolerance:       100 * time.Millisecond,
	}
}

// RegistryConfig is the reference registry configuration that matches t:
// what the embedded target runs unless a test plants a defect in it.
func RegistryConfig(t timing.Timing) registry.Config {
	return registry.Config{Timing: timing.Timing{Window: t.Window, Retry: t.Retry, CallbackTimeout: t.CallbackTimeout}}
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
