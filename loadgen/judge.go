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
		s.Checks = s.Notify.Checks(judge.WithTiming(judge.ORCID(), s.Timing))
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
	return checksOK, limitsOK
}

// honesty warns when the generator, not the target, set the pace.
func honesty(s *report.Summary) {
	period := time.Duration(float64(time.Second) / s.Pacing.Rate)
	if s.Sends.Dropped > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("generator fell behind: %d of %d planned sends never left; the rate reached is not the rate asked for", s.Sends.Dropped, s.Sends.Planned))
	}
	if p99 := s.Sends.Lateness.Quantile(0.99); p99 > max(10*time.Millisecond, 10*period) {
		s.Warnings = append(s.Warnings, fmt.Sprintf("generator fell behind: 1%% of sends left more than %s after their intended time (the target or this machine is saturated; figures reflect the generator's limits)", p99.Round(time.Millisecond)))
	}
}
