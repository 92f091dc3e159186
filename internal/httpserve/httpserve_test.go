package httpserve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// short are the timeouts under test, scaled down from the real ones.
var short = Timeouts{ReadHeader: 300 * time.Millisecond, Read: 600 * time.Millisecond, Idle: 400 * time.Millisecond}

func serve(t *testing.T) *Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return // the client was too slow: the server cut the body
		}
		w.WriteHeader(http.StatusNoContent)
	})
	s, err := Listen(context.Background(), "test", "127.0.0.1:0", h, short, io.NopCloser(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func dial(t *testing.T, s *Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(s.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedWithin reads from c until the server closes it and returns what
// the server sent and when it closed, failing after limit.
func closedWithin(t *testing.T, c net.Conn, limit time.Duration) (string, time.Duration) {
	t.Helper()
	began := time.Now()
	_ = c.SetReadDeadline(began.Add(limit))
	b, err := io.ReadAll(c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server kept the connection open for %s (sent %q)", limit, b)
	}
	return string(b), time.Since(began)
}

// trickle writes one piece every step until stop or the write fails.
func trickle(c net.Conn, piece string, step time.Duration, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(step):
		}
		if _, err := io.WriteString(c, piece); err != nil {
			return
		}
	}
}

func TestSlowClientsAreCut(t *testing.T) {
	tests := []struct {
		name  string
		start string        // written at once
		piece string        // then trickled every 50 ms ("" for none)
		bound time.Duration // the timeout that must cut the connection
	}{
		{"headers trickled (slowloris)", "POST / HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n", short.ReadHeader},
		{"body trickled", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", "a", short.Read},
		{"idle after a request", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", "", short.Idle},
		{"nothing sent", "", "", short.ReadHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := dial(t, serve(t))
			stop := make(chan struct{})
			defer close(stop)
			if _, err := io.WriteString(c, tt.start); err != nil {
				t.Fatal(err)
			}
			if tt.piece != "" {
				go trickle(c, tt.piece, 50*time.Millisecond, stop)
			}
			// Cut at the timeout: not before it (minus scheduling slack)
			// and well before a second one.
			sent, took := closedWithin(t, c, tt.bound+time.Second)
			if took < tt.bound-50*time.Millisecond {
				t.Errorf("closed after %s, before the %s timeout (sent %q)", took, tt.bound, sent)
			}
			if tt.name == "idle after a request" && !strings.HasPrefix(sent, "HTTP/1.1 204") {
				t.Errorf("the request before idling got %q, want a 204", sent)
			}
		})
	}
}

func TestHeaderOverLimitIs431(t *testing.T) {
	c := dial(t, serve(t))
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", MaxHeaderBytes+4096))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status %d, want 431", resp.StatusCode)
	}
}

// TestSlowClientsDoNotBlockOthers holds 200 slowloris connections open and
// checks that a normal request is answered while they still hang (before
// the header timeout cuts them).
func TestSlowClientsDoNotBlockOthers(t *testing.T) {
	s := serve(t)
	stop := make(chan struct{})
	defer close(stop)
	for range 200 {
		c := dial(t, s)
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n")
		go trickle(c, "X-Slow: 1\r\n", 20*time.Millisecond, stop)
	}
	client := &http.Client{Timeout: short.ReadHeader}
	resp, err := client.Post(s.URL()+"/", "", nil)
	if err != nil {
		t.Fatalf("a normal request among 200 slow clients: %v (want an answer before the slow ones are cut at %s)", err, short.ReadHeader)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("status %d, want 204", resp.StatusCode)
	}
}

func TestCloseWaitsForRequestsNotForSpareConnections(t *testing.T) {
	const grace = 3 * time.Second
	tests := []struct {
		name    string
		request bool // the connection carries a request when Close begins
	}{
		// a spare keep-alive connection, dialed and never used:
		// http.Server.Shutdown alone waits 5 s before it counts it idle
		{"spare connection", false},
		{"request in flight", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan struct{})
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				close(started)
				time.Sleep(200 * time.Millisecond)
				w.WriteHeader(http.StatusNoContent)
			})
			s, err := Listen(context.Background(), "test", "127.0.0.1:0", h, Timeouts{Grace: grace}, io.NopCloser(nil))
			if err != nil {
				t.Fatal(err)
			}
			c := dial(t, s)
			answer := make(chan string, 1)
			if tt.request {
				io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
				go func() { b, _ := io.ReadAll(c); answer <- string(b) }()
				<-started
			} else {
				time.Sleep(50 * time.Millisecond) // accepted, nothing sent
			}
			began := time.Now()
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if took := time.Since(began); took > grace/2 {
				t.Errorf("Close took %s, want well under the %s grace", took, grace)
			}
			if tt.request {
				if got := <-answer; !strings.HasPrefix(got, "HTTP/1.1 204") {
					t.Errorf("the request in flight got %q, want its 204", got)
				}
			}
		})
	}
}
