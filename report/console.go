package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/target"
)

// WriteConformanceStart prints what the suite is about to check: the
// target, the profile and the declared timing, and a note when a target of
// its own declares other timing than the suite expects.
func WriteConformanceStart(w io.Writer, tgt *target.Target, profile string, declared timing.Timing) {
	if info := tgt.Info; info != nil && tgt.Kind != "embedded" && info.Timing.Window != declared.Window.String() {
		fmt.Fprintf(w, "hookcheck: note: the target declares window %s, retry %s from %s, max attempts %d; the suite expects window %s, retry %s (use --window, --retry-base, --max-attempts to run scaled)\n",
			info.Timing.Window, info.Timing.Retry, info.Timing.RetryBase, info.Timing.MaxAttempts, declared.Window, declared.Retry)
	}
	fmt.Fprintf(w, "hookcheck: conformance of %s %s (version %s), profile %s: window %s, retry %s, max attempts %d, tolerance %s (%.0f× real time), trigger %s\n",
		tgt.Kind, tgt.URL, tgt.Version(), profile, declared.Window, declared.Retry, declared.Retry.MaxAttempts, declared.Tolerance, declared.Scale(), tgt.Trigger.Name())
}

// WriteConformanceSummary prints the verdict per area and every failure and skip with
// its reason (godog's formatters do not show skip reasons).
func WriteConformanceSummary(w io.Writer, res *Result) {
	fmt.Fprintf(w, "\nCONFORMANCE: %s — %d %s: %d passed, %d failed, %d skipped, %d undefined (%s)\n",
		verdictWord(res.Verdict), res.Counts.Scenarios, plural(res.Counts.Scenarios, "scenario", "scenarios"), res.Counts.Passed, res.Counts.Failed, res.Counts.Skipped, res.Counts.Undefined, res.Duration.Round(time.Millisecond))
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

// verdictWord is a conformance verdict as the console's verdict lines say it.
func verdictWord(v string) string {
	switch v {
	case VerdictSuccess:
		return "PASS"
	case VerdictFailure:
		return "FAIL"
	}
	return strings.ToUpper(v)
}

// WriteMainJob prints the main job's one closing line: PASS only when both
// parts passed, with the conformance scenarios and the load verdicts that
// held ("not run" for a part that never finished).
func WriteMainJob(w io.Writer, conf *Result, load *Summary, pass bool) {
	word := "PASS"
	if !pass {
		word = "FAIL"
	}
	c, l := "conformance not run", "load not run"
	if conf != nil {
		c = fmt.Sprintf("conformance %d/%d %s passed", conf.Counts.Passed, conf.Counts.Scenarios, plural(conf.Counts.Scenarios, "scenario", "scenarios"))
	}
	if load != nil {
		l = "load " + strings.TrimPrefix(load.VerdictLine(), "LOAD: ")
	}
	fmt.Fprintf(w, "\nMAIN JOB: %s — %s; %s\n", word, c, l)
}
