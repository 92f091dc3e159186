package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/internal/cli"
)

func init() {
	register(command{name: "registry", summary: "serve the reference ORCID webhook registry (a sandbox with scalable time)", run: runRegistry})
}

func runRegistry(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("registry", stderr)
	var f registry.Flags
	f.AddFlags(fs)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	cfg, demo, err := f.Config(stderr)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	srv, err := registry.Listen(context.Background(), f.Addr, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck registry: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "registry listening on %s\n", srv.URL())
	if f.Data != "" {
		fmt.Fprintf(stdout, "data: %s (%d hooks kept)\n", f.Data, len(srv.Registry().Hooks("")))
	}
	fmt.Fprintf(stdout, "behaviour %s; timing: window %s, retry %s, max attempts %d, callback timeout %s (%.0f× real ORCID)\n",
		cfg.Behaviour, cfg.Timing.Window, cfg.Timing.Retry, cfg.Timing.Retry.MaxAttempts, cfg.Timing.CallbackTimeout, cfg.Timing.Scale())
	if demo {
		fmt.Fprintf(stdout, "demo client: client_id=%s client_secret=%s\n", f.ClientID, f.ClientSecret)
	} else {
		fmt.Fprintf(stdout, "client: client_id=%s (secret from flags or env, not shown)\n", f.ClientID)
	}
	return cli.ServeUntilDone(ctx, "registry", srv.Close, stdout, stderr)
}

// usageError prints a configuration error and returns the usage exit code.
func usageError(stderr io.Writer, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(stderr, "hookcheck: %s\n", strings.TrimSpace(msg))
	return exitUsage
}
