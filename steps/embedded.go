package steps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/hookcheck/hookcheck/fixtures/registry"
)

// StartEmbedded starts the reference registry in-process on a loopback port
// with cfg (its Clients are replaced by one generated member client) and
// returns it as a target driven through its control API. Close the target
// to stop the registry.
func StartEmbedded(ctx context.Context, cfg registry.Config) (*Target, error) {
	client := Credentials{ID: "APP-HOOKCHECK" + randomHex(4), Secret: randomHex(16)}
	cfg.Clients = []registry.Client{{ID: client.ID, Secret: client.Secret}}
	srv, err := registry.Listen(ctx, "127.0.0.1:0", cfg)
	if err != nil {
		return nil, fmt.Errorf("embedded target: %w", err)
	}
	t := NewURLTarget(srv.URL(), "", client)
	t.Kind = "embedded"
	t.close = srv.Close
	t.Trigger = NewControlTrigger(t.URL, nil)
	if err := t.LoadInfo(ctx); err != nil {
		srv.Close()
		return nil, fmt.Errorf("embedded target: %w", err)
	}
	return t, nil
}

// randomHex returns 2n hex characters from crypto/rand.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
