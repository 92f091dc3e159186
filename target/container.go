package target

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hookcheck/hookcheck/fixtures/container"
	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/internal/random"
)

// Image names the container image a target runs.
type Image struct {
	Ref    string `json:"image"`
	ID     string `json:"image_id"`
	Digest string `json:"image_digest,omitempty"`
}

// StartContainer starts a containerised target: our registry image, built
// from the repository's Dockerfile and run with cfg's timing (client made
// here, control API as the trigger), when o.Image is empty; else the vendor
// image o names, driven with client and its control API if it has one.
func StartContainer(ctx context.Context, o container.Options, cfg registry.Config, client *Credentials) (*Target, error) {
	if o.Image == "" {
		c := Credentials{ID: "APP-HOOKCHECK" + random.Hex(4), Secret: random.Hex(16)}
		client = &c
		t := cfg.Timing
		o.Args = append([]string{
			"--client-id", c.ID,
			"--window", t.Window.String(), "--retry", string(t.Retry.Kind), "--retry-base", t.Retry.Base.String(),
			"--max-attempts", strconv.Itoa(t.Retry.MaxAttempts), "--callback-timeout", t.CallbackTimeout.String(),
		}, o.Args...)
		if cfg.Behaviour != "" {
			o.Args = append([]string{"--behaviour", string(cfg.Behaviour)}, o.Args...)
		}
		o.Env = map[string]string{"HOOKCHECK_CLIENT_SECRET": c.Secret} // not on the command line
	}
	if client == nil {
		return nil, fmt.Errorf("container target: a vendor image needs member client credentials")
	}
	ct, err := container.Start(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("container target: %w", err)
	}
	t := NewURLTarget(ct.URL, "", *client)
	t.Kind = "container"
	t.Image = &Image{Ref: ct.Image, ID: ct.ImageID, Digest: ct.Digest}
	t.close = ct.Close
	if err := t.LoadInfo(ctx); err != nil {
		ct.Close()
		return nil, fmt.Errorf("container target: %w", err)
	}
	if t.HasControl() {
		t.Trigger = NewControlTrigger(t.URL, nil)
	}
	return t, nil
}
