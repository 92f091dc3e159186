package target

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

	"github.com/hookcheck/hookcheck/internal/version"
)

// Sender calls a receiver as the registry does (docs/orcid-behaviour.md §8): HTTP/1.1,
// no redirects followed, one timeout for connect and the whole request.
type Sender struct {
	http    *http.Client
	timeout time.Duration
}

// NewSender returns a sender whose calls time out after timeout.
func NewSender(timeout time.Duration) *Sender {
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: timeout}).DialContext,
		TLSHandshakeTimeout: timeout,
		MaxIdleConnsPerHost: 64,
		// HTTP/1.1 only, as ORCID forces it.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	return &Sender{timeout: timeout, http: &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Delivery is one call on the receiver and what came of it.
type Delivery struct {
	Method, URL string
	BodySent    string
	Sent        time.Time // when the call left
	Status      int       // 0: no HTTP answer
	Location    string
	Body        string // the start of the answer's body
	Latency     time.Duration
	Err         error
	TimedOut    bool
}

// OK reports whether the receiver answered 2xx.
func (d Delivery) OK() bool { return d.Status >= 200 && d.Status <= 299 }

// Send makes one call with body (empty: no body, "Content-Length: 0" on
// POST and PUT) and times it until the answer's body is read.
func (s *Sender) Send(ctx context.Context, method, u, body string) Delivery {
	d := Delivery{Method: method, URL: u, BodySent: body}
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		d.Err = fmt.Errorf("request: %w", err)
		return d
	}
	req.Header.Set("User-Agent", "hookcheck/"+version.Version+" (ORCID webhook sender)")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	d.Sent = start
	resp, err := s.http.Do(req)
	if err != nil {
		d.Latency, d.Err = time.Since(start), err
		d.TimedOut = isTimeout(err)
		return d
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, rerr := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	d.Latency = time.Since(start)
	d.Status, d.Location, d.Body = resp.StatusCode, resp.Header.Get("Location"), snippet(b)
	if rerr != nil && isTimeout(rerr) {
		// The headers came, the body did not: the registry's timeout
		// covers the whole call.
		d.Err, d.TimedOut = rerr, true
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

// Describe says what the call saw: status, latency, Location and body.
func (d Delivery) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", d.Method, d.URL)
	if d.BodySent != "" {
		fmt.Fprintf(&b, " (body %s)", d.BodySent)
	}
	switch {
	case d.TimedOut && d.Status == 0:
		fmt.Fprintf(&b, " → no answer within %s", d.Latency.Round(time.Millisecond))
		return b.String()
	case d.Status == 0:
		fmt.Fprintf(&b, " → no HTTP answer after %s: %v", d.Latency.Round(time.Millisecond), d.Err)
		return b.String()
	}
	fmt.Fprintf(&b, " → %d in %s", d.Status, d.Latency.Round(time.Millisecond))
	if d.Location != "" {
		fmt.Fprintf(&b, ", Location %q", d.Location)
	}
	if d.Body != "" {
		fmt.Fprintf(&b, ", body %q", d.Body)
	}
	if d.TimedOut {
		fmt.Fprintf(&b, " (the body did not finish within the timeout)")
	}
	return b.String()
}

// Fault says why a call that is not a 2xx is a failed delivery for the
// registry, naming the defect.
func (d Delivery) Fault(timeout time.Duration) string {
	switch {
	case d.TimedOut:
		return fmt.Sprintf("no complete answer within the registry's callback timeout (%s): the registry gives up and counts a failed delivery", timeout)
	case d.Status == 0:
		return "no HTTP answer: a failed delivery"
	case d.Status >= 300 && d.Status <= 399:
		return fmt.Sprintf("a redirect (%d): the registry does not follow redirects, so a 3xx is a failed delivery; point the callback at the final URL", d.Status)
	case d.Status >= 500:
		return fmt.Sprintf("a server error (%d): a failed delivery, retried", d.Status)
	case !d.OK():
		return fmt.Sprintf("%d is not a 2xx: a failed delivery, retried", d.Status)
	}
	return ""
}
