package judge

import (
	"fmt"
	"time"
)

// The derived tolerance: a share of each expected time, with a floor for
// timer and network noise.
const (
	DerivedShare = 0.25
	DerivedFloor = 10 * time.Millisecond
)

// Tolerance is the slack allowed on every expected time: a fixed amount
// (a profile's minute, --tolerance) or, when Abs is 0, derived from each
// expected time (DerivedShare of it, at least DerivedFloor). Source says
// where it came from, for reports.
type Tolerance struct {
	Abs    time.Duration
	Source string
}

// For is the slack on an expected time of d.
func (t Tolerance) For(d time.Duration) time.Duration {
	if t.Abs > 0 {
		return t.Abs
	}
	return max(DerivedFloor, time.Duration(DerivedShare*float64(d)))
}

// Derived reports whether the tolerance scales with each expected time.
func (t Tolerance) Derived() bool { return t.Abs == 0 }

// String says which tolerance applies and where it came from, e.g.
// "1m0s (profile orcid)" or "25% of each expected time, at least 10ms
// (derived from the declared timing: --retry-base 500ms)".
func (t Tolerance) String() string {
	what := t.Abs.String()
	if t.Derived() {
		what = fmt.Sprintf("%s of each expected time, at least %s", formatFloat(DerivedShare*100)+"%", DerivedFloor)
	}
	if t.Source == "" {
		return what
	}
	if t.Derived() {
		return what + ", " + t.Source
	}
	return what + " (" + t.Source + ")"
}
