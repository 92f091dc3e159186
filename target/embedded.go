package target

import (
	"context"
	"fmt"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/internal/random"
)

// StartEmbedded starts the reference registry in-process on a loopback port
// with cfg (its Clients are replaced by one generated member client) and
// returns it as a target driven through its control API. Close the target
// to stop the registry.
func StartEmbedded(ctx context.Context, cfg registry.Config) (*Target, error) {
	client := Credentials{ID: "APP-HOOKCHECK" + random.Hex(4), Secret: random.Hex(16)}
	t, err := listenEmbedded(ctx, "127.0.0.1:0", cfg, client)
	if err != nil {
		return nil, fmt.Errorf("embedded target: %w", err)
	}
	return t, nil
}

// listenEmbedded serves the reference registry with cfg on addr, knowing
// client as its one member client.
func listenEmbedded(ctx context.Context, addr string, cfg registry.Config, client Credentials) (*Target, error) {
	cfg.Clients = []registry.Client{{ID: client.ID, Secret: client.Secret}}
	srv, err := registry.Listen(ctx, addr, cfg)
	if err != nil {
		return nil, err
	}
	t := NewURLTarget(srv.URL(), "", client)
	t.Kind = "embedded"
	t.close = srv.Close
	t.DispatchLag = srv.Registry().DispatchLag
	t.Trigger = NewControlTrigger(t.URL, nil)
	if err := t.LoadInfo(ctx); err != nil {
		srv.Close()
		return nil, err
	}
	return t, nil
}
