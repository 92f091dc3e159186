package judge

import "time"

// Interim is the report so far, as of now, without ending the judgement:
// changes pending past their bound count as lost, those within it as
// pending; calls still in the reordering queue are not in it yet. It costs
// a pass over the callbacks, so call it seldom (a progress line, an
// interim report), not per call.
func (j *Judge) Interim(now time.Time) *Report {
	r := &Report{ChangesKnown: j.r.ChangesKnown}
	r.Merge(j.r)
	for _, cb := range j.callbacks {
		for _, c := range cb.pending {
			if now.Sub(c.at) < c.bound {
				r.Pending++
			} else {
				r.Lost++
			}
		}
	}
	r.Hooks = uint64(len(j.callbacks))
	return r
}
