package loadgen

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

// live judges a load run as it goes: the accepted changes (from the
// attack's results) and the receiver's calls (from its subscriber) are fed
// to one streaming judge, and the drain's bookkeeping and the
// notifications per window are kept beside it. Its memory grows with the
// hooks, not with the run's length. Safe for concurrent use.
type live struct {
	mu     sync.Mutex
	j      *judge.Judge
	start  time.Time
	window time.Duration
	// perWindow counts calls per window since start, changesPerWindow
	// the changes accepted.
	perWindow, changesPerWindow []uint64
	// owed maps each record whose last accepted change has not been
	// notified yet to that change's answer's end; lastOK is each record's
	// latest call answered 2xx (a call may be seen before the result of
	// the change it notifies).
	owed   map[string]time.Time
	lastOK map[string]time.Time
	done   bool // finished: later calls and changes are not judged
}

func newLive(p judge.Profile, hooks map[string]string, start time.Time, window time.Duration) (*live, error) {
	j, err := judge.New(judge.Config{Profile: p, ChangesKnown: true})
	if err != nil {
		return nil, err
	}
	for cb, rec := range hooks {
		j.Hook(cb, rec)
	}
	if window <= 0 {
		window = time.Second
	}
	return &live{j: j, start: start, window: window, owed: map[string]time.Time{}, lastOK: make(map[string]time.Time, len(hooks))}, nil
}

// change feeds a change of record sent at at and answered (2xx) at end.
func (l *live) change(record string, at, end time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return
	}
	l.j.Change(record, at)
	l.changesPerWindow = l.count(l.changesPerWindow, at)
	if !l.lastOK[record].After(end) && end.After(l.owed[record]) {
		l.owed[record] = end
	}
}

// observe feeds one call (the receiver's subscriber).
func (l *live) observe(o receiver.Observation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return
	}
	l.j.Observe(o)
	l.perWindow = l.count(l.perWindow, o.At)
	if o.OK() {
		if o.At.After(l.lastOK[o.Record]) {
			l.lastOK[o.Record] = o.At
		}
		if t, ok := l.owed[o.Record]; ok && o.At.After(t) {
			delete(l.owed, o.Record)
		}
	}
}

// count adds at to its window of w, counted since start.
func (l *live) count(w []uint64, at time.Time) []uint64 {
	i := int(max(at.Sub(l.start), 0) / l.window)
	if i >= len(w) {
		w = append(w, make([]uint64, i+1-len(w))...)
	}
	w[i]++
	return w
}

// changes is the changes accepted per window.
func (l *live) changes() []uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.changesPerWindow)
}

// owing is how many records await a notification of their last change.
func (l *live) owing() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.owed)
}

// begin sets when the attack started: the windows count from it.
func (l *live) begin(start time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.start = start
}

// interim is the judgement so far, as of now, and the calls per window.
func (l *live) interim(now time.Time) (*judge.Report, []uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return &judge.Report{}, nil
	}
	return l.j.Interim(now), slices.Clone(l.perWindow)
}

// status is the running verdicts for the progress line: calls so far,
// changes lost and late so far, and the retry schedule fitted so far.
func (l *live) status() string {
	r, _ := l.interim(time.Now())
	fit := "no retries yet"
	if f := r.RetryFit(); f.Gaps > 0 {
		fit = f.Schedule()
	}
	return fmt.Sprintf("notified %d  lost %d  late %d  retries %s", r.Calls, r.Lost, r.Late, fit)
}

// interim writes a report of the run so far every Config.InterimEvery.
type interim struct {
	cfg  *Config
	live *live
	s    *report.Summary // the run as known before its end
	last time.Time
}

// tick writes an interim report if one is due; now holds the sends and
// answers so far.
func (in *interim) tick(now *report.Summary) {
	if in.cfg.Interim == nil || in.cfg.InterimEvery <= 0 {
		return
	}
	if in.last.IsZero() {
		in.last = in.s.Started
	}
	if time.Since(in.last) < in.cfg.InterimEvery {
		return
	}
	in.last = time.Now()
	snap := *in.s
	snap.API, snap.Sends = now.API, now.Sends
	snap.Sends.Workers, snap.Sends.Planned = in.s.Sends.Workers, in.s.Sends.Planned
	snap.Ended = in.last
	snap.Notify, snap.PerWindow = in.live.interim(in.last)
	snap.Partial, snap.Interim = true, true
	snap.Checks, snap.Limits, snap.Warnings = nil, nil, slices.Clone(in.s.Warnings)
	in.cfg.Interim(&snap)
}

// finish ends the judgement as of end and returns the report and the
// calls per window; calls and changes fed after it are ignored.
func (l *live) finish(end time.Time) (*judge.Report, []uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
	return l.j.Finish(end), l.perWindow
}
