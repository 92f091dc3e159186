// Package httpclient builds the harness's HTTP clients: keep-alive pools
// bounded by the concurrency that uses them, redirects never followed.
package httpclient

import (
	"net"
	"net/http"
	"time"
)

// Options shape a client.
type Options struct {
	// Conns is the most requests the client makes at once to one host: it
	// bounds the connections per host, and that many stay open idle for
	// reuse, so that no request closes a connection another will dial
	// again (0: 16).
	Conns int
	// Timeout bounds a whole call, from dialing to the end of the answer's
	// body (0: none).
	Timeout time.Duration
	// DialTimeout bounds connecting (0: Timeout, else 30 s).
	DialTimeout time.Duration
	// NoProxy ignores HTTP_PROXY and friends (the registry calls callbacks
	// directly, as ORCID does).
	NoProxy bool
}

// New returns a client with a keep-alive pool of o.Conns connections per
// host; requests over that wait for a connection instead of dialing more.
// HTTP/1.1 only (a custom dialer keeps HTTP/2 off), no compression asked.
func New(o Options) *http.Client {
	if o.Conns <= 0 {
		o.Conns = 16
	}
	dial := o.DialTimeout
	if dial <= 0 {
		dial = o.Timeout
	}
	if dial <= 0 {
		dial = 30 * time.Second
	}
	proxy := http.ProxyFromEnvironment
	if o.NoProxy {
		proxy = nil
	}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               proxy,
			DialContext:         (&net.Dialer{Timeout: dial, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout: dial,
			MaxIdleConns:        2 * o.Conns,
			MaxIdleConnsPerHost: o.Conns,
			MaxConnsPerHost:     o.Conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		Timeout:       o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
