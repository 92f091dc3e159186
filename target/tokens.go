package target

import (
	"context"
	"fmt"
	"sync"
)

// Tokens is a run's token cache: the member client's token per scope and a
// second member client's /webhook token, each fetched once.
type Tokens struct {
	api    *API
	target *Target

	mu        sync.Mutex
	byScope   map[string]string
	secondTok string
	secondWhy string // why there is no second client
}

// NewTokens returns an empty cache for t's clients, fetched through api.
func NewTokens(t *Target, api *API) *Tokens {
	return &Tokens{api: api, target: t, byScope: map[string]string{}}
}

// Member returns the member client's token for scope.
func (k *Tokens) Member(ctx context.Context, scope string) (string, error) {
	k.mu.Lock()
	t, ok := k.byScope[scope]
	k.mu.Unlock()
	if ok {
		return t, nil
	}
	t, _, err := k.api.Token(ctx, k.target.Client, scope)
	if err != nil {
		return "", fmt.Errorf("member client %s: %w", k.target.Client.ID, err)
	}
	k.mu.Lock()
	k.byScope[scope] = t
	k.mu.Unlock()
	return t, nil
}

// Second returns a /webhook token of a second member client: the one
// configured, or one made through the control API. When the target offers
// none, token is "" and reason says why.
func (k *Tokens) Second(ctx context.Context) (token, reason string, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.secondTok != "" || k.secondWhy != "" {
		return k.secondTok, k.secondWhy, nil
	}
	creds := k.target.SecondClient
	if creds == nil {
		if !k.target.HasControl() {
			k.secondWhy = "no second member client: give --second-client-id and --second-client-secret (or HOOKCHECK_SECOND_CLIENT_ID/SECRET)"
			return "", k.secondWhy, nil
		}
		c, err := k.api.CreateClient(ctx)
		if err != nil {
			return "", "", err
		}
		creds = c
	}
	t, _, err := k.api.Token(ctx, *creds, "/webhook")
	if err != nil {
		return "", "", fmt.Errorf("second member client %s: %w", creds.ID, err)
	}
	k.secondTok = t
	return t, "", nil
}
