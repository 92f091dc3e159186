package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/hookcheck/hookcheck/internal/cli"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

func init() {
	register(command{name: "analyze", summary: "judge a receiver log (hookcheck receiver --log) from any webhook sender against a profile: delivery shape, batching, retries (fitted), duplicates", run: runAnalyze})
}

func runAnalyze(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("analyze", stderr)
	logFile := fs.String("log", "", "receiver log (JSON lines) to judge, read after its rotated parts FILE.1, FILE.2 …; or a directory of logs (required)")
	profile := fs.String("profile", "orcid", "expectations: "+fmt.Sprint(judge.BuiltinNames())+" or a profile file (YAML or JSON, docs/profile.schema.json)")
	overrides := judge.OverrideFlags(fs)
	sig := judge.NewSignatureFlags(fs, profile)
	jsonOut := fs.String("json", "", "write the figures, verdicts and observed schedule as JSON here")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if *logFile == "" {
		return usageError(stderr, "analyze: --log FILE is required")
	}
	if err := cli.CheckWritable("--json", *jsonOut); err != nil {
		return usageError(stderr, "%v", err)
	}
	prof, err := judge.LoadProfile(*profile)
	if err != nil {
		return usageError(stderr, "--profile: %v", err)
	}
	if prof, err = overrides(prof); err != nil {
		return usageError(stderr, "%v", err)
	}
	opts, err := sig.LogOptions(prof, stderr)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	a, err := judge.AnalyzeLog(*logFile, prof, opts)
	if errors.Is(err, judge.ErrNothingToJudge) {
		return usageError(stderr, "--log %v", err)
	}
	if err != nil {
		return usageError(stderr, "--log %s: %v", *logFile, err)
	}
	report.WriteAnalysis(stdout, a)
	if *jsonOut != "" {
		if err := report.WriteAnalysisJSON(*jsonOut, a); err != nil {
			return usageError(stderr, "analyze: --json: %v", err)
		}
	}
	if !a.Passed {
		return exitFail
	}
	return exitOK
}
