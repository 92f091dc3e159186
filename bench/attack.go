package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/certify"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/target"
)

// Figures are what one attack achieved, as its child prints them.
type Figures struct {
	Gen     string `json:"gen"`
	Planned uint64 `json:"planned"`
	Sent    uint64 `json:"sent"`
	OK      uint64 `json:"ok"`
	// Span runs from the start to the end of the last answer.
	Span        time.Duration `json:"span_ns"`
	LatenessP99 time.Duration `json:"lateness_p99_ns"`
	LatencyP99  time.Duration `json:"latency_p99_ns"`
	// Verdict is hookcheck's, judged by certify-receiver's default
	// thresholds ("": vegeta gives none); Behind says how it fell behind.
	Verdict string `json:"verdict,omitempty"`
	Behind  string `json:"behind,omitempty"`
}

// Attack is one paced attack of empty POSTs on url at rate for d with
// at most workers workers (and as many connections), starting with
// hookcheck's initial pool for the rate, by gen: "hookcheck" (the flood of
// certify-receiver: loadgen's bounded attack) or "vegeta" (vegeta's
// attacker, its workers and connections bounded alike).
func Attack(ctx context.Context, gen, url string, rate float64, d time.Duration, workers int) (Figures, error) {
	switch gen {
	case GenHookcheck:
		return attackHookcheck(ctx, url, rate, d, workers)
	case GenVegeta:
		return attackVegeta(url, rate, d, workers)
	}
	return Figures{}, fmt.Errorf("bench: unknown generator %q (want %s or %s)", gen, GenHookcheck, GenVegeta)
}

// The generators a child runs.
const (
	GenHookcheck = "hookcheck"
	GenVegeta    = "vegeta"
)

// attackTimeout is the per-request timeout of both generators (vegeta's
// default).
const attackTimeout = 30 * time.Second

func attackHookcheck(ctx context.Context, url string, rate float64, d time.Duration, workers int) (Figures, error) {
	s, _, err := loadgen.Flood(ctx, loadgen.FloodConfig{
		Target: url, Callbacks: []string{url}, Timeout: attackTimeout, Workers: workers,
		Pacing: loadgen.Pacing{Shape: "constant", Rate: rate, Duration: d},
	})
	if err != nil {
		return Figures{}, err
	}
	limits, err := certify.DefaultLimits(target.DefaultCallbackTimeout)
	if err != nil {
		return Figures{}, err
	}
	loadgen.Judge(s, limits)
	return Figures{
		Gen: GenHookcheck, Planned: s.Sends.Planned, Sent: s.Sends.Sent, OK: s.API.OK,
		Span: s.Ended.Sub(s.Started), LatenessP99: s.Sends.Lateness.Quantile(0.99), LatencyP99: s.API.Latency.Quantile(0.99),
		Verdict: s.Verdict, Behind: s.Behind,
	}, nil
}

func attackVegeta(url string, rate float64, d time.Duration, workers int) (Figures, error) {
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(initialWorkers(rate, workers))), vegeta.MaxWorkers(uint64(workers)), vegeta.Connections(workers), vegeta.MaxConnections(workers),
		vegeta.KeepAlive(true), vegeta.Timeout(attackTimeout), vegeta.Redirects(vegeta.NoFollow))
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodPost, URL: url})
	pacer := vegeta.ConstantPacer{Freq: int(rate), Per: time.Second}
	t := newTally(GenVegeta, rate, d)
	t.start = time.Now()
	for r := range atk.Attack(tr, pacer, d, "bench") {
		t.add(r)
	}
	return t.figures(), nil
}

// tally counts vegeta results into Figures. Result k of a constant pacer
// is due at (k+1)/rate from the start, as vegeta paces it.
type tally struct {
	gen               string
	rate              float64
	planned           uint64
	start, end        time.Time
	sent, ok          uint64
	lateness, latency judge.Histogram
	estimateStart     bool // start unknown (the CLI's): the least late send was on time
	results           []vegeta.Result
}

func newTally(gen string, rate float64, d time.Duration) *tally {
	return &tally{gen: gen, rate: rate, planned: uint64(rate * d.Seconds())}
}

func (t *tally) due(seq uint64) time.Duration {
	return time.Duration(float64(seq+1) / t.rate * float64(time.Second))
}

// earliest lowers the start so that r was not early: when the start is
// unknown (vegeta's CLI), the least late send is taken as on time.
func (t *tally) earliest(r *vegeta.Result) {
	if s := r.Timestamp.Add(-t.due(r.Seq)); t.start.IsZero() || s.Before(t.start) {
		t.start = s
	}
}

func (t *tally) add(r *vegeta.Result) {
	t.sent++
	if r.Code >= 200 && r.Code < 300 {
		t.ok++
	}
	t.lateness.Add(max(r.Timestamp.Sub(t.start.Add(t.due(r.Seq))), 0))
	t.latency.Add(r.Latency)
	if e := r.End(); e.After(t.end) {
		t.end = e
	}
}

func (t *tally) figures() Figures {
	return Figures{Gen: t.gen, Planned: t.planned, Sent: t.sent, OK: t.ok, Span: t.end.Sub(t.start),
		LatenessP99: t.lateness.Quantile(0.99), LatencyP99: t.latency.Quantile(0.99)}
}

// initialWorkers is the pool hookcheck starts an attack at rate with,
// growing to most: vegeta's attacker gets the same.
func initialWorkers(rate float64, most int) int {
	return loadgen.Pacing{Shape: "constant", Rate: rate}.InitialWorkers(most)
}

// Minimum is the bare-minimum child of the harness benchmark: it serves a
// bare 204 receiver (its URL printed as JSON), sends an attack of vegeta's
// on url meanwhile, prints its figures, and serves until stdin closes.
func Minimum(ctx context.Context, stdin io.Reader, stdout io.Writer, url string, rate float64, d time.Duration, workers int) error {
	b, err := listenBare(ctx)
	if err != nil {
		return err
	}
	defer b.srv.Close()
	enc := json.NewEncoder(stdout)
	if err := enc.Encode(b.served()); err != nil {
		return err
	}
	f, err := attackVegeta(url, rate, d, workers)
	if err != nil {
		return err
	}
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, stdin)
	return nil
}
