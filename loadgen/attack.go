package loadgen

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/hookcheck/hookcheck/report"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// pacedAttack is one vegeta attack sent by a plan of intended send times
// and counted into a Summary as its results arrive.
type pacedAttack struct {
	name     string
	targeter vegeta.Targeter
	plan     []time.Duration
	timeout  time.Duration
	// results, when set, receives every result; keep keeps them in memory.
	results vegeta.Encoder
	keep    bool
	// each sees every result after it was counted (nil: nothing more).
	each func(*vegeta.Result)
	// progress, when set, gets a live line every second.
	progress io.Writer
	// notified, when set, is shown on the progress line.
	notified func() uint64
}

// run sends the attack, counts it into s (sends, lateness, answers) and
// returns the kept results. Cancelling ctx stops the attack; the results
// of requests in flight are still counted.
func (a pacedAttack) run(ctx context.Context, s *report.Summary) ([]vegeta.Result, error) {
	s.Sends.Planned = uint64(len(a.plan))
	atk := vegeta.NewAttacker(vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(a.timeout), vegeta.KeepAlive(true))
	s.Started = time.Now()
	results := atk.Attack(a.targeter, planPacer(a.plan), 0, a.name)
	var kept []vegeta.Result
	var encErr error
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	done := ctx.Done()
	for {
		select {
		case r, ok := <-results:
			if !ok {
				s.Ended = time.Now()
				s.Sends.Dropped = s.Sends.Planned - s.Sends.Sent
				return kept, encErr
			}
			s.Sends.Sent++
			if r.Seq < uint64(len(a.plan)) {
				s.Sends.Lateness.Add(max(r.Timestamp.Sub(s.Started.Add(a.plan[r.Seq])), 0))
			}
			s.API.Add(r.Code, r.Error, r.Latency)
			// Answers' bodies are never kept: an error answer may quote the
			// request's token back, and reports need codes and times only.
			r.Body, r.Headers = nil, nil
			if a.each != nil {
				a.each(r)
			}
			if a.results != nil && encErr == nil {
				if err := a.results.Encode(r); err != nil {
					encErr = fmt.Errorf("%s: writing vegeta results: %w", a.name, err)
					atk.Stop()
				}
			}
			if a.keep {
				kept = append(kept, *r)
			}
		case <-tick.C:
			a.showProgress(s, time.Since(s.Started))
		case <-done:
			atk.Stop()
			done = nil
		}
	}
}

// showProgress writes the live progress line.
func (a pacedAttack) showProgress(s *report.Summary, elapsed time.Duration) {
	if a.progress == nil {
		return
	}
	ok := 100.0
	if s.API.Requests > 0 {
		ok = 100 * float64(s.API.OK) / float64(s.API.Requests)
	}
	var total time.Duration
	if n := len(a.plan); n > 0 {
		total = a.plan[n-1].Round(time.Second)
	}
	line := fmt.Sprintf("\r%s: %s/%s  sent %d of %d planned (%.0f/s)  2xx %.2f%%  p99 %s",
		a.name, elapsed.Round(time.Second), total, s.Sends.Sent, s.Sends.Planned, float64(s.Sends.Sent)/elapsed.Seconds(), ok, s.API.Latency.Quantile(0.99).Round(time.Microsecond))
	if a.notified != nil {
		line += fmt.Sprintf("  notifications %d", a.notified())
	}
	fmt.Fprint(a.progress, line+"   ")
}
