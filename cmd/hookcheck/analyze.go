package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
)

func init() {
	register(command{name: "analyze", summary: "judge a receiver log (hookcheck receiver --log) from any webhook sender: batching, retries, empty POSTs", run: runAnalyze})
}

func runAnalyze(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("analyze", stderr)
	logFile := fs.String("log", "", "receiver log (JSON lines) to judge, read after its rotated parts FILE.1, FILE.2 …; or a directory of logs (required)")
	profile := fs.String("profile", "orcid", "expectations: orcid or orcid-2013 (real 5-minute timing unless overridden)")
	resolveTiming := timingFlags(fs)
	jsonOut := fs.String("json", "", "write the figures and verdicts as JSON here")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if *logFile == "" {
		return usageError(stderr, "analyze: --log FILE is required")
	}
	prof, err := timing.LookupProfile(*profile)
	if err != nil {
		return usageError(stderr, "--profile: %v", err)
	}
	tm, err := resolveTiming(prof.Timing)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	var obs []receiver.Observation // the batch judge needs them all
	err = receiver.ReadLogs(*logFile, func(o receiver.Observation) error { obs = append(obs, o); return nil })
	if err != nil {
		return usageError(stderr, "--log: %v", err)
	}
	if len(obs) == 0 {
		fmt.Fprintf(stderr, "hookcheck analyze: %s holds no calls: nothing to judge\n", *logFile)
		return exitFail
	}
	r := judge.Analyse(judge.Input{Timing: tm, Observations: obs})
	checks := r.Checks(tm)
	fmt.Fprintf(stdout, "Analysed %d calls on %d callbacks against %s (window %s, retry %s, tolerance %s)\n",
		r.Calls, r.Hooks, *profile, tm.Window, tm.Retry, tm.Tolerance)
	ok := true
	for _, c := range checks {
		mark := "ok  "
		switch {
		case c.Skipped:
			mark = "skip"
		case !c.OK:
			mark, ok = "FAIL", false
		}
		fmt.Fprintf(stdout, "  %s %-16s %s\n", mark, c.Name, c.Detail)
		for _, e := range c.Examples {
			if !c.OK && !c.Skipped {
				fmt.Fprintf(stdout, "         e.g. %s\n", e)
			}
		}
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(map[string]any{"timing": tm, "figures": r, "checks": checks}, "", "  ")
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintf(stderr, "hookcheck analyze: --json: %v\n", err)
			return exitFail
		}
	}
	if !ok {
		return exitFail
	}
	return exitOK
}
