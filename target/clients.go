package target

import (
	"context"
	"fmt"

	"github.com/hookcheck/hookcheck/internal/redact"
)

// CreateClient makes a premium member client through the control API of
// the target at c's base URL; its secret is added to c's redactor.
func (c *API) CreateClient(ctx context.Context) (*Credentials, error) {
	return c.CreateClientWith(ctx, nil)
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
