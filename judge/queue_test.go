package judge

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

// TestEventsHeapOrder: the reordering heap gives events back in time
// order, changes before calls at the same instant, then in feeding order.
func TestEventsHeapOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	var q events
	var fed []*event
	for i := range 5000 {
		e := &event{at: base.Add(time.Duration(rng.IntN(300)) * time.Millisecond), change: rng.IntN(3) == 0, order: uint64(i + 1)}
		fed = append(fed, e)
		q.push(e)
	}
	want := append([]*event(nil), fed...)
	sort.SliceStable(want, func(a, b int) bool {
		x, y := want[a], want[b]
		if !x.at.Equal(y.at) {
			return x.at.Before(y.at)
		}
		if x.change != y.change {
			return x.change
		}
		return x.order < y.order
	})
	for i, w := range want {
		if got := q.pop(); got != w {
			t.Fatalf("pop %d: event at %s change %v order %d, want at %s change %v order %d", i, got.at, got.change, got.order, w.at, w.change, w.order)
		}
	}
	if q.Len() != 0 {
		t.Errorf("%d events left", q.Len())
	}
}
