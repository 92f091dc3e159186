package judge

import (
	"fmt"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// Config is what a Judge needs before the first call.
type Config struct {
	Profile Profile
	// ChangesKnown says the changes made are fed with Change (load,
	// conformance): coverage and change-based duplicates are judged. A
	// receiver log alone has no changes.
	ChangesKnown bool
	// Horizon is how far out of time order calls and changes may be fed.
	// A receiver records a call when it answers, so a call comes after
	// later arrivals by at most its answer's time: by default the horizon is
	// the slowest answer seen so far plus a second.
	Horizon time.Duration
	// Retention is how long, in observed time, a delivered event's key is
	// kept to catch a repeat of it. Default 1 h.
	Retention time.Duration
	// Signature, when set, decides each call's signature result (analyze
	// --secret); otherwise the receiver's recorded result is used.
	Signature func(*receiver.Observation) string
}

// Judge judges calls and changes as they come, in memory that grows with
// the callbacks and events in flight, not with the calls: per callback and
// per event it keeps the state a verdict needs (pending changes, the last
// 2xx, the current failure run and its gaps), and everything else goes into
// the aggregates of a Report. Not safe for concurrent use.
type Judge struct {
	cfg       Config
	p         Profile
	r         *Report
	callbacks map[string]*callbackState
	records   map[string][]*callbackState
	unhooked  map[string][]time.Time // changes of records with no callback yet
	queue     events
	order     uint64
	newest    time.Time // latest time fed (a call's: when it was answered)
	slowest   time.Duration
	done      time.Time // latest time judged
	last      time.Time // latest arrival seen
	// settled are keyed events in the order they got their 2xx, to be
	// forgotten after the retention.
	settled []settledEvent
	head    int
}

type settledEvent struct {
	cb  *callbackState
	key string
	at  time.Time
}

// callbackState is one callback: batching, coverage and change-based
// duplicates are judged per callback.
type callbackState struct {
	path, record string
	calls        uint64
	lastAt       time.Time // last call's arrival
	ref          time.Time // what the next delivery is spaced from
	lastOK       time.Time
	fails        int // consecutive failures on the callback
	lastChange   time.Time
	pending      []pendingChange
	keyless      *eventState            // the calls without an event key
	events       map[string]*eventState // by event key
}

// event is cb's state for key, made on first use. The keyless one is held
// apart: most callbacks have no other, and a map each would cost more than
// all the rest of their state.
func (cb *callbackState) event(key string) *eventState {
	if key == "" {
		if cb.keyless == nil {
			cb.keyless = &eventState{}
		}
		return cb.keyless
	}
	ev := cb.events[key]
	if ev == nil {
		if cb.events == nil {
			cb.events = map[string]*eventState{}
		}
		ev = &eventState{key: key}
		cb.events[key] = ev
	}
	return ev
}

type pendingChange struct {
	at    time.Time
	bound time.Duration
}

// eventState is one event on a callback (the callback itself without an
// event key): its current delivery, a run of attempts until a 2xx.
type eventState struct {
	key       string
	calls     uint64
	attempts  int // in the current delivery
	fails     int // consecutive failures
	lastAt    time.Time
	lastEnd   time.Time
	lastOK    time.Time
	last      failure // the latest failed call
	final     bool    // the latest failure was a final code
	digest    string  // body digest of the run's first failure, to spot interleaving
	overlap   bool
	gaps      []time.Duration // the current run's retry gaps, judged when it ends
	gapBase   int             // gaps of the run judged already
	open      bool            // a delivery is in progress
	delivered bool
}

type failure struct {
	at     time.Time
	status int
	answer string
}

// New returns a judge of calls against cfg.Profile.
func New(cfg Config) (*Judge, error) {
	if err := cfg.Profile.Validate(); err != nil {
		return nil, fmt.Errorf("judge: profile %s: %w", cfg.Profile.Name, err)
	}

	if cfg.Retention <= 0 {
		cfg.Retention = time.Hour
	}
	return &Judge{
		cfg: cfg, p: cfg.Profile,
		r:         &Report{ChangesKnown: cfg.ChangesKnown},
		callbacks: map[string]*callbackState{},
		records:   map[string][]*callbackState{},
		unhooked:  map[string][]time.Time{},
	}, nil
}

// Hook declares a registered callback and its record, so that a callback
// never called still has its changes judged (lost, not unseen).
func (j *Judge) Hook(callback, record string) { j.callback(callback, record) }

// Change records a change of record started at at.
func (j *Judge) Change(record string, at time.Time) {
	j.push(&event{at: at.Round(0), change: true, record: record})
}

// Observe judges one call.
func (j *Judge) Observe(o receiver.Observation) {
	// times are judged by the wall clock alone (Round(0) drops the
	// monotonic reading): the heap orders by it, and a log read back has
	// nothing else, so a live judgement and one of its recording agree
	o.At = o.At.Round(0)
	j.push(&event{at: o.At, obs: o})
}

// Finish judges what is left as of end (zero: the last arrival) and
// returns the report. A change whose bound reaches past end without a call
// is pending, not lost; a failure whose retry is not yet due is pending,
// not unretried. The judge must not be used after.
func (j *Judge) Finish(end time.Time) *Report {
	for j.queue.Len() > 0 {
		j.judge(j.queue.pop())
	}
	if end.IsZero() {
		end = j.last
	}
	for _, cb := range j.callbacks {
		for _, c := range cb.pending {
			if end.Sub(c.at) < c.bound {
				j.r.Pending++
			} else {
				j.r.Lost++
				j.r.example("coverage", "%s: change at %s was never notified (observed until %s, bound %s)", cb.path, stamp(c.at), stamp(end), c.bound)
			}
		}
		if ev := cb.keyless; ev != nil && ev.fails > 0 {
			j.closeRun(cb, ev, end)
		}
		for _, ev := range cb.events {
			if ev.fails > 0 {
				j.closeRun(cb, ev, end)
			}
		}
	}
	j.r.Hooks = uint64(len(j.callbacks))
	return j.r
}

// push queues e and judges everything older than the horizon.
func (j *Judge) push(e *event) {
	j.order++
	e.order = j.order
	if t := e.at.Add(e.obs.Elapsed); t.After(j.newest) {
		j.newest = t
	}
	j.slowest = max(j.slowest, e.obs.Elapsed)
	if e.change && j.newest.After(e.at) {
		// A change is fed when its request is answered: the horizon must
		// cover how late that was, or its calls are judged before it.
		j.slowest = max(j.slowest, j.newest.Sub(e.at))
	}
	j.queue.push(e)
	limit := j.newest.Add(-j.horizon()).UnixNano()
	for j.queue.Len() > 0 && j.queue[0].at <= limit {
		j.judge(j.queue.pop())
	}
}

// horizon is how long an arrival waits in the queue for earlier ones.
func (j *Judge) horizon() time.Duration {
	if j.cfg.Horizon > 0 {
		return j.cfg.Horizon
	}
	return j.slowest + time.Second
}

func (j *Judge) judge(e *event) {
	if e.at.Before(j.done) {
		j.r.Reordered++
	} else {
		j.done = e.at
	}
	if e.change {
		j.change(e.record, e.at)
	} else {
		j.call(&e.obs)
	}
	j.sweep()
}

func (j *Judge) callback(path, record string) *callbackState {
	if cb, ok := j.callbacks[path]; ok {
		return cb
	}
	cb := &callbackState{path: path, record: record}
	j.callbacks[path] = cb
	if record != "" {
		j.records[record] = append(j.records[record], cb)
		for _, c := range j.unhooked[record] {
			j.pend(cb, c)
		}
		delete(j.unhooked, record)
	}
	return cb
}

func (j *Judge) change(record string, at time.Time) {
	j.r.Changes++
	cbs := j.records[record]
	if len(cbs) == 0 {
		j.unhooked[record] = append(j.unhooked[record], at)
		return
	}
	for _, cb := range cbs {
		j.pend(cb, at)
	}
}

// noticeBound is how soon after a change a notification is due on a
// callback in good health.
func (p Profile) noticeBound() time.Duration {
	b := max(p.Window, p.FirstNotification)
	return b + p.Tolerance.For(b)
}

// pend adds a change to cb's pending list with its bound: a notice bound,
// or the pending retry's when cb was failing at the time of the change.
func (j *Judge) pend(cb *callbackState, at time.Time) {
	bound := j.p.noticeBound()
	if cb.fails > 0 && !j.p.Retry.Any {
		_, hi := j.p.Retry.Expected(cb.fails)
		if retryAt := cb.lastAt.Add(hi); retryAt.Sub(at) > max(j.p.Window, j.p.FirstNotification) {
			bound = retryAt.Sub(at) + j.p.Tolerance.For(hi)
		}
	}
	cb.pending = append(cb.pending, pendingChange{at, bound})
	if at.After(cb.lastChange) {
		cb.lastChange = at
	}
}

// call judges one observation in time order.
func (j *Judge) call(o *receiver.Observation) {
	r, p := j.r, j.p
	r.Calls++
	if o.At.After(j.last) {
		j.last = o.At
	}
	if path, _, _ := strings.Cut(o.Callback, "?"); path == receiver.RedirectPath {
		r.Redirected++
		r.example("redirects", "call at %s on the redirect target %s: a redirect was followed", stamp(o.At), o.Callback)
		return
	}
	cb := j.callback(o.Callback, o.Record)
	key, ok := eventKey(o, p.EventKey)
	if !ok {
		r.NoKey++
		r.example("events", "%s at %s carried no event key (%s): judged with the callback's other keyless calls", o.Callback, stamp(o.At), p.EventKey)
	}
	ev := cb.event(key)
	j.shape(o)
	if d := digest(o); ev.fails > 0 && d != "" && ev.digest != "" && d != ev.digest {
		ev.overlap = true // several events in one run: its attempts are not one sequence's
	}
	if max := p.Retry.MaxAttempts; max > 0 && ev.fails == max && !ev.overlap {
		r.OverAttempts++
		r.example("max attempts", "%s%s called at %s after %d failed attempts in a row: attempt %d, the maximum is %d", cb.path, keyNote(key), stamp(o.At), ev.fails, ev.fails+1, max)
	}
	retry := ev.fails > 0
	if retry {
		gap := o.At.Sub(ev.lastAt)
		if p.Retry.FromEnd {
			gap = o.At.Sub(ev.lastEnd)
		}
		if len(ev.gaps) >= 2*maxGapIndex {
			j.commitGaps(cb, ev)
		}
		ev.gaps = append(ev.gaps, gap)
	} else {
		j.delivery(cb, ev, o)
	}
	for _, c := range cb.pending {
		lat := o.At.Sub(c.at)
		r.Latency.Add(lat)
		if lat > c.bound {
			r.Late++
			r.example("coverage", "%s: change at %s notified %s later, bound %s", cb.path, stamp(c.at), lat.Round(time.Millisecond), c.bound)
		} else {
			r.Covered++
		}
	}
	cb.pending = cb.pending[:0]
	cb.calls++
	cb.lastAt = o.At
	if key == "" || !retry {
		cb.ref = o.At
	}
	ev.calls++
	ev.attempts++
	ev.lastAt, ev.lastEnd = o.At, o.At.Add(o.Elapsed)
	if j.succeeded(o) {
		j.commitGaps(cb, ev)
		if ev.open {
			r.Delivered++
			r.attempts(ev.attempts)
		}
		ev.endRun()
		ev.delivered, ev.lastOK = true, o.At
		cb.fails, cb.lastOK = 0, o.At
		if key != "" {
			j.settled = append(j.settled, settledEvent{cb, key, o.At})
		}
		return
	}
	r.Failed++
	if ev.fails == 0 {
		ev.digest = digest(o)
	}
	ev.fails++
	cb.fails++
	ev.last = failure{o.At, o.Status, o.Answer}
	ev.final = p.Delivery.Final.Has(o.Status)
}

// delivery judges a call that starts a delivery: its spacing from the
// callback's previous one (batching), and whether anything justified it
// (a change since the last 2xx, or an event not yet delivered).
func (j *Judge) delivery(cb *callbackState, ev *eventState, o *receiver.Observation) {
	r, p := j.r, j.p
	if ev.delivered && ev.key != "" {
		r.Duplicates++
		r.example("duplicates", "%s: event %s delivered again at %s after its 2xx at %s (a 2xx must end its retries; an id names one event)", cb.path, ev.key, stamp(o.At), stamp(ev.lastOK))
		return
	}
	r.Deliveries++
	ev.open = true
	if cb.calls > 0 {
		r.Spacing.Add(o.At.Sub(cb.ref))
	}
	if p.Window > 0 && cb.calls > 0 {
		if gap, min := o.At.Sub(cb.ref), p.Window-p.Tolerance.For(p.Window); gap < min {
			r.Batching++
			r.example("batching", "%s called at %s and again %s later (window %s, tolerance %s)", cb.path, stamp(cb.ref), gap.Round(time.Millisecond), p.Window, p.Tolerance.For(p.Window))
		}
	}
	if j.cfg.ChangesKnown && ev.key == "" {
		from := cb.lastOK.Add(-p.Tolerance.For(p.Window))
		justified := !cb.lastChange.IsZero() && !cb.lastChange.After(o.At) &&
			(cb.calls == 0 || cb.lastOK.IsZero() || cb.lastChange.After(from))
		if !justified {
			r.Duplicates++
			r.example("duplicates", "%s called at %s with no change since its last 2xx at %s", cb.path, stamp(o.At), stamp(cb.lastOK))
		}
	}
}

// succeeded reports whether the sender counted o as delivered: a success
// code answered within its timeout.
func (j *Judge) succeeded(o *receiver.Observation) bool {
	if !j.p.Delivery.Success.Has(o.Status) {
		return false
	}
	if t := j.p.Delivery.Timeout; t > 0 && o.Elapsed >= t {
		j.r.AfterTimeout++
		j.r.example("timeouts", "%s at %s was answered %d after %s, past the sender's %s timeout: a failure to the sender, so its retry is no duplicate", o.Callback, stamp(o.At), o.Status, o.Elapsed.Round(time.Millisecond), t)
		return false
	}
	return true
}

// endRun resets ev for its next delivery.
func (ev *eventState) endRun() {
	ev.fails, ev.attempts, ev.gapBase, ev.digest, ev.overlap, ev.open, ev.final = 0, 0, 0, "", false, false, false
	ev.gaps = ev.gaps[:0]
}

// commitGaps judges the gaps of ev's run so far against the schedule and
// adds them to the fit, unless events interleaved in the run.
func (j *Judge) commitGaps(cb *callbackState, ev *eventState) {
	r, p := j.r, j.p
	if len(ev.gaps) == 0 {
		return
	}
	first := ev.gapBase
	ev.gapBase += len(ev.gaps)
	if ev.overlap {
		if first == 0 {
			r.Overlaps++
			r.example("events", "%s: calls with different bodies interleave in one failure run: several events share the callback; name an event key (--event-key header:NAME, json:FIELD or body): its gaps are not fitted", cb.path)
		}
		ev.gaps = ev.gaps[:0]
		return
	}
	for i, g := range ev.gaps {
		n := first + i + 1
		r.RetryGaps++
		r.addGap(n, g)
		if p.Retry.Any {
			continue
		}
		lo, hi := p.Retry.Expected(n)
		if tol := p.Tolerance.For(hi); g < lo-tol || g > hi+tol {
			r.RetryOff++
			r.example("retry schedule", "%s%s: gap %d (after failure %d) was %s, expected %s (± %s; %s)", cb.path, keyNote(ev.key), n, n, g.Round(time.Millisecond), span(lo, hi), tol, p.Retry)
		}
	}
	if first == 0 {
		r.Sequences++
	}
	ev.gaps = ev.gaps[:0]
}

// closeRun judges a failure run still open at end: given up at the maximum,
// ended by a final code, its retry not yet due, or never retried.
func (j *Judge) closeRun(cb *callbackState, ev *eventState, end time.Time) {
	r, p := j.r, j.p
	j.commitGaps(cb, ev)
	if ev.open {
		r.attempts(ev.attempts)
	}
	max := p.Retry.MaxAttempts
	switch {
	case max > 0 && ev.fails >= max:
		r.GivenUp++
		return
	case ev.final:
		r.FinalStops++
		return
	}
	due := j.retryDue(ev.fails)
	ref := ev.lastAt
	if p.Retry.FromEnd {
		ref = ev.lastEnd
	}
	if end.Sub(ref) <= due {
		r.RetryDue++
		return
	}
	r.Unretried++
	what := fmt.Sprint(ev.last.status)
	if ev.last.status == 0 {
		what = "a reset or timeout (" + ev.last.answer + ")"
	}
	stop := ""
	if ev.fails > 1 || max > 0 {
		stop = fmt.Sprintf("; the sequence stopped after %d failed attempts without a 2xx", ev.fails)
		if max > 0 {
			stop += fmt.Sprintf(" (maximum %d)", max)
		}
	}
	r.example("retries", "%s at %s on %s%s was not retried (observed until %s, a retry was due within %s); every failure must be retried%s",
		what, stamp(ev.last.at), cb.path, keyNote(ev.key), stamp(end), due.Round(time.Millisecond), stop)
}

// retryDue is how long after the n-th failure its retry must have come.
func (j *Judge) retryDue(n int) time.Duration {
	if j.p.Retry.Any {
		var longest time.Duration
		for i := range j.r.Gaps {
			longest = max(longest, j.r.Gaps[i].Max())
		}
		if longest == 0 {
			return time.Minute
		}
		return 2 * longest
	}
	_, hi := j.p.Retry.Expected(n)
	return hi + j.p.Tolerance.For(hi)
}

// sweep forgets delivered events idle for longer than the retention, so
// that a day of distinct event ids does not stay in memory.
func (j *Judge) sweep() {
	limit := j.done.Add(-j.cfg.Retention)
	for ; j.head < len(j.settled) && j.settled[j.head].at.Before(limit); j.head++ {
		s := j.settled[j.head]
		if ev := s.cb.events[s.key]; ev != nil && ev.fails == 0 && !ev.lastAt.After(s.at) {
			delete(s.cb.events, s.key)
		}
		j.settled[j.head] = settledEvent{}
	}
	if j.head > len(j.settled)/2 { // compact now and then: amortised O(1)
		j.settled = append(j.settled[:0], j.settled[j.head:]...)
		j.head = 0
	}
}

func (r *Report) addGap(n int, g time.Duration) {
	k := min(n, maxGapIndex)
	if len(r.Gaps) < k {
		r.Gaps = append(r.Gaps, make([]Histogram, k-len(r.Gaps))...)
	}
	r.Gaps[k-1].Add(g)
}

// keyNote names an event key in messages.
func keyNote(key string) string {
	if key == "" {
		return ""
	}
	return " (event " + key + ")"
}

// span writes an expected range, or one value.
func span(lo, hi time.Duration) string {
	if lo == hi {
		return lo.String()
	}
	return lo.Round(time.Millisecond).String() + "…" + hi.Round(time.Millisecond).String()
}

// event is a call or a change waiting in time order.
type event struct {
	at     time.Time
	order  uint64
	change bool
	record string
	obs    receiver.Observation
}

// events is a heap in time order; at equal times changes come first (a
// call at the instant of a change covers it), then feeding order. Each
// entry holds its sort key, so sifting compares without following the
// event's pointer (the heap holds a horizon's worth of events: tens of
// thousands under load).
type events []queued

// queued is an event with its sort key: the time in Unix nanoseconds, and
// its rank (feeding order, with the top bit set for a call).
type queued struct {
	at, rank int64
	e        *event
}

func (q events) Len() int { return len(q) }

func (q events) less(a, b int) bool {
	return q[a].at < q[b].at || q[a].at == q[b].at && q[a].rank < q[b].rank
}

// push adds e.
func (q *events) push(e *event) {
	rank := int64(e.order & (1<<62 - 1))
	if !e.change {
		rank |= 1 << 62
	}
	*q = append(*q, queued{at: e.at.UnixNano(), rank: rank, e: e})
	h := *q
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

// pop removes and returns the earliest event.
func (q *events) pop() *event {
	h := *q
	e := h[0].e
	last := len(h) - 1
	h[0] = h[last]
	h[last] = queued{}
	h = h[:last]
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && h.less(c+1, c) {
			c++
		}
		if !h.less(c, i) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	*q = h
	return e
}
