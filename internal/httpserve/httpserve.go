// Package httpserve serves a handler on a real listener with the timeouts
// the registry and the receivers share.
package httpserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Server is a handler served on a listener.
type Server struct {
	srv    *http.Server
	url    string
	served io.Closer // closed after serving stops
	grace  time.Duration
	done   chan error
	once   sync.Once
	err    error

	mu    sync.Mutex
	fresh map[*conn]struct{} // accepted, no request begun yet
}

// Timeouts bound how long a client may take; they keep slow or idle
// clients from holding connections and goroutines.
type Timeouts struct {
	ReadHeader time.Duration // request line and headers (0: 10 s)
	Read       time.Duration // the whole request, body included (0: none)
	Write      time.Duration // until the answer is written (0: none, for handlers that answer late on purpose)
	Idle       time.Duration // a keep-alive connection between requests (0: 2 min)
	Grace      time.Duration // how long Close lets requests in flight finish (0: 5 s)
}

// MaxHeaderBytes bounds a request's header; larger ones get 431.
const MaxHeaderBytes = 64 << 10

// Listen serves h on addr ("127.0.0.1:0" picks a port); name prefixes
// errors. served is what h serves: closed by Close once serving stopped, or
// at once when Listen fails.
func Listen(ctx context.Context, name, addr string, h http.Handler, t Timeouts, served io.Closer) (*Server, error) {
	if t.ReadHeader <= 0 {
		t.ReadHeader = 10 * time.Second
	}
	if t.Idle <= 0 {
		t.Idle = 2 * time.Minute
	}
	if t.Grace <= 0 {
		t.Grace = 5 * time.Second
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("%s: listen on %s: %w", name, addr, err), served.Close())
	}
	s := &Server{
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: t.ReadHeader,
			ReadTimeout:       t.Read,
			WriteTimeout:      t.Write,
			IdleTimeout:       t.Idle,
			MaxHeaderBytes:    MaxHeaderBytes,
		},
		url:    "http://" + ln.Addr().String(),
		served: served,
		grace:  t.Grace,
		done:   make(chan error, 1),
		fresh:  map[*conn]struct{}{},
	}
	s.srv.ConnState = s.track
	s.srv.RegisterOnShutdown(s.closeFresh)
	go func() { s.done <- s.srv.Serve(listener{ln, s}) }()
	return s, nil
}

// URL is the base URL served, e.g. http://127.0.0.1:8080.
func (s *Server) URL() string { return s.url }

// OnShutdown registers f to run when Close begins, e.g. to end answers
// that would otherwise hold the shutdown.
func (s *Server) OnShutdown(f func()) { s.srv.RegisterOnShutdown(f) }

// Close stops accepting, closes idle connections and those that have not
// begun a request, lets requests in flight finish for up to the grace,
// closes what is left, then closes what was served; later calls return the
// first call's result.
func (s *Server) Close() error {
	s.once.Do(func() { s.err = errors.Join(s.shutdown(), s.served.Close()) })
	return s.err
}

// conn is an accepted connection that knows whether it has begun a
// request; it is a *net.TCPConn to the server (CloseWrite, SetLinger…).
type conn struct {
	*net.TCPConn
	fresh atomic.Bool
}

// listener hands out conns, each kept in Server.fresh until its first
// request begins: clients dial spare keep-alive connections, and
// http.Server.Shutdown would wait five seconds for each before it counts
// them idle.
type listener struct {
	net.Listener
	s *Server
}

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	tc, ok := c.(*net.TCPConn)
	if err != nil || !ok {
		return c, err
	}
	w := &conn{TCPConn: tc}
	w.fresh.Store(true)
	l.s.mu.Lock()
	l.s.fresh[w] = struct{}{}
	l.s.mu.Unlock()
	return w, nil
}

// track forgets a connection once it begins a request (or closes): once
// per connection, not per request.
func (s *Server) track(c net.Conn, st http.ConnState) {
	w, ok := c.(*conn)
	if st == http.StateNew || !ok || !w.fresh.CompareAndSwap(true, false) {
		return
	}
	s.mu.Lock()
	delete(s.fresh, w)
	s.mu.Unlock()
}

// closeFresh closes the connections that have not begun a request; it
// runs when the shutdown begins, after the listener closed.
func (s *Server) closeFresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.fresh {
		c.Close()
		delete(s.fresh, c)
	}
}

func (s *Server) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.grace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	if serr := <-s.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
