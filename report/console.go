package report

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteConformanceSummary prints the verdict per area and every failure and skip with
// its reason (godog's formatters do not show skip reasons).
func WriteConformanceSummary(w io.Writer, res *Result) {
	fmt.Fprintf(w, "\nConformance: %s — %d scenarios: %d passed, %d failed, %d skipped, %d undefined (%s)\n",
		strings.ToUpper(res.Verdict), res.Counts.Scenarios, res.Counts.Passed, res.Counts.Failed, res.Counts.Skipped, res.Counts.Undefined, res.Duration.Round(time.Millisecond))
	if res.Interrupted {
		fmt.Fprintln(w, "  interrupted: partial report — scenarios cut off are skipped, not judged")
	}
	for _, a := range res.Areas {
		fmt.Fprintf(w, "  %-11s %-8s %d/%d passed\n", a.Area, a.Result, a.Counts.Passed, a.Counts.Scenarios)
	}
	writeFailuresAndSkips(w, res)
}

// writeFailuresAndSkips prints every failed and skipped scenario with its
// reason (godog's formatters do not show skip reasons).
func writeFailuresAndSkips(w io.Writer, res *Result) {
	for _, s := range res.Scenarios {
		switch s.Status {
		case StatusFailed, StatusUndefined:
			fmt.Fprintf(w, "FAILED  %s: %s\n", s.ID, s.Message)
		case StatusSkipped:
			fmt.Fprintf(w, "SKIPPED %s: %s\n", s.ID, s.Message)
		}
	}
}
