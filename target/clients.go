package target

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hookcheck/hookcheck/internal/redact"
)

// CreateClient makes a premium member client through the control API of
// the target at c's base URL; its secret is added to c's redactor.
func (c *API) CreateClient(ctx context.Context) (*Credentials, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/_hookcheck/clients", strings.NewReader(`{}`))
	if err != nil {
		return nil, fmt.Errorf("control API: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	var cr Credentials
	if resp.Status != http.StatusCreated || json.Unmarshal(resp.Body, &cr) != nil || cr.ID == "" {
		return nil, fmt.Errorf("control API: expected 201 with a new client; %s", c.redact.String(resp.Describe()))
	}
	c.redact.Add(cr.Secret)
	return &cr, nil
}

// CheckCredentials gets a /webhook token for the target's member client,
// so that bad credentials are reported before the suite starts. A request
// that gets no HTTP answer wraps ErrUnreachable; a 2xx answer that is not
// an OAuth token (HTML, say) wraps ErrNotConformant; any other refusal is
// the credentials' or the configuration's fault.
func CheckCredentials(ctx context.Context, t *Target) error {
	ctx, cancel := t.preflight(ctx)
	defer cancel()
	r := &redact.Redactor{}
	r.Add(t.Client.Secret)
	api := t.API(r)
	_, resp, err := api.Token(ctx, t.Client, "/webhook")
	switch {
	case err == nil:
		return nil
	case resp == nil:
		return r.Error(unreachable(t.TokenURL, t.ConnectTimeout, err))
	case resp.Status >= 200 && resp.Status < 300:
		return fmt.Errorf("%w: member client %s: %s: not an OAuth token answer (expected JSON with access_token)",
			ErrNotConformant, t.Client.ID, r.String(resp.Describe()))
	}
	return fmt.Errorf("member client %s cannot get a /webhook token from %s: %w", t.Client.ID, t.TokenURL, r.Error(err))
}
