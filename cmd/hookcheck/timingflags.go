package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// timingFlags declares the declared-timing flags (one group for every
// command that judges timing); the returned function resolves them over
// def, the profile's timing (scaled for the embedded targets).
func timingFlags(fs *flag.FlagSet) func(def timing.Timing) (timing.Timing, error) {
	window := fs.Duration("window", 0, "declared batch window (default: the profile's, scaled for embedded targets)")
	retry := fs.String("retry", "", "declared retry policy: doubling, linear, fixed or geometric (default: the profile's)")
	ratio := fs.Float64("retry-ratio", 0, "geometric: each delay over the previous one (e.g. 1.5)")
	base := fs.Duration("retry-base", 0, "declared delay after the first failure (default: the profile's, scaled for embedded targets)")
	tol := fs.Duration("tolerance", 0, "slack on every expected time (default: the profile's, scaled for embedded targets)")
	maxAttempts := fs.Int("max-attempts", -1, "declared attempts before a hook is given up (default: the profile's)")
	cbTimeout := fs.Duration("callback-timeout", 0, "declared per-call timeout of the sender (default: the profile's)")
	return func(t timing.Timing) (timing.Timing, error) {
		for _, d := range []struct {
			name string
			v    time.Duration
		}{{"--window", *window}, {"--retry-base", *base}, {"--tolerance", *tol}, {"--callback-timeout", *cbTimeout}} {
			if d.v < 0 || (d.v == 0 && set(fs, d.name[2:])) {
				return t, fmt.Errorf("%s must be positive, got %s", d.name, d.v)
			}
		}
		if *maxAttempts < -1 || (*maxAttempts == -1 && set(fs, "max-attempts")) {
			return t, fmt.Errorf("--max-attempts must be ≥ 0, got %d", *maxAttempts)
		}
		if *window > 0 {
			t.Window = *window
		}
		if *retry != "" {
			k, err := timing.ParseKind(*retry)
			if err != nil {
				return t, fmt.Errorf("--retry: %w", err)
			}
			t.Retry.Kind = k
		}
		if *base > 0 {
			t.Retry.Base = *base
		}
		if *ratio < 0 || (*ratio == 0 && set(fs, "retry-ratio")) {
			return t, fmt.Errorf("--retry-ratio must be ≥ 1, got %v", *ratio)
		}
		if *ratio > 0 {
			t.Retry.Ratio = *ratio
			if *retry == "" && t.Retry.Kind == timing.Doubling {
				t.Retry.Kind = timing.Geometric
			}
		}
		if *tol > 0 {
			t.Tolerance = *tol
		}
		if *maxAttempts >= 0 {
			t.Retry.MaxAttempts = *maxAttempts
		}
		if *cbTimeout > 0 {
			t.CallbackTimeout = *cbTimeout
		}
		return t, t.Validate()
	}
}

// set reports whether flag name was given on the command line.
func set(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
