package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/steps"
	"github.com/hookcheck/hookcheck/target"
)

func init() {
	register(command{name: "conformance", summary: "run the conformance suite against a target (embedded registry, container image or URL)", run: runConformance})
}

func runConformance(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, code, done := parseConformanceFlags(args, stdout, stderr)
	if done {
		return code
	}
	code, _ = f.run(ctx, stdout, stderr)
	return code
}

// run runs the suite and returns the exit code and the result (nil when
// the suite did not run).
func (f *conformanceFlags) run(ctx context.Context, stdout, stderr io.Writer) (int, *report.Result) {
	profile, err := judge.LoadProfile(f.profile)
	if err != nil {
		return usageError(stderr, "--profile: %v", err), nil
	}
	profile, declared, err := f.validate(profile)
	if err != nil {
		return usageError(stderr, "%v", err), nil
	}
	if f.spec.Target == "container" || f.spec.Image != "" {
		fmt.Fprintf(stderr, "hookcheck: starting the target container (%s)…\n", map[bool]string{true: f.spec.Image, false: "our registry image, built from the Dockerfile"}[f.spec.Image != ""])
	}
	tgt, err := target.Open(ctx, f.spec, declared)
	if err != nil {
		return targetError(stderr, err), nil
	}
	defer tgt.Close()
	if f.Concurrency == 0 {
		f.Concurrency = map[bool]int{true: 16, false: 8}[f.spec.IsURL()]
	}
	cfg := steps.Config{
		Target: tgt, Profile: profile, Timing: declared,
		MaxWait: f.maxWait, Progress: stderr, ProgressMin: f.progressEvery,
		Console: f.Console(stdout),
	}
	report.WriteConformanceStart(stderr, tgt, profile.Name, declared)
	res, err := steps.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUsage, nil
	}
	report.WriteConformanceSummary(stdout, res)
	if f.Report != "" {
		rep, err := report.NewConformance(cfg.ReportRun(), res)
		if err == nil {
			err = rep.WriteFile(f.Report)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitUsage, res
		}
	}
	switch {
	case res.Interrupted && f.Report != "":
		fmt.Fprintf(stderr, "hookcheck: interrupted: partial report written to %s\n", f.Report)
		return exitFail, res
	case res.Interrupted:
		fmt.Fprintln(stderr, "hookcheck: interrupted: partial report")
		return exitFail, res
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "hookcheck: interrupted")
		return exitFail, res
	}
	if !res.Conforms() {
		return exitFail, res
	}
	return exitOK, res
}

// validate checks the flags and returns the profile (scaled for a scaled
// target, then overridden by the flags) and its declared timing; it sets
// the behaviour of the registry a scaled target starts.
func (f *conformanceFlags) validate(profile judge.Profile) (judge.Profile, timing.Timing, error) {
	var declared timing.Timing
	if err := f.Check(); err != nil {
		return profile, declared, err
	}
	if err := f.spec.Check(); err != nil {
		return profile, declared, err
	}
	if f.spec.Scaled() {
		profile = judge.WithTiming(profile, target.EmbeddedTiming(profile.Timing()))
	}
	profile, err := f.overrides(profile)
	if err != nil {
		return profile, declared, err
	}
	if err := steps.CheckConformanceTags(profile, f.Tags); err != nil {
		return profile, declared, err
	}
	declared = profile.Timing()
	if declared.Window <= 0 {
		return profile, declared, fmt.Errorf("--window must be positive for conformance (the batching scenarios need a window), got %s", declared.Window)
	}
	if f.spec.Behaviour, err = targetBehaviour(f.behaviour, profile, f.spec.Scaled()); err != nil {
		return profile, declared, err
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--max-wait", f.maxWait}, {"--progress-every", f.progressEvery}} {
		if d.v <= 0 {
			return profile, declared, fmt.Errorf("%s must be positive, got %s", d.name, d.v)
		}
	}
	return profile, declared, nil
}

// targetBehaviour is the behaviour of the registry a scaled target starts:
// flag, or by default what the profile describes.
func targetBehaviour(flag string, p judge.Profile, scaled bool) (registry.Behaviour, error) {
	if flag == "" {
		if p.BaseName() == string(registry.BehaviourORCIDRegistry) {
			return registry.BehaviourORCIDRegistry, nil
		}
		return registry.BehaviourDocs, nil
	}
	if !scaled {
		return "", fmt.Errorf("--target-behaviour applies to the targets that run our registry (embedded, container), not to %s", "a deployment or a vendor image")
	}
	b, err := registry.ParseBehaviour(flag)
	if err != nil {
		return "", fmt.Errorf("--target-behaviour: %w", err)
	}
	return b, nil
}

// targetError prints a target failure and returns its exit code (see
// target.Exit; anything unclassified is a configuration error).
func targetError(stderr io.Writer, err error) int {
	code, msg := target.Exit(err, "", exitUsage)
	fmt.Fprintf(stderr, "hookcheck: %s\n", msg)
	return code
}
