package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
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
	return f.run(ctx, stdout, stderr)
}

func (f *conformanceFlags) run(ctx context.Context, stdout, stderr io.Writer) int {
	profile, err := judge.LoadProfile(f.profile)
	if err != nil {
		return usageError(stderr, "--profile: %v", err)
	}
	profile, declared, err := f.validate(profile)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	if f.spec.Target == "container" || f.spec.Image != "" {
		fmt.Fprintf(stderr, "hookcheck: starting the target container (%s)…\n", map[bool]string{true: f.spec.Image, false: "our registry image, built from the Dockerfile"}[f.spec.Image != ""])
	}
	tgt, err := target.Open(ctx, f.spec, declared)
	if err != nil {
		return targetError(stderr, err)
	}
	defer tgt.Close()
	if f.concurrency == 0 {
		f.concurrency = map[bool]int{true: 16, false: 8}[f.spec.IsURL()]
	}
	if info := tgt.Info; info != nil && f.spec.Target != "embedded" && info.Timing.Window != declared.Window.String() {
		fmt.Fprintf(stderr, "hookcheck: note: the target declares window %s, retry %s from %s, max attempts %d; the suite expects window %s, retry %s (use --window, --retry-base, --max-attempts to run scaled)\n",
			info.Timing.Window, info.Timing.Retry, info.Timing.RetryBase, info.Timing.MaxAttempts, declared.Window, declared.Retry)
	}

	cfg := steps.Config{
		Target: tgt, Profile: profile, Timing: declared,
		MaxWait: f.maxWait, Progress: stderr, ProgressMin: f.progressEvery,
		Console: f.console(stdout),
	}
	fmt.Fprintf(stderr, "hookcheck: conformance of %s %s (version %s), profile %s: window %s, retry %s, max attempts %d, tolerance %s (%.0f× real time), trigger %s\n",
		tgt.Kind, tgt.URL, tgt.Version(), profile.Name, declared.Window, declared.Retry, declared.Retry.MaxAttempts, declared.Tolerance, declared.Scale(), tgt.Trigger.Name())
	res, err := steps.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUsage
	}
	report.WriteConformanceSummary(stdout, res)
	if f.report != "" {
		rep, err := report.NewConformance(cfg.ReportRun(), res)
		if err == nil {
			err = rep.WriteFile(f.report)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitUsage
		}
	}
	switch {
	case res.Interrupted && f.report != "":
		fmt.Fprintf(stderr, "hookcheck: interrupted: partial report written to %s\n", f.report)
		return exitFail
	case res.Interrupted:
		fmt.Fprintln(stderr, "hookcheck: interrupted: partial report")
		return exitFail
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "hookcheck: interrupted")
		return exitFail
	}
	if !res.Conforms() {
		return exitFail
	}
	return exitOK
}

// validate checks the flags and returns the profile (scaled for a scaled
// target, then overridden by the flags) and its declared timing; it sets
// the behaviour of the registry a scaled target starts.
func (f *conformanceFlags) validate(profile judge.Profile) (judge.Profile, timing.Timing, error) {
	var declared timing.Timing
	if err := f.check(); err != nil {
		return profile, declared, err
	}
	if f.spec.Scaled() {
		profile = judge.WithTiming(profile, target.EmbeddedTiming(profile.Timing()))
	}
	profile, err := f.overrides(profile)
	if err != nil {
		return profile, declared, err
	}
	declared = profile.Timing()
	if declared.Window <= 0 {
		return profile, declared, fmt.Errorf("--window must be positive for conformance (the batching scenarios need a window), got %s", declared.Window)
	}
	if f.spec.Behaviour, err = targetBehaviour(f.behaviour, profile, f.spec.Scaled()); err != nil {
		return profile, declared, err
	}
	if f.concurrency < 0 {
		return profile, declared, fmt.Errorf("--concurrency must be ≥ 0, got %d", f.concurrency)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--connect-timeout", f.spec.ConnectTimeout}, {"--request-timeout", f.spec.RequestTimeout}, {"--max-wait", f.maxWait}, {"--progress-every", f.progressEvery}} {
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

// targetError prints a target.Open failure and returns its exit code: no
// usable answer is exit 3, an answer that is not the API exit 1, anything
// else (bad input, refused credentials) exit 2.
func targetError(stderr io.Writer, err error) int {
	switch {
	case errors.Is(err, target.ErrUnreachable):
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUnreachable
	case errors.Is(err, target.ErrNotConformant):
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitFail
	case errors.Is(err, target.ErrConfig):
		return usageError(stderr, "%v", strings.TrimPrefix(err.Error(), target.ErrConfig.Error()+": "))
	}
	fmt.Fprintf(stderr, "hookcheck: %v\n", err)
	return exitUsage
}
