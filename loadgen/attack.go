package loadgen

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/report"
)

// pacedAttack is one attack sent by a plan of intended send times with a
// bounded pool of workers, and counted into a Summary as results arrive.
type pacedAttack struct {
	name     string
	targeter vegeta.Targeter
	plan     []time.Duration
	// end stops the attack (from its start); sends not made by then are
	// dropped. 0: every planned send is made, however late.
	end     time.Duration
	workers int // the most workers (and connections)
	initial int // workers at the start (0: workers)
	client  *http.Client
	// results, when set, receives every result; keep keeps them in
	// memory, sample only a uniform sample of at most that many.
	results vegeta.Encoder
	keep    bool
	sample  int
	// bodies gives each the answers' bodies (they are never kept).
	bodies bool
	// each sees every result after it was counted (nil: nothing more); it
	// must not keep the result.
	each func(*vegeta.Result)
	// progress, when set, gets a live line every second.
	progress io.Writer
	// status, when set, is shown on the progress line (running verdicts).
	status func() string
	// tick, when set, sees the sends and answers so far every second.
	tick func(now *report.Summary)
}

// run sends the attack, counts it into s (sends, lateness, answers) and
// returns the kept results. Cancelling ctx stops the attack; the results
// of requests in flight are still counted.
func (a pacedAttack) run(ctx context.Context, s *report.Summary) ([]vegeta.Result, error) {
	s.Sends.Planned = uint64(len(a.plan))
	g := &generator{name: a.name, targeter: a.targeter, plan: a.plan, end: a.end, workers: a.workers, initial: a.initial, client: a.client, bodies: a.bodies}
	var (
		shards [tallyShards]tally
		mu     sync.Mutex // each, results and keep see one result at a time
		kept   []vegeta.Result
		res    = reservoir{size: a.sample}
		encErr error
	)
	serial := a.each != nil || a.results != nil || a.keep || a.sample > 0
	record := func(worker int, r *vegeta.Result, late time.Duration) {
		shards[worker%tallyShards].add(r, late)
		if !serial {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if a.each != nil {
			a.each(r)
		}
		// Answers' bodies are never kept: an error answer may quote the
		// request's token back, and reports need codes and times only.
		r.Body, r.Headers = nil, nil
		if a.results != nil && encErr == nil {
			if err := a.results.Encode(r); err != nil {
				encErr = fmt.Errorf("%s: writing vegeta results: %w", a.name, err)
				g.stop()
			}
		}
		if a.keep {
			kept = append(kept, *r)
		} else if a.sample > 0 {
			res.add(r)
		}
	}
	s.Started = time.Now()
	done := g.attack(s.Started, record)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	stop := ctx.Done()
	for {
		select {
		case <-done:
			s.Ended = time.Now()
			for i := range shards {
				shards[i].into(s)
			}
			s.Sends.Dropped = s.Sends.Planned - s.Sends.Sent
			s.Sends.Workers, s.Sends.PeakInFlight, s.Sends.Waited = g.workers, g.peak.Load(), g.waited.Load()
			mu.Lock()
			defer mu.Unlock()
			if a.sample > 0 && !a.keep {
				kept = res.sorted()
			}
			if encErr != nil {
				return kept, encErr
			}
			if err := g.targetErr(); err != nil {
				return kept, fmt.Errorf("%s: %w", a.name, err)
			}
			return kept, nil
		case <-tick.C:
			if a.progress != nil || a.tick != nil {
				var now report.Summary
				for i := range shards {
					shards[i].into(&now)
				}
				now.Sends.Planned = s.Sends.Planned
				a.showProgress(&now, time.Since(s.Started))
				if a.tick != nil {
					a.tick(&now)
				}
			}
		case <-stop:
			g.stop()
			stop = nil
		}
	}
}

// tallyShards is how many tallies the workers of an attack share, so that
// they seldom wait on one another to count a result.
const tallyShards = 16

// tally counts a share of an attack's results.
type tally struct {
	mu    sync.Mutex
	sends report.SendStats // Sent and Lateness
	api   report.APIStats
}

func (t *tally) add(r *vegeta.Result, late time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sends.Sent++
	t.sends.Lateness.Add(max(late, 0))
	t.api.Add(r.Code, r.Error, r.Latency)
}

// into adds the tally to s.
func (t *tally) into(s *report.Summary) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s.Sends.Sent += t.sends.Sent
	s.Sends.Lateness.Merge(&t.sends.Lateness)
	s.API.Merge(&t.api)
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
	if a.status != nil {
		line += "  " + a.status()
	}
	fmt.Fprint(a.progress, line+"   ")
}
