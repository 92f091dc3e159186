package loadgen

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/internal/httpclient"
	"github.com/hookcheck/hookcheck/report"
)

// countingServer answers 204 after delay and counts what the generator
// did to it: connections opened, requests, most requests at once.
type countingServer struct {
	*httptest.Server
	conns, requests, busy, peak atomic.Int64
}

func newCountingServer(t *testing.T, delay time.Duration) *countingServer {
	cs := &countingServer{}
	cs.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cs.busy.Add(1)
		defer cs.busy.Add(-1)
		for p := cs.peak.Load(); n > p && !cs.peak.CompareAndSwap(p, n); p = cs.peak.Load() {
		}
		cs.requests.Add(1)
		time.Sleep(delay)
		w.WriteHeader(http.StatusNoContent)
	}))
	cs.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			cs.conns.Add(1)
		}
	}
	cs.Start()
	t.Cleanup(cs.Close)
	return cs
}

func postTo(url string) vegeta.Targeter {
	return func(t *vegeta.Target) error {
		*t = vegeta.Target{Method: http.MethodPost, URL: url}
		return nil
	}
}

func TestPacedAttackIsBounded(t *testing.T) {
	tests := []struct {
		name    string
		rate    float64
		workers int
		delay   time.Duration // the target's latency
		all     bool          // every planned send is made
	}{
		{"within capacity", 200, 8, 0, true},
		// 4 workers × 1 s / 50 ms ≈ 80 sends can be made of 400 planned
		{"overloaded by a slow target", 400, 4, 50 * time.Millisecond, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCountingServer(t, tt.delay)
			p := Pacing{Shape: "constant", Rate: tt.rate, Duration: time.Second}
			client := httpclient.New(httpclient.Options{Conns: tt.workers, Timeout: 5 * time.Second})
			defer client.CloseIdleConnections()
			a := pacedAttack{name: "test", targeter: postTo(srv.URL), plan: p.Plan(), end: p.end(), workers: tt.workers, client: client}
			s := &report.Summary{}
			if _, err := a.run(context.Background(), s); err != nil {
				t.Fatal(err)
			}
			if got := srv.peak.Load(); got > int64(tt.workers) {
				t.Errorf("%d requests at once, want at most %d workers", got, tt.workers)
			}
			if got := srv.conns.Load(); got > int64(tt.workers) {
				t.Errorf("%d connections opened, want at most %d (one per worker, reused)", got, tt.workers)
			}
			if s.Sends.Sent != uint64(srv.requests.Load()) || s.Sends.Sent+s.Sends.Dropped != s.Sends.Planned {
				t.Errorf("sent %d + dropped %d of %d planned; the server saw %d", s.Sends.Sent, s.Sends.Dropped, s.Sends.Planned, srv.requests.Load())
			}
			if tt.all && s.Sends.Dropped != 0 {
				t.Errorf("%d of %d sends dropped within capacity", s.Sends.Dropped, s.Sends.Planned)
			}
			if !tt.all {
				// each worker waits delay per send: no more than this fit
				most := uint64(tt.workers) * (uint64(a.end/tt.delay) + 1)
				if s.Sends.Sent > most || s.Sends.Dropped == 0 {
					t.Errorf("sent %d (at most %d fit), dropped %d: the backlog must be dropped at the end", s.Sends.Sent, most, s.Sends.Dropped)
				}
				// the attack ends at its end, plus the requests in flight
				if took, limit := s.Ended.Sub(s.Started), a.end+tt.delay+500*time.Millisecond; took > limit {
					t.Errorf("attack took %s, want at most %s", took, limit)
				}
			}
		})
	}
}

func TestPacedAttackReusesConnectionsAcrossAttacks(t *testing.T) {
	srv := newCountingServer(t, 0)
	client := httpclient.New(httpclient.Options{Conns: 4, Timeout: 5 * time.Second})
	defer client.CloseIdleConnections()
	p := Pacing{Shape: "constant", Rate: 500, Duration: 200 * time.Millisecond}
	for range 3 {
		a := pacedAttack{name: "test", targeter: postTo(srv.URL), plan: p.Plan(), end: p.end(), workers: 4, client: client}
		if _, err := a.run(context.Background(), &report.Summary{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.conns.Load(); n > 4 {
		t.Errorf("three attacks of 4 workers opened %d connections, want at most 4", n)
	}
}

func TestPacedAttackStops(t *testing.T) {
	srv := newCountingServer(t, 0)
	client := httpclient.New(httpclient.Options{Conns: 4, Timeout: 5 * time.Second})
	defer client.CloseIdleConnections()
	p := Pacing{Shape: "constant", Rate: 100, Duration: time.Minute}
	broken := errors.New("no more targets to build")
	var n atomic.Int64
	tests := []struct {
		name     string
		targeter vegeta.Targeter
		cancel   bool
		wantErr  error
	}{
		{"cancelled", postTo(srv.URL), true, nil},
		{"targeter fails", func(t *vegeta.Target) error {
			if n.Add(1) > 10 {
				return broken
			}
			return postTo(srv.URL)(t)
		}, false, broken},
		{"targets run out", func(t *vegeta.Target) error {
			if n.Add(1) > 10 {
				return vegeta.ErrNoTargets
			}
			return postTo(srv.URL)(t)
		}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n.Store(0)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				time.AfterFunc(100*time.Millisecond, cancel)
			}
			a := pacedAttack{name: "test", targeter: tt.targeter, plan: p.Plan(), end: p.end(), workers: 4, client: client}
			s := &report.Summary{}
			_, err := a.run(ctx, s)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if took := s.Ended.Sub(s.Started); took > 10*time.Second {
				t.Errorf("a stopped one-minute attack took %s", took)
			}
			if s.Sends.Dropped == 0 || s.Sends.Sent == 0 {
				t.Errorf("sent %d, dropped %d of %d", s.Sends.Sent, s.Sends.Dropped, s.Sends.Planned)
			}
		})
	}
}

func TestInitialWorkers(t *testing.T) {
	tests := []struct {
		p    Pacing
		want int
	}{
		{Pacing{Shape: "constant", Rate: 100}, MinWorkers},
		{Pacing{Shape: "constant", Rate: 5_000}, 250},
		{Pacing{Shape: "sine", Rate: 5_000, Amp: 1_000}, 300},
		{Pacing{Shape: "constant", Rate: 1_000_000}, DefaultWorkers},
	}
	for _, tt := range tests {
		if got := tt.p.InitialWorkers(DefaultWorkers); got != tt.want {
			t.Errorf("%+v: %d workers, want %d", tt.p, got, tt.want)
		}
	}
}

// A slow target at a rate its first workers cannot keep: the pool grows,
// one worker per send that waited, to its most and no further.
func TestPoolGrowsToItsMost(t *testing.T) {
	srv := newCountingServer(t, 20*time.Millisecond)
	client := httpclient.New(httpclient.Options{Conns: 8, Timeout: 5 * time.Second})
	defer client.CloseIdleConnections()
	p := Pacing{Shape: "constant", Rate: 400, Duration: 500 * time.Millisecond}
	a := pacedAttack{name: "test", targeter: postTo(srv.URL), plan: p.Plan(), end: p.end(), workers: 8, initial: 2, client: client}
	s := &report.Summary{}
	if _, err := a.run(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	// 400/s × 20 ms needs 8 at once: 2 workers could not
	if got := srv.peak.Load(); got <= 2 || got > 8 {
		t.Errorf("%d requests at once, want more than the 2 it started with and at most 8", got)
	}
	if s.Sends.PeakInFlight > 8 || s.Sends.Waited == 0 {
		t.Errorf("peak in flight %d, waited %d", s.Sends.PeakInFlight, s.Sends.Waited)
	}
}
