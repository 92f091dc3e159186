package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

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
	sig := signatureFlags(fs, profile)
	jsonOut := fs.String("json", "", "write the figures, verdicts and observed schedule as JSON here")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if *logFile == "" {
		return usageError(stderr, "analyze: --log FILE is required")
	}
	prof, err := judge.LoadProfile(*profile)
	if err != nil {
		return usageError(stderr, "--profile: %v", err)
	}
	if prof, err = overrides(prof); err != nil {
		return usageError(stderr, "%v", err)
	}
	var opts judge.LogOptions
	if prof.Signature.Scheme != "" && (*sig.secret != "" || os.Getenv(secretEnv) != "") {
		v, err := sig.resolve(stderr)
		if err != nil {
			return usageError(stderr, "%v", err)
		}
		if opts.Signature, err = judge.LogVerifier(v.Secret, v.Tolerance); err != nil {
			return usageError(stderr, "%v", err)
		}
	} else if *sig.secret != "" {
		return usageError(stderr, "--secret: profile %s sends unsigned deliveries", prof.Name)
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
			fmt.Fprintf(stderr, "hookcheck analyze: --json: %v\n", err)
			return exitFail
		}
	}
	if !a.Passed {
		return exitFail
	}
	return exitOK
}
