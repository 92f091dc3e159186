package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/target"
)

// runFlood floods the receiver after the scenarios: --records callbacks
// (records of reg when set, so that the receiver can read them), paced by
// the flood flags, judged by --threshold or the defaults. A nil summary is
// a flood that could not run, with code the exit code.
func (f *certifyFlags) runFlood(ctx context.Context, reg *target.Target, stdout, stderr io.Writer) (*loadgen.Summary, int) {
	limits := f.flood.limits
	if len(limits) == 0 {
		for _, t := range []string{"success>=99.9%", fmt.Sprintf("p99<%s", f.timeout/2)} {
			th, err := loadgen.ParseThreshold(t)
			if err != nil {
				fmt.Fprintf(stderr, "hookcheck: flood: default threshold %q: %v\n", t, err)
				return nil, exitUsage
			}
			limits = append(limits, th)
		}
	}
	callbacks := make([]string, f.records)
	for i := range callbacks {
		id, err := target.NewRecord(ctx, reg)
		if err != nil {
			fmt.Fprintf(stderr, "hookcheck: flood: %v\n", err)
			return nil, exitUsage
		}
		callbacks[i] = target.CallbackURL(f.url, id)
	}
	enc, closer, err := f.flood.encoder()
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck: flood: %v\n", err)
		return nil, exitUsage
	}
	defer closer.Close()
	p := f.flood.pacingOrDefault()
	fmt.Fprintf(stdout, "\nFlooding %s: %s pacing at %.0f notifications/s for %s over %d record callbacks\n", f.url, p.Shape, p.Rate, p.Duration, f.records)
	sum, results, err := loadgen.Flood(ctx, loadgen.FloodConfig{
		Target: f.url, Callbacks: callbacks, Pacing: p, Timeout: f.timeout,
		Progress: f.flood.progress(stderr), KeepResults: f.flood.html != "", Results: enc,
	})
	if !f.flood.quiet {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck: flood: %v\n", err)
		return nil, exitUsage
	}
	return sum, finishLoad(sum, results, limits, f.flood.json, f.flood.html, stdout, stderr)
}

// floodFailures says which of a judged flood's thresholds failed.
func floodFailures(sum *loadgen.Summary) string {
	var failed []string
	for _, o := range sum.Limits {
		if !o.OK {
			obs := "no data"
			if o.Observed != nil {
				obs = *o.Observed
			}
			failed = append(failed, fmt.Sprintf("%s (observed %s)", o.Threshold, obs))
		}
	}
	if sum.Partial {
		failed = append(failed, "the flood was interrupted")
	}
	return "failed: " + strings.Join(failed, ", ")
}
