package judge

import "time"

// Interim is the report so far, without ending the judgement: calls still
// in the reordering queue are not in it yet, so it is judged as of the
// last event judged (or, with nothing queued, as of now less the horizon,
// for a call stamped earlier may still arrive); changes pending past their
// bound by then count as lost, those within it as pending. It costs a pass
// over the callbacks, so call it seldom (a progress line, an interim
// report), not per call.
func (j *Judge) Interim(now time.Time) *Report {
	r := &Report{ChangesKnown: j.r.ChangesKnown}
	r.Merge(j.r)
	asOf := j.done
	if j.queue.Len() == 0 {
		asOf = later(asOf, now.Add(-j.horizon()))
	}
	for _, cb := range j.callbacks {
		for _, c := range cb.pending {
			if asOf.Sub(c.at) < c.bound {
				r.Pending++
			} else {
				r.Lost++
			}
		}
	}
	r.Hooks = uint64(len(j.callbacks))
	return r
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
