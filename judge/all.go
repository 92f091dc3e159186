package judge

import (
	"slices"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// Input is a run held in memory: the profile, the changes made, the hooks
// registered and the calls observed.
type Input struct {
	Profile Profile
	// Changes holds, per record, when each change was started. Nil means
	// unknown (a log of an arbitrary sender): coverage and change-based
	// duplicates are then not judged.
	Changes map[string][]time.Time
	// Hooks maps each registered callback (as the receiver sees it) to its
	// record; nil infers hooks from the observations.
	Hooks map[string]string
	// Observations are the calls, in any order.
	Observations []receiver.Observation
	// End is when observation stopped; zero means the last call.
	End time.Time
}

// All judges a run held in memory through the streaming Judge (the
// conformance steps and load runs, which keep their calls anyway).
func All(in Input) (*Report, error) {
	j, err := New(Config{Profile: in.Profile, ChangesKnown: in.Changes != nil})
	if err != nil {
		return nil, err
	}
	for cb, rec := range in.Hooks {
		j.Hook(cb, rec)
	}
	// Feed changes and calls merged in time order.
	type change struct {
		record string
		at     time.Time
	}
	var changes []change
	for rec, cs := range in.Changes {
		for _, c := range cs {
			changes = append(changes, change{rec, c})
		}
	}
	slices.SortFunc(changes, func(a, b change) int { return a.at.Compare(b.at) })
	idx := make([]int32, len(in.Observations))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return in.Observations[a].At.Compare(in.Observations[b].At) })
	// In time order already: judged as fed, without the reordering queue.
	c := 0
	for _, i := range idx {
		o := &in.Observations[i]
		for ; c < len(changes) && !changes[c].at.After(o.At); c++ {
			j.change(changes[c].record, changes[c].at)
		}
		j.call(o)
		j.done = o.At
		j.sweep()
	}
	for ; c < len(changes); c++ {
		j.change(changes[c].record, changes[c].at)
	}
	return j.Finish(in.End), nil
}

// WithTiming is p with the durations t declares: window, retry policy,
// callback timeout and t's tolerance (absolute, as load runs declare it).
func WithTiming(p Profile, t timing.Timing) Profile {
	p = p.clone()
	if p.Window > 0 && t.Window > 0 {
		// times that go with the window scale with it
		p.FirstNotification = time.Duration(float64(p.FirstNotification) * float64(t.Window) / float64(p.Window))
	}
	p.Window = t.Window
	p.Retry.Retry = t.Retry
	p.Retry.Delays = append([]time.Duration(nil), t.Retry.Delays...)
	if t.CallbackTimeout > 0 {
		p.Delivery.Timeout = t.CallbackTimeout
	}
	if t.Tolerance > 0 && t.Tolerance != p.Tolerance.For(max(p.Window, 0)) {
		p.Tolerance = Tolerance{Abs: t.Tolerance, Source: "the declared timing"}
	}
	return p
}

// ORCID is the orcid profile: what load runs and conformance expect of a
// delivery, before their declared timing.
func ORCID() Profile { return builtins["orcid"].clone() }
