package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/judge"
)

// WriteText writes the console summary.
func (s *Summary) WriteText(w io.Writer) {
	switch {
	case len(s.Missing) > 0:
		fmt.Fprintf(w, "PARTIAL: shards missing: %s; figures cover the other shards only\n", strings.Join(s.Missing, "; "))
	case s.Partial:
		fmt.Fprintln(w, "PARTIAL: the run was interrupted; figures cover what happened until then")
	}
	switch {
	case s.Verdict == LoadInconclusive:
		fmt.Fprintf(w, "%s: %s\n", InconclusiveText, s.Behind)
	case s.Behind != "":
		fmt.Fprintf(w, "NOTE: %s\n", s.Behind)
	}
	what := "Changes"
	if s.Kind == KindFlood {
		what = "Notifications"
		fmt.Fprintf(w, "Flood: %s, %d record callbacks, %s pacing at %.0f notifications/s for %s\n",
			s.Target, s.Records, s.Pacing.Shape, s.Pacing.Rate, s.Pacing.Duration)
	} else {
		fmt.Fprintf(w, "Load: %s, shards %v, %d records (%d failing by script), %s pacing at %.0f changes/s for %s\n",
			s.Target, s.Shards, s.Records, s.Failing, s.Pacing.Shape, s.Pacing.Rate, s.Pacing.Duration)
		fmt.Fprintf(w, "Timing: window %s, retry %s, tolerance %s\n", s.Timing.Window, s.Timing.Retry, s.Timing.Tolerance)
	}
	codes := make([]string, 0, len(s.API.Codes))
	for c, n := range s.API.Codes {
		codes = append(codes, fmt.Sprintf("%s×%d", c, n))
	}
	sort.Strings(codes)
	l := &s.API.Latency
	fmt.Fprintf(w, "%s: %d sent of %d planned (%d dropped), %d answered 2xx (%.3f%%), codes %v\n", what, s.Sends.Sent, s.Sends.Planned, s.Sends.Dropped, s.API.OK, 100*ratio(s.API.OK, s.API.Requests), codes)
	if len(s.API.Errors) > 0 {
		fmt.Fprintf(w, "  transport errors %v\n", s.API.Errors)
	}
	fmt.Fprintf(w, "  request latency p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n", short(l.Quantile(0.5)), short(l.Quantile(0.9)), short(l.Quantile(0.99)), short(l.Quantile(0.999)), short(l.Max()))
	fmt.Fprintf(w, "  send lateness p50 %s  p99 %s  max %s\n", short(s.Sends.Lateness.Quantile(0.5)), short(s.Sends.Lateness.Quantile(0.99)), short(s.Sends.Lateness.Max()))
	if s.Kind != KindFlood {
		s.writeNotifications(w)
	}
	if l := s.RegistryLag; l != nil {
		fmt.Fprintf(w, "Embedded registry (in this process): %d calls, %d started more than %s late, the latest %s late\n",
			l.Calls, l.Late, short(judge.FromSeconds(l.BoundS)), short(judge.FromSeconds(l.WorstS)))
	}
	WriteReads(w, "flood", s.Reads)
	if len(s.Checks) > 0 {
		fmt.Fprintln(w, "Verdicts:")
	}
	for _, c := range s.Checks {
		WriteCheck(w, c)
	}
	if len(s.Limits) > 0 {
		fmt.Fprintln(w, "Thresholds:")
		for _, o := range s.Limits {
			mark, obs := "ok  ", "no data"
			if !o.OK {
				mark = "FAIL"
			}
			if o.Observed != nil {
				obs = "observed " + *o.Observed
			} else if o.Detail != "" {
				obs = "" // the detail says there is no data
			}
			fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %s %-22s %s", mark, o.Threshold, strings.TrimSpace(obs+" "+o.Detail)), " "))
		}
	}
	for _, warn := range s.Warnings {
		fmt.Fprintf(w, "WARNING: %s\n", warn)
	}
	if line := s.VerdictLine(); line != "" {
		fmt.Fprintln(w, line)
	}
}

// VerdictLine is the one line that ends a judged run's console summary,
// "LOAD: PASS — 7/7 verdicts, 2/2 thresholds" ("" before it was judged).
func (s *Summary) VerdictLine() string {
	what := "LOAD"
	if s.Kind == KindFlood {
		what = "FLOOD"
	}
	var failed []string
	judged, held := 0, 0
	for _, c := range s.Checks {
		if c.Failed() {
			failed = append(failed, c.Name)
		} else if c.Result != judge.Skip {
			held++
		}
		if c.Result != judge.Skip {
			judged++
		}
	}
	limitsHeld := 0
	for _, o := range s.Limits {
		if !o.OK {
			failed = append(failed, o.Threshold)
		} else {
			limitsHeld++
		}
	}
	var parts []string
	if judged > 0 || len(s.Limits) == 0 {
		parts = append(parts, fmt.Sprintf("%d/%d %s", held, judged, plural(judged, "verdict", "verdicts")))
	}
	if len(s.Limits) > 0 {
		parts = append(parts, fmt.Sprintf("%d/%d %s", limitsHeld, len(s.Limits), plural(len(s.Limits), "threshold", "thresholds")))
	}
	counts := strings.Join(parts, ", ")
	also := ""
	if len(failed) > 0 {
		also = "; failed as well: " + strings.Join(failed, ", ")
	}
	switch s.Verdict {
	case LoadPartial:
		return what + ": PARTIAL — interrupted" + also
	case LoadInconclusive:
		return what + ": " + InconclusiveText + also
	case LoadFail, LoadThreshold:
		return what + ": FAIL — " + strings.Join(failed, ", ") + " (" + counts + " held)"
	case LoadPass:
		return what + ": PASS — " + counts
	}
	return ""
}

// plural is one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (s *Summary) writeNotifications(w io.Writer) {
	n := s.Notify
	nl := &n.Latency
	fmt.Fprintf(w, "Notifications: %d calls on %d hooks (%d failed by script), %.3f calls per change\n", n.Calls, n.Hooks, n.Failed, ratio(n.Calls, n.Changes))
	fmt.Fprintf(w, "  changes covered %d, late %d, lost %d, pending %d; duplicates %d; batching violations %d\n", n.Covered, n.Late, n.Lost, n.Pending, n.Duplicates, n.Batching)
	fmt.Fprintf(w, "  change→notification p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n", short(nl.Quantile(0.5)), short(nl.Quantile(0.9)), short(nl.Quantile(0.99)), short(nl.Quantile(0.999)), short(nl.Max()))
	if fit := n.RetryFit(); fit.Gaps > 0 {
		fmt.Fprintf(w, "  retry schedule observed: %s\n", fit)
	}
}

// short rounds d for the console.
func short(d time.Duration) string { return d.Round(10 * time.Microsecond).String() }
