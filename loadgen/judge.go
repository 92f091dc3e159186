package loadgen

import (
	"fmt"
	"time"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

// Judge recomputes s's verdicts and honesty warnings and evaluates the
// thresholds; it reports whether every check and threshold passed.
func Judge(s *report.Summary, limits []Threshold) (checksOK, limitsOK bool) {
	s.Checks = nil
	if s.Kind != report.KindFlood {
		s.Checks = s.Notify.Checks(ProfileOf(s))
	}
	checksOK = true
	for _, c := range s.Checks {
		checksOK = checksOK && !c.Failed()
	}
	// A flood's verdicts are its thresholds (2xx share, latency): a
	// receiver may fail a few notifications, which the registry retries.
	if s.Kind != report.KindFlood && s.API.Requests > 0 && s.API.OK < s.API.Requests {
		checksOK = false
		s.Checks = append(s.Checks, judge.Check{Name: "changes accepted", Result: judge.Fail, Reason: fmt.Sprintf("%d of %d change requests were not answered 2xx (codes %v, errors %v)", s.API.Requests-s.API.OK, s.API.Requests, s.API.Codes, s.API.Errors)})
	}
	s.Limits, limitsOK = Evaluate(limits, s)
	s.Behind = ""
	if !s.Partial { // an interrupted attack drops its sends: it is partial, not behind
		s.Behind = behind(s, LatenessBound(s.Pacing.Rate, limits))
	}
	if l := s.RegistryLag; s.Behind == "" && !s.Partial && !checksOK && l != nil && l.Late > 0 {
		s.Behind = fmt.Sprintf("the embedded registry, which runs in this process, started %d of its %d calls more than %s after they were due (the latest %s late): this machine could not keep the registry's own schedule, so late notifications measure it, not a sender",
			l.Late, l.Calls, judge.FromSeconds(l.BoundS).Round(time.Millisecond), judge.FromSeconds(l.WorstS).Round(time.Millisecond))
	}
	switch {
	case s.Partial:
		s.Verdict = report.LoadPartial
	case s.Behind != "" && (checksOK && limitsOK || !poolSaturated(&s.Sends) || s.RegistryLag != nil):
		// with the embedded registry the target is this process: a pool
		// held up by its slowness is this machine's saturation too
		s.Verdict = report.LoadInconclusive
	case !checksOK:
		s.Verdict = report.LoadFail
	case !limitsOK:
		s.Verdict = report.LoadThreshold
	default:
		s.Verdict = report.LoadPass
	}
	return checksOK, limitsOK
}

// LatenessBound is how late, at the 99th percentile, the sends of a run
// at rate may leave before the run is inconclusive: LateBound(rate), and
// no more than any upper threshold on request latency (a send later than
// the latency it is judged by could hide a breach: coordinated omission).
func LatenessBound(rate float64, limits []Threshold) time.Duration {
	b := LateBound(rate)
	for _, t := range limits {
		if Metrics[t.Metric].request && (t.Op == "<" || t.Op == "<=") {
			b = min(b, time.Duration(t.Value*float64(time.Second)))
		}
	}
	return b
}

// poolSaturated reports whether sends came due while every worker was
// busy: the target's answers, not this machine, held them back.
func poolSaturated(st *report.SendStats) bool {
	return st.Workers > 0 && st.PeakInFlight >= int64(st.Workers) && st.Waited > 0
}

// behind says how the generator fell behind its plan ("" when it kept
// up): sends dropped, or sends later than bound.
func behind(s *report.Summary, bound time.Duration) string {
	st := &s.Sends
	if st.Planned == 0 {
		return ""
	}
	var what string
	p99 := st.Lateness.Quantile(0.99)
	switch {
	case st.Dropped > 0:
		what = fmt.Sprintf("the generator fell behind: %d of %d planned sends never left before the attack ended (%.0f/s asked)", st.Dropped, st.Planned, s.Pacing.Rate)
	case p99 > bound:
		what = fmt.Sprintf("the generator fell behind: 1%% of sends left more than %s after their intended time (bound %s)", p99.Round(time.Millisecond), bound)
	default:
		return ""
	}
	if poolSaturated(st) && s.RegistryLag != nil {
		return what + fmt.Sprintf("; all %d workers were busy when %d sends were due, waiting on the embedded registry, which runs in this process: this machine is saturated", st.Workers, st.Waited)
	}
	if poolSaturated(st) {
		return what + fmt.Sprintf("; all %d workers were busy when %d sends were due: the target answered slower than %d workers allow at this rate (raise --workers), or this machine is saturated", st.Workers, st.Waited, st.Workers)
	}
	return what + "; workers were free but this machine could not keep the schedule (CPU saturated: run fewer things beside it, or shard the load)"
}

// ProfileOf is the profile s's notifications are judged by: the run's own
// (JudgedBy), or the one its profile and flags name (MergedProfile), or
// else the orcid profile with the run's timing, with a warning saying so.
func ProfileOf(s *report.Summary) judge.Profile {
	if s.JudgedBy != nil {
		return *s.JudgedBy
	}
	p, err := MergedProfile(s, "")
	if err != nil {
		p = judge.WithTiming(judge.ORCID(), s.Timing)
		s.Warnings = append(s.Warnings, fmt.Sprintf("judged by the orcid profile with the run's timing: %v", err))
	}
	s.JudgedBy = &p
	return p
}
