package main

import (
	"io"

	"github.com/hookcheck/hookcheck/report"
)

func runLoadMerge(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("load merge", stderr)
	var limits thresholdFlags
	fs.Var(&limits, "threshold", "gate the merged run (repeatable), e.g. 'lost==0'")
	allowArgs.Store(fs, true)
	jsonOut := fs.String("json", "", "write the merged figures and verdicts here")
	htmlOut := fs.String("html", "", "write a merged HTML report here (no latency plot: shards keep no raw results)")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(stderr, "load merge: give the shards' --json files")
	}
	var merged *report.Summary
	for _, path := range fs.Args() {
		s, err := report.ReadSummary(path)
		if err != nil {
			return usageError(stderr, "load merge: %v", err)
		}
		if merged == nil {
			merged = s
		} else if err := merged.Merge(s); err != nil {
			return usageError(stderr, "load merge: %s: %v", path, err)
		}
	}
	return finishLoad(merged, nil, limits, *jsonOut, *htmlOut, stdout, stderr)
}
