package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

func TestFlood(t *testing.T) {
	good, err := receiver.Listen(context.Background(), "127.0.0.1:0", receiver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	// falls over: more than 4 calls at once get 503
	var busy atomic.Int32
	fragile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer busy.Add(-1)
		if busy.Add(1) > 4 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		time.Sleep(20 * time.Millisecond)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer fragile.Close()
	tests := []struct {
		name, template string
		ok             bool
	}{
		{"well-behaved receiver", good.URL() + "/orcid/{orcid}/updated", true},
		{"receiver that falls over", fragile.URL + "/{orcid}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			callbacks := make([]string, 100)
			for i := range callbacks {
				callbacks[i] = strings.ReplaceAll(tt.template, "{orcid}", orcid.FromNumber(uint64(9_000_000_000+i)))
			}
			s, _, err := Flood(context.Background(), FloodConfig{Target: tt.template, Callbacks: callbacks, Timeout: time.Second,
				Pacing: Pacing{Shape: "constant", Rate: 1000, Duration: time.Second}})
			if err != nil {
				t.Fatal(err)
			}
			checksOK, limitsOK := Judge(s, mustThresholds(t, "success>=99.9%", "p99<500ms"))
			if !checksOK || limitsOK != tt.ok {
				var b strings.Builder
				s.WriteText(&b)
				t.Fatalf("checks %v thresholds %v, want thresholds %v:\n%s", checksOK, limitsOK, tt.ok, b.String())
			}
			if s.Sends.Sent < 990 {
				t.Errorf("sent %d of %d", s.Sends.Sent, s.Sends.Planned)
			}
		})
	}
	if n := good.Receiver().Count(); n < 990 {
		t.Errorf("the good receiver saw %d calls", n)
	}
	for _, o := range good.Receiver().Observations()[:5] {
		if o.Method != "POST" || o.ContentLength != "0" || o.Record == "" {
			t.Errorf("flood call %+v is not an empty POST for a record", o)
		}
	}
}
