package loadgen

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/judge"
)

func TestLiveOwesEachRecordUntilA2xxAfterItsChange(t *testing.T) {
	const a, b, c = "0000-0002-1825-0097", "0000-0002-9079-593X", "0000-0001-5109-3700"
	hooks := map[string]string{"/" + a + "/updated": a, "/" + b + "/updated": b, "/" + c + "/updated": c}
	lv, err := newLive(judge.WithTiming(judge.ORCID(), testTiming), hooks, time.Now(), testTiming.Window)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := receiver.Listen(context.Background(), "127.0.0.1:0", receiver.Options{Subscriber: lv.observe})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	call := func(path string) {
		t.Helper()
		resp, err := http.Post(srv.URL()+path, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	call("/" + a + "/updated") // before the change: covers nothing
	changed := time.Now()
	lv.change(a, changed.Add(-time.Millisecond), changed)
	lv.change(b, changed.Add(-time.Millisecond), changed)
	call("/" + c + "/updated")
	// c's notification was seen before its change's answer was counted
	lv.change(c, changed.Add(-time.Millisecond), changed)
	steps := []struct {
		path string
		owed int
	}{
		{"", 2},
		{"/" + a + "/updated?script=500", 2}, // failed: still owed
		{"/" + a + "/updated", 1},
		{"/" + a + "/updated", 1}, // a again: b still owed
		{"/" + b + "/updated", 0},
	}
	for i, st := range steps {
		if st.path != "" {
			call(st.path)
		}
		if got := lv.owing(); got != st.owed {
			t.Fatalf("step %d (%s): %d records owed, want %d", i, st.path, got, st.owed)
		}
	}
	r, windows := lv.finish(time.Now())
	if r.Calls != 6 || r.Changes != 3 || sum(windows) != 6 {
		t.Fatalf("judged %d calls and %d changes, %d in the windows; want 6, 3, 6", r.Calls, r.Changes, sum(windows))
	}
}

func sum(xs []uint64) (n uint64) {
	for _, x := range xs {
		n += x
	}
	return n
}
