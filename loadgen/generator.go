package loadgen

import (
	"errors"
	"io"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// generator sends a plan of requests with a bounded pool of workers over
// one keep-alive client. The pool starts at initial and grows, one worker
// per send that came due with every worker busy, up to workers: so at most
// workers requests are in flight and that many connections open, whatever
// the target's latency. Under overload it sends late and fewer, never more
// at once; at end it stops.
type generator struct {
	name     string
	targeter vegeta.Targeter
	plan     []time.Duration // intended send times from the start
	// end is when the attack stops, from the start: a send not made by
	// then is dropped. 0: every send is made, however late.
	end     time.Duration
	workers int // the most workers (and connections)
	initial int // workers at the start (0: workers)
	client  *http.Client
	// bodies keeps the answers' bodies (up to maxKeptBody) in results.
	bodies bool

	start    time.Time
	record   func(worker int, r *vegeta.Result, late time.Duration)
	wg       sync.WaitGroup
	live     atomic.Int64  // workers started
	next     atomic.Uint64 // the next plan slot to claim
	waited   atomic.Uint64 // sends whose time came with every worker busy
	inFlight atomic.Int64
	peak     atomic.Int64 // most requests in flight at once
	halt     chan struct{}
	haltOnce sync.Once
	errMu    sync.Mutex
	err      error // the targeter's first error
	seqMu    sync.Mutex
	seq      uint64 // sends stamped so far
}

const (
	// maxKeptBody is how much of an answer's body is kept when asked.
	maxKeptBody = 64 << 10
	// maxDrained is how much of a body is read so that the connection is
	// reused; a longer one costs its connection.
	maxDrained = 1 << 20
	// waitSlack is how late past its time a worker may claim a send
	// before the send counts as having waited for a worker.
	waitSlack = time.Millisecond
)

// LateBound is how late a send may leave at rate before the generator
// counts as behind: ten send intervals, between 50 ms (a 2-core machine's
// scheduler and garbage collector delay some timers by tens of
// milliseconds; the verdicts use the real send times, so such tails hide
// nothing) and 1 s. The attack
// also gives its last sends that long past its duration.
func LateBound(rate float64) time.Duration {
	return min(max(time.Duration(10*float64(time.Second)/rate), 50*time.Millisecond), time.Second)
}

// WorkerLatency is the target latency the pool starts out allowing for at
// the peak rate (Little's law: workers = rate × latency).
const WorkerLatency = 50 * time.Millisecond

// MinWorkers is the smallest pool an attack starts with; DefaultWorkers
// the most workers (and connections) it may grow to unless told.
const MinWorkers, DefaultWorkers = 16, 500

// InitialWorkers is the pool an attack paced by p starts with: its peak
// rate × WorkerLatency, at least MinWorkers, at most most.
func (p Pacing) InitialWorkers(most int) int {
	n := math.Ceil(p.peak() * WorkerLatency.Seconds())
	return min(int(max(n, MinWorkers)), most)
}

// peak is p's highest rate.
func (p Pacing) peak() float64 {
	if p.Shape == "sine" {
		return p.Rate + p.Amp
	}
	return p.Rate
}

// end is when an attack paced by p stops: its duration, and LateBound for
// the sends due at its very end.
func (p Pacing) end() time.Duration { return p.Duration + LateBound(p.Rate) }

// attack starts the workers at start; record sees every result with its
// send's lateness, from any worker, numbered from 0 (it must not keep r). The returned
// channel closes when every worker is done.
func (g *generator) attack(start time.Time, record func(worker int, r *vegeta.Result, late time.Duration)) <-chan struct{} {
	g.start, g.halt, g.record = start, make(chan struct{}), record
	g.workers = max(g.workers, 1)
	if g.initial <= 0 || g.initial > g.workers {
		g.initial = g.workers
	}
	done := make(chan struct{})
	for range g.initial {
		g.grow()
	}
	go func() { g.wg.Wait(); close(done) }()
	return done
}

// grow starts one more worker, unless the pool is full.
func (g *generator) grow() {
	for {
		n := g.live.Load()
		if n >= int64(g.workers) {
			return
		}
		if g.live.CompareAndSwap(n, n+1) {
			g.wg.Go(func() { g.work(int(n)) })
			return
		}
	}
}

// stop ends the attack: no send starts after it; requests in flight finish.
func (g *generator) stop() { g.haltOnce.Do(func() { close(g.halt) }) }

// targetErr is the targeter's first error, if it ended the attack.
func (g *generator) targetErr() error {
	g.errMu.Lock()
	defer g.errMu.Unlock()
	return g.err
}

// work claims plan slots in order, waits for each one's time and sends it.
func (g *generator) work(id int) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var res vegeta.Result
	for {
		k := g.next.Add(1) - 1
		if k >= uint64(len(g.plan)) {
			return
		}
		due := g.start.Add(g.plan[k])
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-g.halt:
				return
			}
		} else if -wait > waitSlack {
			g.waited.Add(1) // every worker was busy when it came due
			g.grow()
		}
		select {
		case <-g.halt:
			return
		default:
		}
		now, seq, ok := g.stamp()
		if !ok {
			return
		}
		if !g.hit(&res, seq, now) {
			return
		}
		g.record(id, &res, now.Sub(due))
	}
}

// stamp numbers a send and times it in one step, so that results ordered
// by number are ordered by time (vegeta's plot relies on it); ok is false
// past the attack's end, which stops it.
func (g *generator) stamp() (at time.Time, seq uint64, ok bool) {
	g.seqMu.Lock()
	defer g.seqMu.Unlock()
	at = time.Now()
	if g.end > 0 && at.Sub(g.start) > g.end {
		g.stop()
		return at, 0, false
	}
	seq = g.seq
	g.seq++
	return at, seq, true
}

// hit makes send number k, stamped at, into res; false when the targeter
// failed, which ends the attack (vegeta.ErrNoTargets: nothing left).
func (g *generator) hit(res *vegeta.Result, k uint64, at time.Time) bool {
	*res = vegeta.Result{Attack: g.name, Seq: k, Timestamp: at}
	var tgt vegeta.Target
	if err := g.targeter(&tgt); err != nil {
		g.errMu.Lock()
		if g.err == nil && !errors.Is(err, vegeta.ErrNoTargets) {
			g.err = err
		}
		g.errMu.Unlock()
		g.stop()
		return false
	}
	n := g.inFlight.Add(1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	defer g.inFlight.Add(-1)
	res.Method, res.URL = tgt.Method, tgt.URL
	defer func() { res.Latency = time.Since(at) }()
	req, err := tgt.Request()
	if err != nil {
		res.Error = err.Error()
		return true
	}
	if req.ContentLength > 0 {
		res.BytesOut = uint64(req.ContentLength)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		res.Error = err.Error()
		return true
	}
	defer resp.Body.Close()
	if g.bodies {
		res.Body, err = io.ReadAll(io.LimitReader(resp.Body, maxKeptBody))
		res.BytesIn = uint64(len(res.Body))
	}
	if err == nil {
		var n int64
		n, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrained))
		res.BytesIn += uint64(n)
	}
	if err != nil { // as vegeta: an answer cut short has no code
		res.Error = err.Error()
		return true
	}
	if res.Code = uint16(resp.StatusCode); res.Code < 200 || res.Code >= 400 {
		res.Error = resp.Status // as vegeta reports them
	}
	return true
}
