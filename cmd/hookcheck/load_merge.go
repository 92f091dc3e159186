package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/hookcheck/hookcheck/internal/cli"
	"github.com/hookcheck/hookcheck/loadgen"
)

// runLoadMerge merges shards' summaries (files or glob patterns, expanded
// here: the harness image has no shell) into one verdict.
func runLoadMerge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("load merge", stderr)
	var limits loadgen.Thresholds
	fs.Var(&limits, "threshold", "gate the merged run (repeatable), e.g. 'lost==0'")
	cli.AllowArgs(fs)
	jsonOut := fs.String("json", "", "write the merged figures and verdicts here")
	htmlOut := fs.String("html", "", "write a merged HTML report here (no latency plot: shards keep no raw results)")
	wait := fs.Duration("wait", 0, "wait up to this long for every shard's final summary, e.g. when started with the shards (0: merge what is there)")
	profile := fs.String("profile", "", "the profile file the shards were judged by, if they were (a built-in profile and the shards' profile flags are read from the shards)")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(stderr, "load merge: give the shards' --json files")
	}
	if *wait < 0 {
		return usageError(stderr, "load merge: --wait must not be negative, got %s", *wait)
	}
	files, err := loadgen.AwaitShards(ctx, fs.Args(), *wait, time.Second)
	if err != nil {
		return usageError(stderr, "load merge: %v", err)
	}
	merged, err := loadgen.MergeShards(files)
	if errors.Is(err, loadgen.ErrNoShardFinished) {
		fmt.Fprintf(stderr, "hookcheck load merge: %v\n", err)
		return exitFail
	}
	if err != nil {
		return usageError(stderr, "load merge: %v", err)
	}
	p, err := loadgen.MergedProfile(merged, *profile)
	if err != nil {
		return usageError(stderr, "load merge: %v", err)
	}
	merged.JudgedBy = &p
	return finishLoad(merged, nil, limits, *jsonOut, *htmlOut, stdout, stderr)
}
