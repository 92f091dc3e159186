package report

import (
	"fmt"
	"io"

	"github.com/hookcheck/hookcheck/internal/version"
	"github.com/hookcheck/hookcheck/judge"
)

// analysisJSON is the analysis report (docs/analysis.schema.json): the
// judged log under the header every report carries.
type analysisJSON struct {
	Harness string `json:"harness"`
	Kind    string `json:"kind"`   // analysis
	Result  string `json:"result"` // pass or fail
	Partial bool   `json:"partial"`
	*judge.Analysis
}

// WriteAnalysisJSON writes the analysis report of a to path.
func WriteAnalysisJSON(path string, a *judge.Analysis) error {
	result := LoadFail
	if a.Passed {
		result = LoadPass
	}
	return writeJSON(path, analysisJSON{Harness: version.Harness(), Kind: "analysis", Result: result, Analysis: a})
}

// WriteAnalysis writes a judged receiver log for the console: what it was
// judged against, each verdict, and the schedule observed.
func WriteAnalysis(w io.Writer, a *judge.Analysis) {
	f := a.Figures
	fmt.Fprintf(w, "Analysed %s on %s (%s) against %s\n", judge.Plural(f.Calls, "call"), judge.Plural(f.Hooks, "callback"), judge.Plural(f.Deliveries, "delivery"), a.Profile)
	fmt.Fprintf(w, "  expected: retry %s; window %s; events by %s; body %s\n", a.Expected.Retry, windowText(a.Expected.Window), a.Expected.EventKey, a.Expected.Body)
	fmt.Fprintf(w, "  tolerance: %s\n", a.Tolerance)
	for _, c := range a.Checks {
		WriteCheck(w, c)
	}
	fmt.Fprintf(w, "Observed: retry %s\n", a.Observed.Retry)
	if s := a.Observed.Spacing; s.N > 0 {
		fmt.Fprintf(w, "  delivery spacing min %s p50 %s max %s (%d)\n", short(s.Min), short(s.P50), short(s.Max), s.N)
	}
}

func windowText(d interface{ String() string }) string {
	if s := d.String(); s != "0s" {
		return s
	}
	return "none"
}
