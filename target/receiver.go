package target

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
)

// DefaultCallbackTimeout is the real registry's timeout for one callback
// (connect and whole request; docs/orcid-behaviour.md §8).
const DefaultCallbackTimeout = 20 * time.Second

// OrcidPlaceholder is replaced by the record's iD in a callback template.
const OrcidPlaceholder = "{orcid}"

// CallbackURL is the callback URL of record id for the receiver URL u: u
// with "{orcid}" replaced by id when it has the placeholder, else u with id
// appended to its path as a segment (before any query).
func CallbackURL(u, id string) string {
	if strings.Contains(u, OrcidPlaceholder) {
		return strings.ReplaceAll(u, OrcidPlaceholder, id)
	}
	base, query, hasQuery := strings.Cut(u, "?")
	out := strings.TrimRight(base, "/") + "/" + id
	if hasQuery {
		out += "?" + query
	}
	return out
}

// CheckReceiverURL checks that u is usable as a receiver URL (see
// CallbackURL): an absolute http(s) URL with a host.
func CheckReceiverURL(u string) error {
	if strings.TrimSpace(u) == "" {
		return fmt.Errorf("no receiver URL")
	}
	sample := orcid.FromNumber(0)
	p, err := url.Parse(CallbackURL(u, sample))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fmt.Errorf("receiver URL %q: not an absolute http(s) URL such as https://member.example/orcid/{orcid}/updated", u)
	}
	if strings.Contains(p.Host, sample) {
		return fmt.Errorf("receiver URL %q: %s may only stand in the path or query", u, OrcidPlaceholder)
	}
	return nil
}

// ProbeReceiver checks within timeout that the receiver's host accepts a TCP
// connection; it sends nothing, so it is not a delivery. A failure wraps
// ErrUnreachable.
func ProbeReceiver(ctx context.Context, u string, timeout time.Duration) error {
	p, err := url.Parse(CallbackURL(u, orcid.FromNumber(0)))
	if err != nil {
		return unreachableReceiver{what: fmt.Sprintf("URL %q", u), err: err}
	}
	host := p.Host
	if p.Port() == "" {
		port := "80"
		if p.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(p.Hostname(), port)
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return unreachableReceiver{what: host, err: err}
	}
	_ = conn.Close()
	return nil
}

// unreachableReceiver is a failed probe; it wraps ErrUnreachable and the
// dial error.
type unreachableReceiver struct {
	what string
	err  error
}

func (e unreachableReceiver) Error() string {
	return "receiver unreachable: " + e.what + ": " + e.err.Error()
}
func (e unreachableReceiver) Unwrap() []error { return []error{ErrUnreachable, e.err} }

// NewRecord returns a record for a scenario: one created in reg through its
// control API, or, when reg is nil, a fresh valid iD.
func NewRecord(ctx context.Context, reg *Target) (string, error) {
	if reg == nil || reg.Trigger == nil {
		return FreshORCID(), nil
	}
	id, _, err := reg.Trigger.Lease(ctx)
	if err != nil {
		return "", fmt.Errorf("creating a record in the reference registry: %w", err)
	}
	return id, nil
}

// SampleORCID is the iD examples of callback URLs show: in the 0009- block,
// which no registry hands out.
var SampleORCID = orcid.FromNumber(900_000_000_000)

// FreshORCID is a valid iD in ORCID's 0009- block, which the reference
// registry never hands out: no registry holds it.
func FreshORCID() string {
	return orcid.FromNumber(900_000_000_000 + rand.Uint64N(100_000_000_000))
}
