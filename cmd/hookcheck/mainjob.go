package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hookcheck/hookcheck/report"
)

// The main job's parts: the conformance suite against the embedded target,
// then a short load check of 1,000 hooks on the embedded registry, 500
// changes/s for 5 s, a tenth of the receivers failing three times.
var (
	mainJobConformance = []string{"--format", "progress", "--progress-every", "1s"}
	mainJobLoad        = []string{"--records", "1000", "--rate", "500", "--duration", "5s", "--threshold", "lost==0", "--threshold", "success>=100%", "--progress-every", "1s"}
)

func init() { mainJob = runMainJob }

// runMainJob runs both parts, the load check even after the suite failed,
// ends with one MAIN JOB line and returns the first non-zero exit code.
func runMainJob(ctx context.Context, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "hookcheck: main job, part 1 of 2: the conformance suite against the embedded registry")
	f, code, _ := parseConformanceFlags(mainJobConformance, stdout, stderr)
	code, conf := f.run(ctx, stdout, stderr)
	var sum *report.Summary
	if ctx.Err() == nil {
		fmt.Fprintln(stderr, "hookcheck: main job, part 2 of 2: a 5-second load check (1,000 hooks, 500 changes/s, a tenth of the receivers failing three times)")
		var c int
		c, sum = load(ctx, mainJobLoad, stdout, stderr)
		if code == exitOK {
			code = c
		}
	}
	if ctx.Err() != nil && code == exitOK {
		code = exitFail
	}
	report.WriteMainJob(stdout, conf, sum, code == exitOK)
	return code
}
