package judge

import (
	"fmt"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// bicMargin is how much worse (in BIC) than the best fit the declared
// schedule may be before the fit counts as a different schedule: 10 is
// "very strong evidence" on the usual scale.
const bicMargin = 10

// scheduleCheck judges the retry gaps against p's schedule: every gap in
// its expected range ± tolerance, and the declared schedule not far worse
// than the best fit. The fit is reported whatever the result.
func (r *Report) scheduleCheck(p Profile) Check {
	c := Check{Name: "retry schedule"}
	fit := r.RetryFit()
	c.Fit = &fit
	switch {
	case r.Failed == 0:
		c.Result, c.Reason = Skip, "no failed calls, so no retries to judge"
		return c
	case r.RetryGaps == 0 && r.Overlaps > 0:
		c.Result, c.Failing, c.Examples = Fail, r.Overlaps, r.Examples["events"]
		c.Reason = fmt.Sprintf("cannot be judged from this log: %d failure runs mix several events on one callback; name an event key", r.Overlaps)
		return c
	case r.RetryGaps == 0:
		c.Result, c.Reason = Skip, fmt.Sprintf("%d failed calls, none retried", r.Failed)
		return c
	}
	overlap := ""
	if r.Overlaps > 0 {
		overlap = fmt.Sprintf(" (%d runs mixing several events left out)", r.Overlaps)
	}
	if p.Retry.Any {
		c.Result = Pass
		c.Reason = fmt.Sprintf("the profile declares no schedule; observed %s%s", fit, overlap)
		return c
	}
	expect := fmt.Sprintf("expected %s, tolerance %s", p.Retry, p.Tolerance)
	switch {
	case r.RetryOff > 0:
		c.Result, c.Failing, c.Examples = Fail, r.RetryOff, r.Examples["retry schedule"]
		c.Reason = fmt.Sprintf("%d of %d retry gaps outside the expected range; %s; observed %s%s%s", r.RetryOff, r.RetryGaps, expect, fit, overlap, knownSchedule(p, fit))
	case !r.declaredFits(p.Retry, fit, p.Tolerance):
		c.Result = Fail
		c.Reason = fmt.Sprintf("every gap within tolerance, but the fitted schedule differs: %s; observed %s%s%s", expect, fit, overlap, knownSchedule(p, fit))
	default:
		c.Result = Pass
		c.Reason = fmt.Sprintf("%d retry gaps fit %s; %s%s", r.RetryGaps, fit, expect, overlap)
	}
	return c
}

// declaredFits reports whether the declared schedule explains the gaps:
// with its base (and a lag) free, nearly as well as the best fit, or, as
// declared, within half the tolerance of the best fit at every failure
// count observed. The second saves precise data: thousands of gaps make a
// few milliseconds of queue lag statistically decisive, yet a curve that
// close is the declared schedule (single gaps may use all the tolerance;
// their fitted mean must sit well inside it).
func (r *Report) declaredFits(s Schedule, fit Fit, tol Tolerance) bool {
	pts := points(r.Gaps)
	if !fit.Determined() || len(pts) < 3 {
		return true
	}
	var m model
	switch s.Kind {
	case timing.Fixed:
		m = fitFixed(pts)
	case timing.Linear:
		m = fitLinear(pts)
		if a := fitAffine(pts); bic(a, pts) < bic(m, pts) {
			m = a
		}
	case timing.Doubling, timing.Geometric:
		m = fitGeometric(pts, s.Growth(), len(pts) >= 4)
		if plain := fitGeometric(pts, s.Growth(), false); bic(plain, pts) < bic(m, pts) {
			m = plain
		}
	default: // a list is judged gap by gap
		return true
	}
	return bic(m, pts)-fit.bic <= bicMargin || closeToDeclared(s, fit, tol, pts)
}

// closeToDeclared reports whether the fitted curve lies within half the
// tolerance of s's expected range at every failure count in pts.
func closeToDeclared(s Schedule, fit Fit, tol Tolerance, pts []gapPoint) bool {
	best := model{kind: fit.Kind, base: float64(fit.Base), ratio: fit.Ratio, lag: float64(fit.Lag)}
	for _, p := range pts {
		lo, hi := s.Expected(p.n)
		slack := float64(tol.For(hi)) / 2
		if g := best.at(p.n); g < float64(lo)-slack || g > float64(hi)+slack {
			return false
		}
	}
	return true
}

// knownSchedule names the fit when it is ORCID's own code's schedule and
// the profile expects ORCID's docs.
func knownSchedule(p Profile, fit Fit) string {
	code := builtins["orcid-registry"]
	if !strings.HasPrefix(p.Name, "orcid") || p.Name == code.Name || p.Retry.Kind == timing.Linear {
		return ""
	}
	if (fit.Kind != timing.Linear && fit.Kind != Affine) || fit.SpreadP95 > fit.Base/4 {
		return "" // not a clean linear schedule
	}
	return codeScheduleNote(p)
}

// codeScheduleNote says that what was seen is ORCID's own code's schedule
// while p, a profile of ORCID's docs, expects another.
func codeScheduleNote(p Profile) string {
	code := builtins["orcid-registry"]
	return fmt.Sprintf("; this is the schedule of ORCID's own code (profile %s: %s), while ORCID's docs say %s", code.Name, code.Retry, p.Retry.Kind)
}

// CheckRetry checks the gaps of one retry sequence (gap n follows the n-th
// consecutive failure) against the schedule want: each gap in its range ±
// tolerance and, with three gaps or more, the fit consistent with want.
// The message names the expected and the observed schedules.
func CheckRetry(gaps []time.Duration, want Schedule, tol Tolerance) Verdict {
	r := sequence(gaps)
	expected := make([]time.Duration, len(gaps))
	off := -1
	for i, g := range gaps {
		lo, hi := want.Expected(i + 1)
		expected[i] = want.Delay(i + 1)
		if t := tol.For(hi); off < 0 && !want.Any && (g < lo-t || g > hi+t) {
			off = i
		}
	}
	fit := r.RetryFit()
	if want.Any || (off < 0 && r.declaredFits(want, fit, tol)) {
		return Verdict{OK: true}
	}
	why := "the fitted schedule differs"
	if off >= 0 {
		lo, hi := want.Expected(off + 1)
		why = fmt.Sprintf("gap %d is %s, expected %s ± %s", off+1, gaps[off].Round(time.Millisecond), span(lo, hi), tol.For(hi))
	}
	return fail("retry schedule: expected %s (gaps %s, tolerance %s); observed %s (gaps %s): %s",
		want, Durations(expected), tol, fit.Schedule(), Durations(gaps), why)
}

// sequence is the report of one retry sequence's gaps.
func sequence(gaps []time.Duration) *Report {
	r := &Report{Failed: uint64(len(gaps)), Sequences: 1}
	for i, g := range gaps {
		r.RetryGaps++
		r.addGap(i+1, g)
	}
	return r
}

// Durations formats durations for messages, e.g. "[1s 2s 4s]".
func Durations(ds []time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Round(time.Millisecond).String()
	}
	return "[" + strings.Join(parts, " ") + "]"
}
