package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/internal/cli"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
)

func init() {
	register(command{name: "load", summary: "flood record changes with vegeta and prove batching and retries hold (load merge: merge shards)", run: runLoad})
}

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "merge" {
		return runLoadMerge(ctx, args[1:], stdout, stderr)
	}
	code, _ := load(ctx, args, stdout, stderr)
	return code
}

// load runs a load check and returns the exit code and the judged summary
// (nil when the run did not finish). Every flag is checked before the
// embedded registry starts.
func load(ctx context.Context, args []string, stdout, stderr io.Writer) (int, *report.Summary) {
	fs := newFlags("load", stderr)
	var f loadgen.Flags
	f.AddFlags(fs)
	profile := fs.String("profile", "orcid", "expectations: a built-in ("+strings.Join(judge.BuiltinNames(), ", ")+") or a profile file")
	overrides := judge.OverrideFlags(fs)
	if code, done := parseFlags(fs, args, stdout); done {
		return code, nil
	}
	shard, err := f.Check()
	if err != nil {
		return usageError(stderr, "%v", err), nil
	}
	prof, err := judge.LoadProfile(*profile)
	if err != nil {
		return usageError(stderr, "--profile: %v", err), nil
	}
	if f.Embedded() {
		prof = judge.WithTiming(prof, loadgen.EmbeddedTiming(prof.Timing().Retry))
	}
	if prof, err = overrides(prof); err != nil {
		return usageError(stderr, "%v", err), nil
	}
	tm := prof.Timing()
	atk := &f.Attack
	cfg := loadgen.Config{
		Target: f.Target, TokenURL: f.TokenURL, ClientID: f.ClientID, ClientSecret: f.ClientSecret,
		NRecords: f.Records, Pacing: atk.PacingOrDefault(), Shard: shard, FailRatio: f.FailRatio, FailScript: f.FailScript,
		Timing: tm, Profile: prof, ReceiverAddr: f.ReceiverAddr, CallbackBase: f.CallbackBase, CallbackHost: f.CallbackHost, Drain: f.Drain,
		KeepResults: atk.HTML != "", Progress: atk.Progress(stderr), Workers: atk.Workers, Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Control: f.Embedded() || f.RecordsFile == "",
	}
	if f.RecordsFile != "" {
		if cfg.Records, err = target.LoadRecords(f.RecordsFile); err != nil {
			return usageError(stderr, "--records-file: %v", err), nil
		}
	}
	rt := tm
	if f.EmbeddedRetry != "" {
		if rt.Retry.Kind, err = timing.ParseKind(f.EmbeddedRetry); err != nil {
			return usageError(stderr, "--embedded-retry: %v", err), nil
		}
	}
	if err := cfg.Validate(); err != nil {
		return usageError(stderr, "%v", err), nil
	}
	if f.Embedded() {
		reg, err := target.StartEmbedded(ctx, target.RegistryConfig(rt))
		if err != nil {
			return usageError(stderr, "embedded registry: %v", err), nil
		}
		defer reg.Close()
		cfg.Target, cfg.ClientID, cfg.ClientSecret, cfg.RegistryLag = reg.URL, reg.Client.ID, reg.Client.Secret, reg.DispatchLag
		fmt.Fprintf(stdout, "load: embedded registry at %s (window %s, retry %s)\n", reg.URL, rt.Window, rt.Retry)
	}
	enc, closer, err := atk.Encoder()
	if err != nil {
		return usageError(stderr, "%v", err), nil
	}
	defer closer.Close()
	cfg.Results = enc
	lf, err := f.OpenLog()
	if err != nil {
		return usageError(stderr, "%v", err), nil
	}
	if lf != nil {
		defer lf.Close()
		cfg.Log = lf
	}
	if f.JSONEvery > 0 {
		cfg.InterimEvery = f.JSONEvery
		cfg.Interim = func(s *report.Summary) {
			loadgen.Judge(s, atk.Limits)
			if err := s.WriteJSON(atk.JSON); err != nil {
				fmt.Fprintf(stderr, "hookcheck load: --json-every: %v\n", err)
			}
		}
	}
	// The --json file says at once that this run started, so that a merge
	// tells a shard that was killed from one that never ran.
	placeholder := loadgen.Placeholder(cfg, time.Now())
	if atk.JSON != "" {
		if err := placeholder.WriteJSON(atk.JSON); err != nil {
			return usageError(stderr, "--json: %v", err), nil
		}
	}
	cli.TuneGCForAttack()
	stop, err := atk.Profile()
	if err != nil {
		return usageError(stderr, "%v", err), nil
	}
	defer stop()
	sum, results, err := loadgen.Run(ctx, cfg)
	if err != nil && atk.JSON != "" {
		if werr := loadgen.Failed(placeholder, err, time.Now()).WriteJSON(atk.JSON); werr != nil {
			fmt.Fprintf(stderr, "hookcheck load: --json: %v\n", werr)
		}
	}
	if err != nil {
		return loadError(stderr, cfg.Target, err), nil
	}
	return finishLoad(sum, results, atk.Limits, atk.JSON, atk.HTML, stdout, stderr), sum
}

// loadError prints why a load run could not run and returns its exit code
// (see target.Exit; anything unclassified is exit 1).
func loadError(stderr io.Writer, url string, err error) int {
	code, msg := target.Exit(err, url, exitFail)
	fmt.Fprintf(stderr, "hookcheck load: %s\n", msg)
	return code
}
