package loadgen

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/fixtures/analyse"
	"github.com/hookcheck/hookcheck/fixtures/orcid"
)

// KindFlood marks a Summary of a flood of a member's receiver (no registry,
// no notifications to judge: the receiver's answers are the figures).
const KindFlood = "flood"

// FloodConfig floods a receiver with notifications as a registry sends them.
type FloodConfig struct {
	// Template is the callback URL; {orcid} is replaced by each record's iD.
	Template string
	// Records is how many distinct record callbacks to spread the flood over.
	Records int
	Pacing  Pacing
	// Timeout is the registry's per-call timeout (ORCID: 20 s).
	Timeout  time.Duration
	Progress func(sent uint64, elapsed time.Duration)
	// KeepResults keeps results in memory for the HTML latency plot.
	KeepResults bool
}

// CallbackURL is the template with {orcid} replaced.
func CallbackURL(template, id string) string { return strings.ReplaceAll(template, "{orcid}", id) }

// Flood sends empty POSTs (Content-Length: 0) at the paced rate, round-robin
// over Records record callbacks, and summarises the receiver's answers.
func Flood(ctx context.Context, cfg FloodConfig) (*Summary, []vegeta.Result, error) {
	if err := cfg.Pacing.Validate(); err != nil {
		return nil, nil, err
	}
	if cfg.Records < 1 {
		return nil, nil, fmt.Errorf("flood: records must be at least 1, got %d", cfg.Records)
	}
	urls := make([]string, cfg.Records)
	for i := range urls {
		urls[i] = CallbackURL(cfg.Template, orcid.FromNumber(uint64(9_000_000_000+i)))
	}
	var next atomic.Uint64
	tr := func(t *vegeta.Target) error {
		*t = vegeta.Target{Method: http.MethodPost, URL: urls[(next.Add(1)-1)%uint64(len(urls))], Header: http.Header{"User-Agent": {"hookcheck-certify"}}}
		return nil
	}
	plan := cfg.Pacing.Plan()
	s := &Summary{Kind: KindFlood, Shards: []string{"0/1"}, Target: cfg.Template, Pacing: cfg.Pacing, Records: cfg.Records,
		Notify: &analyse.Report{}, Sends: SendStats{Planned: uint64(len(plan))}}
	atk := vegeta.NewAttacker(vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(cfg.Timeout), vegeta.KeepAlive(true))
	s.Started = time.Now()
	results := atk.Attack(tr, planPacer(plan), 0, "flood")
	var kept []vegeta.Result
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case r, ok := <-results:
			if !ok {
				s.Ended = time.Now()
				s.Sends.Dropped = s.Sends.Planned - s.Sends.Sent
				s.Partial = ctx.Err() != nil
				s.honesty()
				return s, kept, nil
			}
			s.Sends.Sent++
			if r.Seq < uint64(len(plan)) {
				s.Sends.Lateness.Add(max(r.Timestamp.Sub(s.Started.Add(plan[r.Seq])), 0))
			}
			s.API.add(r.Code, r.Error, r.Latency)
			if cfg.KeepResults {
				r.Body, r.Headers = nil, nil
				kept = append(kept, *r)
			}
		case <-tick.C:
			if cfg.Progress != nil {
				cfg.Progress(s.Sends.Sent, time.Since(s.Started))
			}
		case <-ctx.Done():
			atk.Stop()
		}
	}
}
