package loadgen

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/internal/httpclient"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

// FloodConfig floods a receiver with notifications as a registry sends them.
type FloodConfig struct {
	// Target names the receiver in the summary (its URL or URL template).
	Target string
	// Callbacks are the record callback URLs the flood goes round.
	Callbacks []string
	Pacing    Pacing
	// Timeout is the registry's per-call timeout (ORCID: 20 s).
	Timeout time.Duration
	// Progress receives a live progress line (nil: none).
	Progress io.Writer
	// KeepResults keeps results in memory for the HTML latency plot.
	KeepResults bool
	// Results, when set, receives every vegeta result (vegeta report and
	// plot read them).
	Results vegeta.Encoder
	// Workers bounds the notifications in flight and the connections to
	// the receiver (0: DefaultWorkers); the pool starts smaller and grows
	// while sends wait for a worker.
	Workers int
}

// Flood sends empty POSTs (Content-Length: 0) at the paced rate, round-robin
// over the callbacks, and summarises the receiver's answers.
func Flood(ctx context.Context, cfg FloodConfig) (*report.Summary, []vegeta.Result, error) {
	if err := cfg.Pacing.Validate(); err != nil {
		return nil, nil, err
	}
	if len(cfg.Callbacks) == 0 {
		return nil, nil, fmt.Errorf("flood: no callback URLs")
	}
	if cfg.Timeout <= 0 {
		return nil, nil, fmt.Errorf("flood: the callback timeout must be positive, got %s", cfg.Timeout)
	}
	if cfg.Workers < 0 {
		return nil, nil, fmt.Errorf("flood: workers must be positive (0: from the rate), got %d", cfg.Workers)
	}
	workers := cfg.Workers
	if workers == 0 {
		workers = DefaultWorkers
	}
	urls := cfg.Callbacks
	var next atomic.Uint64
	tr := func(t *vegeta.Target) error {
		*t = vegeta.Target{Method: http.MethodPost, URL: urls[(next.Add(1)-1)%uint64(len(urls))], Header: http.Header{"User-Agent": {"hookcheck-certify"}}}
		return nil
	}
	s := &report.Summary{Kind: report.KindFlood, Shards: []string{"0/1"}, Target: cfg.Target, Pacing: report.Pacing(cfg.Pacing), Records: len(urls), Notify: &judge.Report{}}
	client := httpclient.New(httpclient.Options{Conns: workers, Timeout: cfg.Timeout})
	defer client.CloseIdleConnections()
	a := pacedAttack{name: "flood", targeter: tr, plan: cfg.Pacing.Plan(), end: cfg.Pacing.end(), workers: workers, initial: cfg.Pacing.InitialWorkers(workers), client: client,
		results: cfg.Results, keep: cfg.KeepResults, progress: cfg.Progress}
	kept, err := a.run(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	s.Partial = ctx.Err() != nil
	return s, kept, nil
}
