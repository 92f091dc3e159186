package loadgen

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

func TestDrainWatchWaitsForA2xxAfterEachChange(t *testing.T) {
	srv, err := receiver.Listen(context.Background(), "127.0.0.1:0", receiver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const a, b = "0000-0002-1825-0097", "0000-0002-9079-593X"
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
	w := newDrainWatch(map[string]time.Time{a: changed, b: changed}, srv.Receiver())
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
		if got := w.owed(); got != st.owed {
			t.Fatalf("step %d (%s): %d records owed, want %d", i, st.path, got, st.owed)
		}
	}
}
