package judge

import (
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// TestInterimCountsNoQueuedNotificationAsLost: a notification that came
// in time but still waits in the reordering queue must not make its change
// count as lost in an interim report (a healthy run must not look doomed);
// a change with no notification at all is lost once the judge has seen
// past its bound.
func TestInterimCountsNoQueuedNotificationAsLost(t *testing.T) {
	tests := []struct {
		name         string
		feed         func(j *Judge)
		nowMs        int
		lost, queued bool
	}{
		{"notified in time, call still queued", func(j *Judge) {
			j.Change("r-/a", at(0))
			j.Observe(call("/a", 900, 204))
			j.Observe(call("/b", 1050, 204)) // the change is judged, /a's call still waits
		}, 1500, false, true},
		{"never notified, judge has seen past the bound", func(j *Judge) {
			j.Change("r-/a", at(0))
			j.Observe(call("/b", 9000, 204)) // pushes the judge past /a's bound
			j.Observe(call("/b", 20000, 204))
		}, 21000, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := hookedJudge(t, "/a", "/b")
			tt.feed(j)
			if got := j.queue.Len() > 0; got != tt.queued {
				t.Fatalf("queued = %v, want %v (the case does not test what it says)", got, tt.queued)
			}
			r := j.Interim(at(tt.nowMs))
			if got := r.Lost > 0; got != tt.lost {
				t.Errorf("interim lost = %d, pending = %d; want lost %v", r.Lost, r.Pending, tt.lost)
			}
			if f := j.Finish(at(tt.nowMs)); (f.Lost > 0) != tt.lost {
				t.Errorf("final lost = %d, want lost %v", f.Lost, tt.lost)
			}
		})
	}
}

// TestCoverageSaysWhichBound: a change on a failing callback is due by its
// pending retry, not within the window, and the coverage verdict says so
// only when some call failed.
func TestCoverageSaysWhichBound(t *testing.T) {
	tests := []struct {
		name  string
		calls []receiver.Observation // on /a; its record changes at 0 and 2 s
		retry bool                   // the verdict names the retry bound
	}{
		{"healthy", []receiver.Observation{call("/a", 900, 204), call("/a", 2900, 204)}, false},
		// the second change is notified 1.9 s later: past the window's
		// 1.2 s, but by the 2 s retry that was pending
		{"failing at the second change", []receiver.Observation{call("/a", 900, 500), call("/a", 1900, 500), call("/a", 3900, 204)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := hookedJudge(t, "/a")
			j.Change("r-/a", at(0))
			changed := false
			for _, o := range tt.calls {
				if !changed && o.At.After(at(2000)) {
					j.Change("r-/a", at(2000))
					changed = true
				}
				j.Observe(o)
			}
			r := j.Finish(at(20000))
			var cov Check
			for _, c := range r.Checks(loadProfile()) {
				if c.Name == "coverage" {
					cov = c
				}
			}
			if cov.Result != Pass {
				t.Fatalf("coverage %s: %s (covered %d, late %d, lost %d)", cov.Result, cov.Reason, r.Covered, r.Late, r.Lost)
			}
			if got := strings.Contains(cov.Reason, "by its next retry"); got != tt.retry {
				t.Errorf("coverage says %q; naming the retry bound: %v, want %v", cov.Reason, got, tt.retry)
			}
		})
	}
}

// hookedJudge is a judge of loadProfile that knows the changes, with a
// hook on each path for record "r-" + path.
func hookedJudge(t *testing.T, paths ...string) *Judge {
	t.Helper()
	j, err := New(Config{Profile: loadProfile(), ChangesKnown: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		j.Hook(p, "r-"+p)
	}
	return j
}
