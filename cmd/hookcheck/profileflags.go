package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/judge"
)

// profileFlags declares the flags that replace a profile's declared values
// (a custom profile from flags); the returned function applies them.
func profileFlags(fs *flag.FlagSet) func(judge.Profile) (judge.Profile, error) {
	var o judge.Overrides
	window := fs.String("window", "", `declared batch window, or "none" (default: the profile's)`)
	fs.StringVar(&o.Retry, "retry", "", "declared retry schedule: fixed, linear, doubling, geometric, list or any (default: the profile's)")
	fs.DurationVar(&o.Base, "retry-base", 0, "declared delay after the first failure")
	fs.Float64Var(&o.Ratio, "retry-ratio", 0, "geometric: each delay over the previous one (e.g. 1.5)")
	delays := fs.String("retry-delays", "", "list: the delays after failure 1, 2 … (e.g. 0s,5s,5m,30m); the last repeats")
	fs.StringVar(&o.Jitter, "retry-jitter", "", "random delay a sender may add to each retry: a duration (up to that much) or a share (each delay ± that much, e.g. 50%)")
	fs.DurationVar(&o.Lag, "retry-lag", 0, "constant delay a queue may add to each retry")
	fs.IntVar(&o.MaxAttempts, "max-attempts", -1, "declared attempts in all, the first included (0: unlimited)")
	fs.DurationVar(&o.Tolerance, "tolerance", 0, "fixed slack on every expected time (default: the profile's, or derived from the declared timing when it is overridden)")
	fs.DurationVar(&o.CallbackTimeout, "callback-timeout", 0, "the sender's per-call timeout")
	fs.StringVar(&o.EventKey, "event-key", "", "how events on one callback are told apart: header:NAME, json:FIELD, body or none")
	return func(p judge.Profile) (judge.Profile, error) {
		for _, d := range []struct {
			name string
			v    time.Duration
		}{{"retry-base", o.Base}, {"retry-lag", o.Lag}, {"tolerance", o.Tolerance}, {"callback-timeout", o.CallbackTimeout}} {
			if d.v < 0 || (d.v == 0 && set(fs, d.name)) {
				return p, fmt.Errorf("--%s must be positive, got %s", d.name, d.v)
			}
		}
		if o.Ratio < 0 || (o.Ratio == 0 && set(fs, "retry-ratio")) {
			return p, fmt.Errorf("--retry-ratio must be ≥ 1, got %v", o.Ratio)
		}
		if o.MaxAttempts < -1 || (o.MaxAttempts == -1 && set(fs, "max-attempts")) {
			return p, fmt.Errorf("--max-attempts must be ≥ 0, got %d", o.MaxAttempts)
		}
		switch w := strings.TrimSpace(*window); w {
		case "":
		case "none":
			o.NoWindow = true
		default:
			d, err := time.ParseDuration(w)
			if err != nil || d <= 0 {
				return p, fmt.Errorf(`--window %q: want a positive duration or "none"`, w)
			}
			o.Window = d
		}
		if *delays != "" {
			for _, s := range strings.Split(*delays, ",") {
				d, err := time.ParseDuration(strings.TrimSpace(s))
				if err != nil || d < 0 {
					return p, fmt.Errorf("--retry-delays: %q is not a duration ≥ 0", s)
				}
				o.Delays = append(o.Delays, d)
			}
		}
		return o.Apply(p)
	}
}
