package httpclient

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestConnectionsAreBoundedAndReused(t *testing.T) {
	tests := []struct {
		name           string
		conns, callers int
	}{
		{"more callers than connections", 2, 8},
		{"fewer callers than connections", 8, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opened atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				time.Sleep(10 * time.Millisecond)
				w.WriteHeader(http.StatusNoContent)
			}))
			srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
				if st == http.StateNew {
					opened.Add(1)
				}
			}
			srv.Start()
			defer srv.Close()
			c := New(Options{Conns: tt.conns, Timeout: 5 * time.Second})
			defer c.CloseIdleConnections()
			var wg sync.WaitGroup
			for range tt.callers {
				wg.Go(func() {
					for range 5 {
						resp, err := c.Post(srv.URL, "", nil)
						if err != nil {
							t.Error(err)
							return
						}
						resp.Body.Close()
					}
				})
			}
			wg.Wait()
			if n := opened.Load(); n > int64(min(tt.conns, tt.callers)) {
				t.Errorf("%d callers × 5 requests opened %d connections, want at most %d", tt.callers, n, min(tt.conns, tt.callers))
			}
		})
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	srv := httptest.NewServer(http.RedirectHandler("/elsewhere", http.StatusFound))
	defer srv.Close()
	resp, err := New(Options{}).Post(srv.URL, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("status %d, want the 302 itself", resp.StatusCode)
	}
}
