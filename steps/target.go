package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
)

// ErrUnreachable marks a target that could not be reached at all.
var ErrUnreachable = errors.New("target unreachable")

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
	return &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
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
			return fmt.Errorf("%w: no HTTP answer from %s within %s: %w", ErrUnreachable, u, timeout, err)
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
	}
	return nil
}

// LoadInfo reads /_hookcheck/info; a target without it (any answer but a
// 200 with the expected JSON) is left with Info nil.
func (t *Target) LoadInfo(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL+"/_hookcheck/info", nil)
	if err != nil {
		return fmt.Errorf("info: %w", err)
	}
	resp, err := t.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
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
