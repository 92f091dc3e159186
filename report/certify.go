package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/features"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/target"
)

// Note is an informational finding of a scenario: it never fails the
// certification (e.g. a 200 where 204 is recommended, or the answers to
// methods the registry never sends).
type Note struct {
	ID   string `json:"id"`
	Text string `json:"note"`
	// Warning marks a finding the member should act on that does not fail
	// the certification unless asked (a 2xx without reading the record).
	Warning bool `json:"warning,omitempty"`
}

// ScenarioCalls are the calls one scenario made on the receiver: its
// answers by code ("204", "no answer") and, when reads are expected, how
// its notifications matched record reads.
type ScenarioCalls struct {
	ID    string           `json:"id"`
	Codes map[string]int   `json:"codes"`
	Reads *judge.ReadMatch `json:"record_reads,omitempty"`
}

// Certify is the conformance report of a receiver certification: the
// same format, with the receiver's URL as the target, plus the embedded
// registry's URL and the notes.
type Certify struct {
	Conformance
	// Registry is the URL of the reference registry the receiver could
	// read records from ("" when none ran).
	Registry string `json:"registry_url,omitempty"`
	// CallbackTimeout is the registry's callback timeout the receiver was
	// judged against.
	CallbackTimeout float64 `json:"callback_timeout_s"`
	Notes           []Note  `json:"notes"`
	// Callbacks counts the distinct callback URLs the scenarios and the
	// flood called; CallbackSource says where they came from.
	Callbacks      int    `json:"callbacks"`
	CallbackSource string `json:"callback_source"`
	// Reads is how every notification answered 2xx matched a record read
	// on the registry (nil: reads were not expected).
	Reads *judge.ReadMatch `json:"record_reads,omitempty"`
	// Calls are each scenario's answer codes and read matches.
	Calls []ScenarioCalls `json:"scenario_calls"`
	// Flood is the flood's summary (figures, thresholds), nil when none ran.
	Flood *Summary `json:"flood,omitempty"`
	// Timing and TimeScale hide the conformance report's registry timing:
	// only the callback timeout applies to a receiver.
	Timing    *struct{} `json:"timing,omitempty"`
	TimeScale *struct{} `json:"time_scale,omitempty"`
}

// NewCertify builds the report of the receiver scenarios run against url
// with the registry's callback timeout, which gave res and notes;
// registryURL is the reference registry the receiver could read records
// from ("" when none ran).
func NewCertify(url string, timeout time.Duration, registryURL string, res *Result, notes []Note) (*Certify, error) {
	p := judge.ORCID()
	t := p.Timing()
	t.CallbackTimeout = timeout
	r, err := NewConformance(Run{
		Target:  &target.Target{Kind: "receiver", URL: url},
		Profile: p.Name, Timing: t, MaxWait: timeout,
	}, res)
	if err != nil {
		return nil, fmt.Errorf("certify report: %w", err)
	}
	files, err := features.Receiver()
	if err != nil {
		return nil, fmt.Errorf("certify report: %w", err)
	}
	r.Features = files
	return &Certify{Conformance: *r, Registry: registryURL, CallbackTimeout: judge.Seconds(timeout), Notes: notes, Calls: []ScenarioCalls{}}, nil
}

// WriteFile writes the report as indented JSON.
func (r *Certify) WriteFile(path string) error { return writeJSON(path, r) }

// AddFlood adds the judged flood of the receiver to the report: its
// figures and an area "flood" whose result is held's; a flood that did not
// hold fails the report, with reason. A flood whose generator fell behind
// is inconclusive, and so is the report unless something failed. An
// interrupted flood makes the report partial. The counts and the duration
// cover the flood too.
func (r *Certify) AddFlood(sum *Summary, held bool, reason string) {
	r.Flood = sum
	area := AreaResult{Area: "flood", Result: VerdictSuccess, Counts: Counts{Scenarios: 1, Passed: 1}}
	r.Counts.Scenarios++
	switch {
	case sum.Verdict == LoadInconclusive:
		area.Result, area.Counts = VerdictInconclusive, Counts{Scenarios: 1, Skipped: 1}
		area.Partial = InconclusiveText + ": " + sum.Behind
		r.Counts.Skipped++
		if r.Result != VerdictFailure {
			r.Result = VerdictInconclusive
		}
		r.Skipped = append(r.Skipped, Item{ID: "FLOOD", Name: floodName, Area: "flood", Core: true, Tags: []string{}, Reason: area.Partial})
	case held:
		r.Counts.Passed++
	default:
		area.Result, area.Counts = VerdictFailure, Counts{Scenarios: 1, Failed: 1}
		r.Result = VerdictFailure
		r.Counts.Failed++
		r.Failed = append(r.Failed, Item{ID: "FLOOD", Name: floodName, Area: "flood", Core: true, Tags: []string{}, Reason: reason, Interrupted: sum.Partial})
	}
	if sum.Partial {
		r.Partial, r.PartialReason = true, ReasonInterrupted
		area.Partial = ReasonInterrupted
	}
	if sum.Ended.After(r.Started) {
		r.Duration = judge.Seconds(sum.Ended.Sub(r.Started).Round(time.Millisecond))
	}
	r.Areas = append(r.Areas, area)
}

// floodName names the flood in the report's lists.
const floodName = "The receiver holds a flood of notifications"

// FloodFailures says which of a judged flood's thresholds failed.
func FloodFailures(sum *Summary) string {
	var failed []string
	for _, o := range sum.Limits {
		if !o.OK {
			obs := "no data"
			if o.Observed != nil {
				obs = *o.Observed
			}
			failed = append(failed, fmt.Sprintf("%s (observed %s)", o.Threshold, obs))
		}
	}
	if sum.Partial {
		failed = append(failed, "the flood was interrupted")
	}
	return "failed: " + strings.Join(failed, ", ")
}

// WriteReceiverScenarios prints the receiver scenarios' verdict against
// url, every failure and skip with its reason, the notes and warnings,
// and each scenario's answer codes.
func WriteReceiverScenarios(w io.Writer, url, registryURL string, res *Result, notes []Note, calls []ScenarioCalls) {
	verdict := "passed"
	if !res.Conforms() || res.Interrupted {
		verdict = "FAILED"
	}
	c := res.Counts
	fmt.Fprintf(w, "\nReceiver scenarios against %s: %s — %d scenarios: %d passed, %d failed, %d skipped, %d undefined (%s)\n",
		url, verdict, c.Scenarios, c.Passed, c.Failed, c.Skipped, c.Undefined, res.Duration.Round(time.Millisecond))
	if registryURL != "" {
		fmt.Fprintf(w, "  registry the receiver read records from: %s\n", registryURL)
	}
	for _, c := range calls {
		line := fmt.Sprintf("  %-7s answers %s", c.ID, tally(c.Codes))
		if c.Reads != nil && c.Reads.Notifications > 0 {
			line += fmt.Sprintf("; %d of %d 2xx matched to a record read", c.Reads.Matched, c.Reads.Notifications)
		}
		fmt.Fprintln(w, line)
	}
	writeFailuresAndSkips(w, res)
	for _, n := range notes {
		kind := "NOTE   "
		if n.Warning {
			kind = "WARNING"
		}
		fmt.Fprintf(w, "%s %s: %s\n", kind, n.ID, n.Text)
	}
}

// WriteReads prints how the notifications matched record reads.
func WriteReads(w io.Writer, what string, m *judge.ReadMatch) {
	if m == nil {
		return
	}
	mark := "ok  "
	if !m.OK() {
		mark = "WARN"
	}
	fmt.Fprintf(w, "  %s record reads (%s): %s; reads by credentials %s\n", mark, what, m, tally(m.ByAuth))
	for _, e := range m.Examples {
		fmt.Fprintf(w, "         e.g. %s\n", e)
	}
}

// tally is counts by key, sorted: "204×5, 404×1".
func tally(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, counts[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// WriteCertifyTotals prints how many distinct callbacks the certification
// called and, when reads were expected, how its notifications matched
// record reads.
func WriteCertifyTotals(w io.Writer, callbacks int, source string, reads *judge.ReadMatch) {
	fmt.Fprintf(w, "\nCallbacks exercised: %d distinct (from %s)\n", callbacks, source)
	WriteReads(w, "scenarios and flood", reads)
}
