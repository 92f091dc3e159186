package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// token returns the member client's token for scope, fetched once per run.
func (s *suite) token(ctx context.Context, scope string) (string, error) {
	s.mu.Lock()
	t, ok := s.tokens[scope]
	s.mu.Unlock()
	if ok {
		return t, nil
	}
	t, _, err := s.api.token(ctx, s.target.Client, scope)
	if err != nil {
		return "", fmt.Errorf("member client %s: %w", s.target.Client.ID, err)
	}
	s.mu.Lock()
	s.tokens[scope] = t
	s.mu.Unlock()
	return t, nil
}

// secondToken returns a /webhook token of a second member client: the one
// configured, or one made through the control API. ok is false (with a
// reason) when the target offers none.
func (s *suite) secondToken(ctx context.Context) (token, reason string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secondTok != "" || s.secondWhy != "" {
		return s.secondTok, s.secondWhy, nil
	}
	creds := s.target.SecondClient
	if creds == nil {
		if !s.target.HasControl() {
			s.secondWhy = "no second member client: give --second-client-id and --second-client-secret (or HOOKCHECK_SECOND_CLIENT_ID/SECRET)"
			return "", s.secondWhy, nil
		}
		c, err := s.createClient(ctx)
		if err != nil {
			return "", "", err
		}
		creds = c
	}
	t, _, err := s.api.token(ctx, *creds, "/webhook")
	if err != nil {
		return "", "", fmt.Errorf("second member client %s: %w", creds.ID, err)
	}
	s.second, s.secondTok = creds, t
	return t, "", nil
}

// createClient makes a premium member client through the control API.
func (s *suite) createClient(ctx context.Context) (*Credentials, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.target.URL+"/_hookcheck/clients", strings.NewReader(`{}`))
	if err != nil {
		return nil, fmt.Errorf("control API: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.api.do(req)
	if err != nil {
		return nil, err
	}
	var c Credentials
	if resp.Status != http.StatusCreated || json.Unmarshal(resp.Body, &c) != nil || c.ID == "" {
		return nil, fmt.Errorf("control API: expected 201 with a new client; %s", s.redact.String(resp.describe()))
	}
	s.redact.Add(c.Secret)
	return &c, nil
}

// CheckCredentials gets a /webhook token for the target's member client,
// so that bad credentials are reported before the suite starts. A request
// that gets no HTTP answer wraps ErrUnreachable; a 2xx answer that is not
// an OAuth token (HTML, say) wraps ErrNotConformant; any other refusal is
// the credentials' or the configuration's fault.
func CheckCredentials(ctx context.Context, t *Target) error {
	ctx, cancel := t.preflight(ctx)
	defer cancel()
	r := &Redactor{}
	r.Add(t.Client.Secret)
	api := &apiClient{http: t.httpClient(), base: t.URL, tokenURL: t.TokenURL, redact: r}
	_, resp, err := api.token(ctx, t.Client, "/webhook")
	switch {
	case err == nil:
		return nil
	case resp == nil:
		return r.Error(unreachable(t.TokenURL, t.ConnectTimeout, err))
	case resp.Status >= 200 && resp.Status < 300:
		return fmt.Errorf("%w: member client %s: %s: not an OAuth token answer (expected JSON with access_token)",
			ErrNotConformant, t.Client.ID, r.String(resp.describe()))
	}
	return fmt.Errorf("member client %s cannot get a /webhook token from %s: %w", t.Client.ID, t.TokenURL, r.Error(err))
}
