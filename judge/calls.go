package judge

import (
	"fmt"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// Gaps returns the times between consecutive calls.
func Gaps(calls []receiver.Observation) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(calls); i++ {
		out = append(out, calls[i].At.Sub(calls[i-1].At))
	}
	return out
}

// Arrivals returns the arrival time of each call.
func Arrivals(calls []receiver.Observation) []time.Time {
	at := make([]time.Time, len(calls))
	for i, o := range calls {
		at[i] = o.At
	}
	return at
}

// Callback names a callback in messages: its role in the scenario and its
// path on the receiver.
type Callback struct{ Name, Path string }

func (c Callback) String() string { return c.Name + " " + c.Path }

// DescribeCalls lists calls on c for failure messages, each relative to since.
func DescribeCalls(c Callback, calls []receiver.Observation, since time.Time) string {
	if len(calls) == 0 {
		return "no call on " + c.String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d call(s) on %s:", len(calls), c)
	for i, o := range calls {
		ans := o.Answer
		if ans == "" {
			ans = fmt.Sprint(o.Status)
		}
		fmt.Fprintf(&b, " #%d at +%s %s→%s", i+1, o.At.Sub(since).Round(time.Millisecond), o.Method, ans)
	}
	return b.String()
}

// CallsCover checks that every change has a call on c within bound after it;
// the error lists the calls seen, relative to since.
func CallsCover(c Callback, changes []time.Time, calls []receiver.Observation, bound time.Duration, since time.Time) error {
	v := Coverage(changes, Arrivals(calls), bound)
	if v.OK {
		return nil
	}
	return fmt.Errorf("coverage on %s: every change should be followed by a call within %s; %s (%d changes, %s)",
		c.Path, bound, v.Message, len(changes), DescribeCalls(c, calls, since))
}

// CallsSpaced checks that consecutive calls on c are at least min apart (one
// window less the tolerance).
func CallsSpaced(c Callback, calls []receiver.Observation, min time.Duration) error {
	v := Spacing(Arrivals(calls), min)
	if v.OK {
		return nil
	}
	return fmt.Errorf("batching on %s: calls should be at least %s apart (one window less the tolerance); %s; gaps %s",
		c.Path, min, v.Message, Durations(Gaps(calls)))
}

// asORCIDCode reports whether gaps are those of ORCID's code at the scale
// of docs whose base is base: linear from twice it (10 minutes against the
// docs' 5), each gap within tol and, late, half a base more (a dispatcher
// run waiting for its batch, the failed call's duration), when the gaps
// are too noisy for the fit to name the schedule.
func asORCIDCode(gaps []time.Duration, base, tol time.Duration) bool {
	code := Schedule{Retry: timing.Retry{Kind: timing.Linear, Base: 2 * base}, Lag: base / 2}
	for i, g := range gaps {
		lo, hi := code.Expected(i + 1)
		if g < lo-tol || g > hi+tol {
			return false
		}
	}
	return len(gaps) >= 2
}

// RetriesFit checks the gaps between calls on c against the retry policy
// want, within tol.
func RetriesFit(c Callback, gaps []time.Duration, want timing.Retry, tol time.Duration) error {
	if v := CheckRetry(gaps, Schedule{Retry: want}, Tolerance{Abs: tol}); !v.OK {
		// the conformance suite expects ORCID's docs: name ORCID's own code
		docs := Profile{Name: "orcid", Retry: Schedule{Retry: want}}
		note := knownSchedule(docs, sequence(gaps).RetryFit())
		if note == "" && want.Kind != timing.Linear && asORCIDCode(gaps, want.Base, tol) {
			note = codeScheduleNote(docs)
		}
		return fmt.Errorf("on %s: %s%s", c.Path, v.Message, note)
	}
	return nil
}
