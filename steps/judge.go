package steps

import (
	"fmt"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/analyse"
	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// judgeRetrySchedule fits the observed gaps and compares the fit with the
// expected policy; the message names both schedules.
func (s *scenario) judgeRetrySchedule(gaps []time.Duration, want timing.Retry, tol time.Duration) error {
	if v := analyse.CheckRetry(gaps, want, tol); !v.OK {
		return fmt.Errorf("on %s: %s", s.cb.path, v.Message)
	}
	return nil
}

// judgeCoverage checks that every change has a call within bound after it.
func (s *scenario) judgeCoverage(changes []time.Time, calls []receiver.Observation, bound time.Duration) error {
	at := make([]time.Time, len(calls))
	for i, o := range calls {
		at[i] = o.At
	}
	v := analyse.Coverage(changes, at, bound)
	if v.OK {
		return nil
	}
	return fmt.Errorf("coverage on %s: every change should be followed by a call within %s; %s (%d changes, %s)",
		s.cb.path, bound, v.Message, len(changes), describeCalls(s.cb, calls, s.origin()))
}

// judgeSpacing checks that consecutive calls are at least min apart.
func (s *scenario) judgeSpacing(calls []receiver.Observation, min time.Duration) error {
	at := make([]time.Time, len(calls))
	for i, o := range calls {
		at[i] = o.At
	}
	v := analyse.Spacing(at, min)
	if v.OK {
		return nil
	}
	return fmt.Errorf("batching on %s: calls should be at least %s apart (one window less the tolerance); %s; gaps %s",
		s.cb.path, min, v.Message, analyse.Durations(gaps(calls)))
}
