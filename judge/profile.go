package judge

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// Profile is what a webhook sender promises: what a delivery looks like,
// when it is retried, how deliveries are batched and how events are told
// apart. The judge checks observations against one; built-ins cover ORCID's
// docs, ORCID's code and Standard Webhooks, and files describe any sender.
type Profile struct {
	Name        string
	Description string
	Source      string // where the expectations come from
	Delivery    Delivery
	Retry       Schedule
	// Window is the batching window: at most one delivery per callback per
	// window. 0 means the sender does not batch.
	Window time.Duration
	// FirstNotification is how soon after a change its first notification
	// is expected (ORCID's code: about a minute); 0 means within a window.
	FirstNotification time.Duration
	EventKey          EventKey
	Signature         Signature
	Tolerance         Tolerance
	// SkipClientOn429 says a 429 makes the sender skip the client's other
	// hooks for the rest of its run (ORCID's code).
	SkipClientOn429 bool
	// Args are the override flags that made p from the profile BaseName
	// names, as ApplyArgs reads them back (none: p is that profile).
	Args []string
}

// Delivery is what one call of the sender looks like.
type Delivery struct {
	Method  string   // POST
	Body    BodyKind // empty, any or json
	Headers []string // headers every call must carry
	// Success are the answers the sender counts as delivered (default 2xx).
	Success Codes
	// Final are failures after which the sender may stop retrying (e.g.
	// 410 Gone); every other failure must be retried.
	Final Codes
	// Timeout is the sender's per-call timeout: an answer given later is a
	// failure to the sender, whatever its status. ConnectTimeout, when the
	// sender has its own, bounds the connection before it. 0 means unknown.
	Timeout        time.Duration
	ConnectTimeout time.Duration
}

// BodyKind is what a delivery's body must be.
type BodyKind string

// The body kinds a profile can ask for.
const (
	BodyEmpty BodyKind = "empty" // no body and Content-Length: 0 (ORCID)
	BodyAny   BodyKind = "any"
	BodyJSON  BodyKind = "json" // a JSON document
)

// Codes is a set of HTTP status codes as inclusive ranges.
type Codes [][2]int

// Has reports whether status is in c.
func (c Codes) Has(status int) bool {
	for _, r := range c {
		if status >= r[0] && status <= r[1] {
			return true
		}
	}
	return false
}

// String writes c as in profile files, e.g. "[2xx 410]".
func (c Codes) String() string {
	parts := make([]string, len(c))
	for i, r := range c {
		switch {
		case r[0] == r[1]:
			parts[i] = fmt.Sprint(r[0])
		case r[0]%100 == 0 && r[1] == r[0]+99:
			parts[i] = fmt.Sprintf("%dxx", r[0]/100)
		default:
			parts[i] = fmt.Sprintf("%d-%d", r[0], r[1])
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// Success2xx is every 2xx: what ORCID and Standard Webhooks count as delivered.
var Success2xx = Codes{{200, 299}}

// Schedule is a declared retry schedule: the policy (kind, base, ratio or
// list of delays, max attempts) and what real senders add to it.
type Schedule struct {
	timing.Retry
	// Any means the profile requires retries but no schedule: the fit is
	// reported, gaps are not judged (Standard Webhooks recommends backoff
	// with jitter, and prescribes none).
	Any bool
	// Jitter is the random delay a sender may add to each retry.
	Jitter Jitter
	// Lag is the constant delay a queue may add to each retry.
	Lag time.Duration
	// FromEnd counts each delay from the end of the failed call (ORCID's
	// code) instead of its start.
	FromEnd bool
}

// Jitter is a sender's randomisation of its retry delays: up to Abs added
// to each, or each scaled by a factor in [1−Share, 1+Share] (a backoff
// library's randomisation factor).
type Jitter struct {
	Abs   time.Duration
	Share float64
}

// IsZero reports whether no jitter is allowed.
func (j Jitter) IsZero() bool { return j.Abs == 0 && j.Share == 0 }

// String writes j as on the command line: "5s", "50%" or "none".
func (j Jitter) String() string {
	switch {
	case j.Share > 0:
		return formatFloat(j.Share*100) + "%"
	case j.Abs > 0:
		return j.Abs.String()
	}
	return "none"
}

// ParseJitter reads "5s" (up to 5 s added) or "50%" (±50 % of each delay).
func ParseJitter(s string) (Jitter, error) {
	s = strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(s, "%"); ok {
		var v float64
		if _, err := fmt.Sscanf(p, "%g", &v); err != nil || v < 0 || v >= 100 {
			return Jitter{}, fmt.Errorf("jitter %q: a share must be 0%% to under 100%%", s)
		}
		return Jitter{Share: v / 100}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return Jitter{}, fmt.Errorf("jitter %q: want a duration (up to that much added, e.g. 5s) or a share (each delay ± that much, e.g. 50%%)", s)
	}
	return Jitter{Abs: d}, nil
}

// String describes the schedule, e.g. "doubling from 5m0s, 25 attempts".
func (s Schedule) String() string {
	if s.Any {
		return "any schedule"
	}
	out := s.Retry.String()
	if s.FromEnd {
		out += " after the end of the failed call"
	}
	if !s.Jitter.IsZero() {
		out += ", jitter " + s.Jitter.String()
	}
	if s.Lag > 0 {
		out += ", lag up to " + s.Lag.String()
	}
	return out
}

// Expected is the range a gap after the n-th consecutive failure may fall
// in before tolerance: the delay, shrunk or grown by the jitter, plus the
// lag.
func (s Schedule) Expected(n int) (lo, hi time.Duration) {
	d := s.Delay(n)
	lo = time.Duration(float64(d) * (1 - s.Jitter.Share))
	hi = time.Duration(float64(d)*(1+s.Jitter.Share)) + s.Jitter.Abs + s.Lag
	return lo, hi
}

// EventKey says how the calls of one event are told from another's on the
// same callback: a header (webhook-id), a field of the JSON body, or the
// body's digest. The zero value tells events apart by callback alone.
type EventKey struct {
	From string // "", "header", "json" or "body"
	Name string // the header or the JSON field
}

// The sources an event key can come from.
const (
	KeyHeader = "header"
	KeyJSON   = "json"
	KeyBody   = "body"
)

// IsZero reports whether events are told apart by callback alone.
func (k EventKey) IsZero() bool { return k.From == "" }

// String writes k as on the command line: "header:webhook-id", "json:id",
// "body" or "none".
func (k EventKey) String() string {
	switch k.From {
	case "":
		return "none"
	case KeyBody:
		return KeyBody
	}
	return k.From + ":" + k.Name
}

// ParseEventKey reads "header:NAME", "json:FIELD", "body" or "none".
func ParseEventKey(s string) (EventKey, error) {
	from, name, _ := strings.Cut(strings.TrimSpace(s), ":")
	switch from = strings.ToLower(from); {
	case from == "none" && name == "":
		return EventKey{}, nil
	case from == KeyBody && name == "":
		return EventKey{From: KeyBody}, nil
	case (from == KeyHeader || from == KeyJSON) && strings.TrimSpace(name) != "":
		return EventKey{From: from, Name: strings.TrimSpace(name)}, nil
	}
	return EventKey{}, fmt.Errorf("event key %q: want header:NAME, json:FIELD, body or none", s)
}

// Signature is how deliveries are signed: a scheme and how far a signed
// timestamp may be from arrival.
type Signature struct {
	Scheme    string // "" (unsigned) or SchemeStandardWebhooks
	Tolerance time.Duration
}

// SchemeStandardWebhooks signs by the Standard Webhooks specification.
const SchemeStandardWebhooks = "standard-webhooks"

// BaseName is the name of the profile p was made from by overrides
// ("orcid" of "orcid with --retry-base 500ms").
func (p Profile) BaseName() string {
	n, _, _ := strings.Cut(p.Name, " with ")
	return n
}

// Timing is p's durations in the form the registry and the steps use.
func (p Profile) Timing() timing.Timing {
	r := p.Retry.Retry
	r.Delays = slices.Clone(r.Delays)
	return timing.Timing{
		Window:          p.Window,
		Retry:           r,
		CallbackTimeout: p.Delivery.Timeout,
		Tolerance:       p.Tolerance.For(max(p.Window, 0)),
	}
}

// Validate reports a profile that cannot be judged against, naming the field.
func (p Profile) Validate() error {
	switch {
	case p.Window < 0:
		return fmt.Errorf("window must be ≥ 0 (0: no batching), got %s", p.Window)
	case p.Delivery.Timeout < 0 || p.Delivery.ConnectTimeout < 0:
		return fmt.Errorf("delivery.timeout must be ≥ 0, got %s", p.Delivery.Timeout)
	case p.Tolerance.Abs < 0:
		return fmt.Errorf("tolerance must be ≥ 0, got %s", p.Tolerance.Abs)
	case p.Window > 0 && p.Tolerance.For(p.Window) >= p.Window:
		return fmt.Errorf("tolerance (%s) must be less than the batch window (%s), or batching cannot be judged: set the tolerance", p.Tolerance.For(p.Window), p.Window)
	case p.Retry.Lag < 0 || p.Retry.Jitter.Abs < 0:
		return fmt.Errorf("retry.lag and retry.jitter must be ≥ 0")
	case len(p.Delivery.Success) == 0:
		return fmt.Errorf("delivery.success: no code counts as delivered")
	}
	switch p.Delivery.Body {
	case BodyEmpty, BodyAny, BodyJSON:
	default:
		return fmt.Errorf("delivery.body %q: want empty, any or json", p.Delivery.Body)
	}
	switch p.Signature.Scheme {
	case "", SchemeStandardWebhooks:
	default:
		return fmt.Errorf("signature.scheme %q: want %s or none", p.Signature.Scheme, SchemeStandardWebhooks)
	}
	if p.Retry.Any {
		if p.Retry.MaxAttempts < 0 {
			return fmt.Errorf("retry.max_attempts must be ≥ 0, got %d", p.Retry.MaxAttempts)
		}
		return nil
	}
	if err := p.Retry.Validate(); err != nil {
		return fmt.Errorf("retry: %w", err)
	}
	return nil
}
