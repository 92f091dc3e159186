package target

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"syscall"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
)

// ErrUnreachable marks a target that could not be reached at all, or gave
// no usable HTTP answer (it hung, closed the connection or sent something
// that is not HTTP).
var ErrUnreachable = errors.New("target unreachable")

// DefaultRequestTimeout bounds an API request when Target.RequestTimeout
// is not set.
const DefaultRequestTimeout = 30 * time.Second

// ErrNotConformant marks a target that answers HTTP but not the API, found
// before the suite could run (e.g. a token endpoint answering HTML).
var ErrNotConformant = errors.New("target does not conform")

// Credentials are a member client's id and secret.
type Credentials struct {
	ID     string `json:"client_id"`
	Secret string `json:"client_secret"`
}

// Target is the system under test as the steps see it.
type Target struct {
	Kind         string       // "embedded" or "url"
	URL          string       // base URL of the webhook API, e.g. https://api.sandbox.orcid.org
	TokenURL     string       // the OAuth token endpoint
	Client       Credentials  // the member client the suite acts as
	SecondClient *Credentials // another member client (nil: made through the control API if there is one)
	Trigger      Trigger      // how records change
	// CallbackBase is the URL at which the target reaches the harness's
	// receiver ("" means the receiver's own loopback URL).
	CallbackBase string
	// ReceiverAddr is where the receiver listens ("" means 127.0.0.1:0).
	ReceiverAddr string
	// Info is the target's /_hookcheck/info, when it has the control API.
	Info *registry.Info
	// Image is the container image of a container target.
	Image *Image
	// DispatchLag is how late the embedded registry, in this process,
	// started its calls (nil for every other target).
	DispatchLag func() registry.Lag

	// ConnectTimeout bounds each request made before the suite runs
	// (LoadInfo, CheckCredentials); 0 leaves only the HTTP client's timeout.
	ConnectTimeout time.Duration
	// RequestTimeout bounds each API request during the suite (0:
	// DefaultRequestTimeout): a target that stops answering fails the
	// scenarios waiting on it, by name, instead of holding them.
	RequestTimeout time.Duration

	HTTP  *http.Client
	close func() error
}

// Close releases what the target started (the embedded registry).
func (t *Target) Close() error {
	if t == nil || t.close == nil {
		return nil
	}
	return t.close()
}

// Version is the target's version string, or "unknown".
func (t *Target) Version() string {
	if t.Info != nil && t.Info.Version != "" {
		return t.Info.Version
	}
	return "unknown"
}

// HasControl reports whether the target serves the reference registry's
// /_hookcheck/ control API.
func (t *Target) HasControl() bool { return t.Info != nil }

func (t *Target) httpClient() *http.Client {
	if t.HTTP != nil {
		return t.HTTP
	}
	timeout := t.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	return &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// NewURLTarget describes a deployment at base. tokenURL "" means
// base + "/oauth/token". The trigger is set by the caller (see
// NewControlTrigger, NewMemberTrigger, NewCommandTrigger).
func NewURLTarget(base, tokenURL string, client Credentials) *Target {
	base = strings.TrimRight(base, "/")
	if tokenURL == "" {
		tokenURL = base + "/oauth/token"
	}
	return &Target{Kind: "url", URL: base, TokenURL: tokenURL, Client: client}
}

// Probe checks within timeout that the target answers HTTP at all (any
// status will do); a failure wraps ErrUnreachable.
func (t *Target) Probe(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for _, u := range []string{t.URL + "/", t.TokenURL} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrUnreachable, u, err)
		}
		resp, err := t.httpClient().Do(req)
		if err != nil {
			return unreachable(u, timeout, err)
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
	}
	return nil
}

// LoadInfo reads /_hookcheck/info; a target without it (any answer but a
// 200 with the expected JSON) is left with Info nil.
func (t *Target) LoadInfo(ctx context.Context) error {
	ctx, cancel := t.preflight(ctx)
	defer cancel()
	u := t.URL + "/_hookcheck/info"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("info: %w", err)
	}
	resp, err := t.httpClient().Do(req)
	if err != nil {
		return unreachable(u, t.ConnectTimeout, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	var info registry.Info
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info); err != nil || info.Version == "" {
		return nil
	}
	t.Info = &info
	return nil
}

// preflight bounds ctx by ConnectTimeout, when set.
func (t *Target) preflight(ctx context.Context) (context.Context, context.CancelFunc) {
	if t.ConnectTimeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, t.ConnectTimeout)
}

// unreachable says why u gave no usable HTTP answer (err being what the
// HTTP client returned, timeout the bound it had, 0 if unknown); the error
// wraps ErrUnreachable and err.
func unreachable(u string, timeout time.Duration, err error) error {
	var what string
	var ne net.Error
	var pe textproto.ProtocolError
	problem, isCert := CertificateProblem(err)
	switch {
	case errors.Is(err, context.Canceled):
		what = "interrupted before " + u + " answered"
	case isCert:
		what = u + ": " + problem
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		what = "no HTTP answer from " + u
		if timeout > 0 {
			what += " within " + timeout.String()
		} else {
			what += " in time"
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		what = "nothing listens at " + u + " (connection refused)"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		strings.Contains(err.Error(), "server closed idle connection"): // net/http's, for a close before the request was written
		what = u + " closed the connection without an HTTP answer"
	case errors.As(err, &pe) || strings.Contains(err.Error(), "malformed HTTP"):
		what = u + " sent something that is not an HTTP answer"
	case strings.Contains(err.Error(), "readLoopPeekFailLocked"):
		// net/http's error for bytes that came before the request did.
		what = u + " sent something that is not an HTTP answer (data before any request)"
	default:
		what = "no HTTP answer from " + u
	}
	return fmt.Errorf("%w: %s: %w", ErrUnreachable, what, err)
}
