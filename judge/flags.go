package judge

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// OverrideFlags declares on fs the flags that replace a profile's declared
// values: one group for every command that judges a sender (analyze, load,
// conformance). The returned function, called after fs.Parse, applies them
// to a profile (scaled first for a scaled target), naming the flag of a bad
// value.
func OverrideFlags(fs *flag.FlagSet) func(Profile) (Profile, error) {
	read := overrideFlags(fs)
	return func(p Profile) (Profile, error) {
		o, err := read()
		if err != nil {
			return p, err
		}
		return o.Apply(p)
	}
}

// overrideFlags declares the flags and returns their reader.
func overrideFlags(fs *flag.FlagSet) func() (Overrides, error) {
	o := Overrides{MaxAttempts: -1}
	window := fs.String("window", "", `declared batch window, or "none" (default: the profile's, scaled for embedded targets)`)
	fs.StringVar(&o.Retry, "retry", "", "declared retry schedule: fixed, linear, doubling, geometric, list or any (default: the profile's)")
	fs.DurationVar(&o.Base, "retry-base", 0, "declared delay after the first failure (default: the profile's, scaled for embedded targets)")
	fs.Float64Var(&o.Ratio, "retry-ratio", 0, "geometric: each delay over the previous one (e.g. 1.5)")
	delays := fs.String("retry-delays", "", "list: the delays after failure 1, 2 … (e.g. 0s,5s,5m,30m); the last repeats")
	fs.StringVar(&o.Jitter, "retry-jitter", "", "random delay a sender may add to each retry: a duration (up to that much) or a share (each delay ± that much, e.g. 50%)")
	fs.DurationVar(&o.Lag, "retry-lag", 0, "constant delay a queue may add to each retry")
	fs.IntVar(&o.MaxAttempts, "max-attempts", -1, "declared attempts in all, the first included (0: unlimited; default: the profile's)")
	fs.DurationVar(&o.Tolerance, "tolerance", 0, "fixed slack on every expected time (default: the profile's, or derived from the declared timing when it is overridden)")
	fs.DurationVar(&o.CallbackTimeout, "callback-timeout", 0, "the sender's per-call timeout (default: the profile's)")
	fs.StringVar(&o.EventKey, "event-key", "", "how events on one callback are told apart: header:NAME, json:FIELD, body or none")
	return func() (Overrides, error) {
		for _, d := range []struct {
			name string
			v    time.Duration
		}{{"retry-base", o.Base}, {"retry-lag", o.Lag}, {"tolerance", o.Tolerance}, {"callback-timeout", o.CallbackTimeout}} {
			if d.v < 0 || (d.v == 0 && isSet(fs, d.name)) {
				return o, fmt.Errorf("--%s must be positive, got %s", d.name, d.v)
			}
		}
		if o.Ratio < 0 || (o.Ratio == 0 && isSet(fs, "retry-ratio")) {
			return o, fmt.Errorf("--retry-ratio must be ≥ 1, got %v", o.Ratio)
		}
		if o.MaxAttempts < -1 || (o.MaxAttempts == -1 && isSet(fs, "max-attempts")) {
			return o, fmt.Errorf("--max-attempts must be ≥ 0, got %d", o.MaxAttempts)
		}
		if w := strings.TrimSpace(*window); w == "none" {
			o.NoWindow = true
		} else if w != "" {
			d, err := time.ParseDuration(w)
			if err != nil || d <= 0 {
				return o, fmt.Errorf(`--window must be positive or "none", got %q`, w)
			}
			o.Window = d
		}
		if *delays != "" {
			for _, s := range strings.Split(*delays, ",") {
				d, err := time.ParseDuration(strings.TrimSpace(s))
				if err != nil || d < 0 {
					return o, fmt.Errorf("--retry-delays: %q is not a duration ≥ 0", s)
				}
				o.Delays = append(o.Delays, d)
			}
		}
		return o, nil
	}
}

// isSet reports whether flag name was set on fs's command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// ApplyArgs applies the override flags args (Profile.Args) to p, as
// OverrideFlags would have from a command line.
func ApplyArgs(p Profile, args []string) (Profile, error) {
	if len(args) == 0 {
		return p, nil
	}
	fs := flag.NewFlagSet("profile flags", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	apply := OverrideFlags(fs)
	if err := fs.Parse(args); err != nil {
		return p, fmt.Errorf("profile flags %q: %w", args, err)
	}
	if fs.NArg() > 0 {
		return p, fmt.Errorf("profile flags %q: %q is no flag", args, fs.Arg(0))
	}
	return apply(p)
}
