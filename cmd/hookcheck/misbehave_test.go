package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// rawServer listens on loopback and hands every accepted connection to
// handle; it returns the base URL. Connections are closed when the test ends.
func rawServer(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); handle(c) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String()
}

// httpServer serves h with net/http on loopback and returns the base URL.
func httpServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// sleepFor waits d or until the request goes away.
func sleepFor(r *http.Request, d time.Duration) {
	select {
	case <-time.After(d):
	case <-r.Context().Done():
	}
}

// TestConformanceMisbehavingTargets runs the suite against loopback servers
// that break HTTP or the API in various ways: each run must end quickly,
// with exit 3 (no usable HTTP answer) or 1 (HTTP, but not the API), a
// message naming what was wrong, and no secret in the output.
func TestConformanceMisbehavingTargets(t *testing.T) {
	t.Setenv("HOOKCHECK_CLIENT_ID", "")
	t.Setenv("HOOKCHECK_CLIENT_SECRET", "")
	const secret = "misbehave-secret-0123456789"
	const bound = 20 * time.Second
	html := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>Welcome to nginx!</body></html>")
	})
	tests := []struct {
		name  string
		start func(t *testing.T) string
		code  int
		msgs  []string // substrings stderr must contain
	}{
		{
			name: "hang",
			start: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
			},
			code: exitUnreachable,
			msgs: []string{"target unreachable", "no HTTP answer", "within 2s"},
		},
		{
			// Reads the request, answers bytes that are not HTTP.
			name: "garbage",
			start: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn) {
					_, _ = c.Read(make([]byte, 4096))
					_, _ = c.Write([]byte("\x00\x01\x02 not http at all\r\n\r\n"))
					time.Sleep(100 * time.Millisecond)
					c.Close()
				})
			},
			code: exitUnreachable,
			msgs: []string{"target unreachable", "not an HTTP answer", "malformed HTTP"},
		},
		{
			// Speaks first, like an SSH server: the banner may arrive
			// before or after the request is written.
			name: "banner",
			start: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn) {
					_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
					time.Sleep(100 * time.Millisecond)
					c.Close()
				})
			},
			code: exitUnreachable,
			msgs: []string{"target unreachable", "not an HTTP answer"},
		},
		{
			name: "close",
			start: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn) { c.Close() })
			},
			code: exitUnreachable,
			msgs: []string{"target unreachable", "closed the connection without an HTTP answer"},
		},
		{
			name:  "html",
			start: func(t *testing.T) string { return httpServer(t, html) },
			code:  exitFail,
			msgs:  []string{"does not conform", "/oauth/token", "answered 200", "Welcome to nginx", "not an OAuth"},
		},
		{
			name: "slow",
			start: func(t *testing.T) string {
				return httpServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					sleepFor(r, 10*time.Second)
					html(w, r)
				}))
			},
			code: exitUnreachable,
			msgs: []string{"target unreachable", "no HTTP answer", "within 2s"},
		},
		{
			// Answers the reachability probe, then never again.
			name: "slow after probe",
			start: func(t *testing.T) string {
				return httpServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method != http.MethodGet || (r.URL.Path != "/" && r.URL.Path != "/oauth/token") {
						sleepFor(r, 30*time.Second)
					}
					http.NotFound(w, r)
				}))
			},
			code: exitUnreachable,
			msgs: []string{"target unreachable", "/_hookcheck/info", "no HTTP answer", "within 2s"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := tt.start(t)
			ctx, cancel := context.WithTimeout(context.Background(), bound+5*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := run(ctx, []string{"conformance", "--target", url, "--client-id", "x", "--client-secret", secret,
				"--trigger", "control", "--connect-timeout", "2s", "--no-colors"}, &stdout, &stderr)
			took := time.Since(start)
			t.Logf("exit %d after %s; stderr: %s", code, took.Round(time.Millisecond), strings.TrimSpace(stderr.String()))
			if took > bound {
				t.Errorf("took %s, want under %s", took, bound)
			}
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, m := range tt.msgs {
				if !strings.Contains(stderr.String(), m) {
					t.Errorf("stderr does not mention %q:\n%s", m, stderr.String())
				}
			}
			if strings.Contains(stdout.String()+stderr.String(), secret) {
				t.Errorf("the client secret appears in the output")
			}
		})
	}
}

// TestConformanceTargetStopsAnswering runs the suite against a registry
// that answers the preflight and tokens but hangs every webhook PUT: each
// scenario that registers a hook fails within --request-timeout, naming the
// request that got no answer, and the run ends (exit 1) instead of hanging.
func TestConformanceTargetStopsAnswering(t *testing.T) {
	t.Parallel()
	const id, secret = "APP-HANGSONPUT00001", "hangs-on-put-secret-0123456789"
	timingFlags := []string{"--window", "200ms", "--retry-base", "200ms", "--max-attempts", "4", "--callback-timeout", "150ms"}
	reg := startRegistryProcess(t, append([]string{"--client-id", id, "--client-secret", secret}, timingFlags...)...)
	backend, err := url.Parse(reg)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(backend)
	target := httpServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			sleepFor(r, time.Minute)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	const requestTimeout = time.Second
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run(context.Background(), append([]string{"conformance", "--target", target, "--client-id", id, "--client-secret", secret,
		"--trigger", "control", "--tolerance", "100ms", "--request-timeout", requestTimeout.String(), "--format", "progress", "--no-colors"}, timingFlags...), &stdout, &stderr)
	took := time.Since(start)
	if code != exitFail {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if _, first, ok := strings.Cut(stdout.String(), "FAILED  "); ok {
		first, _, _ = strings.Cut(first, "\n")
		t.Logf("exit 1 after %s; first failure: %s", took.Round(time.Millisecond), first)
	}
	// Scenarios run 16 at once; each waits at most one request timeout per
	// hanging request (a few per scenario).
	if bound := 20 * requestTimeout; took > bound {
		t.Errorf("took %s, want under %s", took, bound)
	}
	for _, want := range []string{"PUT: target unreachable: no HTTP answer from " + target + "/", "within 1s", "FAILED  REG-01"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	if strings.Contains(stdout.String()+stderr.String(), secret) {
		t.Error("the client secret appears in the output")
	}
}
