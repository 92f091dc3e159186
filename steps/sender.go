package steps

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// sender calls a receiver as the registry does (fact sheet §3.2): HTTP/1.1,
// no redirects followed, one timeout for connect and the whole request.
type sender struct {
	http    *http.Client
	timeout time.Duration
}

func newSender(timeout time.Duration) *sender {
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: timeout}).DialContext,
		TLSHandshakeTimeout: timeout,
		MaxIdleConnsPerHost: 64,
		// HTTP/1.1 only, as ORCID forces it.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	return &sender{timeout: timeout, http: &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// delivery is one call on the receiver and what came of it.
type delivery struct {
	method, url string
	bodySent    string
	status      int // 0: no HTTP answer
	location    string
	body        string // the start of the answer's body
	latency     time.Duration
	err         error
	timedOut    bool
}

// ok reports whether the receiver answered 2xx.
func (d delivery) ok() bool { return d.status >= 200 && d.status <= 299 }

// send makes one call with body (empty: no body, "Content-Length: 0" on
// POST and PUT) and times it until the answer's body is read.
func (s *sender) send(ctx context.Context, method, u, body string) delivery {
	d := delivery{method: method, url: u, bodySent: body}
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		d.err = fmt.Errorf("request: %w", err)
		return d
	}
	req.Header.Set("User-Agent", "hookcheck/"+Version+" (ORCID webhook sender)")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := s.http.Do(req)
	if err != nil {
		d.latency, d.err = time.Since(start), err
		d.timedOut = isTimeout(err)
		return d
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, rerr := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	d.latency = time.Since(start)
	d.status, d.location, d.body = resp.StatusCode, resp.Header.Get("Location"), snippet(b)
	if rerr != nil && isTimeout(rerr) {
		// The headers came, the body did not: the registry's timeout
		// covers the whole call.
		d.err, d.timedOut = rerr, true
	}
	return d
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// snippet is the start of a body for messages.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 120 {
		s = s[:120]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// describe says what the call saw: status, latency, Location and body.
func (d delivery) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", d.method, d.url)
	if d.bodySent != "" {
		fmt.Fprintf(&b, " (body %s)", d.bodySent)
	}
	switch {
	case d.timedOut && d.status == 0:
		fmt.Fprintf(&b, " → no answer within %s", d.latency.Round(time.Millisecond))
		return b.String()
	case d.status == 0:
		fmt.Fprintf(&b, " → no HTTP answer after %s: %v", d.latency.Round(time.Millisecond), d.err)
		return b.String()
	}
	fmt.Fprintf(&b, " → %d in %s", d.status, d.latency.Round(time.Millisecond))
	if d.location != "" {
		fmt.Fprintf(&b, ", Location %q", d.location)
	}
	if d.body != "" {
		fmt.Fprintf(&b, ", body %q", d.body)
	}
	if d.timedOut {
		fmt.Fprintf(&b, " (the body did not finish within the timeout)")
	}
	return b.String()
}

// fault says why a call that is not a 2xx is a failed delivery for the
// registry, naming the defect.
func (d delivery) fault(timeout time.Duration) string {
	switch {
	case d.timedOut:
		return fmt.Sprintf("no complete answer within the registry's callback timeout (%s): the registry gives up and counts a failed delivery", timeout)
	case d.status == 0:
		return "no HTTP answer: a failed delivery"
	case d.status >= 300 && d.status <= 399:
		return fmt.Sprintf("a redirect (%d): the registry does not follow redirects, so a 3xx is a failed delivery; point the callback at the final URL", d.status)
	case d.status >= 500:
		return fmt.Sprintf("a server error (%d): a failed delivery, retried", d.status)
	case !d.ok():
		return fmt.Sprintf("%d is not a 2xx: a failed delivery, retried", d.status)
	}
	return ""
}
