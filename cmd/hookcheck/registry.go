package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/internal/random"
)

func init() {
	register(command{name: "registry", summary: "serve the reference ORCID webhook registry (a sandbox with scalable time)", run: runRegistry})
}

func runRegistry(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("registry", stderr)
	def := registry.Defaults()
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	id := fs.String("client-id", envOr("HOOKCHECK_CLIENT_ID", ""), "member client id (env HOOKCHECK_CLIENT_ID); a demo client is made when none is given")
	secret := fs.String("client-secret", "", "member client secret (env HOOKCHECK_CLIENT_SECRET; never printed)")
	behaviour := fs.String("behaviour", string(registry.BehaviourDocs), "docs (as ORCID's documentation describes) or orcid-registry (as ORCID's code dispatches: indexing, a run every window/5, linear retries of 2×window from the end of the failed call, the 429 rule, batch caps)")
	window := fs.Duration("window", def.Window, "batch window: at most one notification per hook per window (orcid-registry: the indexing delay)")
	retry := fs.String("retry", string(def.Retry.Kind), "retry policy: doubling, linear or fixed (orcid-registry default: linear)")
	base := fs.Duration("retry-base", def.Retry.Base, "delay after the first failure (orcid-registry default: 2×window, ORCID's 10 minutes)")
	maxAttempts := fs.Int("max-attempts", def.Retry.MaxAttempts, "consecutive failed attempts before a hook is given up (0: never)")
	callbackTimeout := fs.Duration("callback-timeout", def.CallbackTimeout, "timeout of the connect, and again of the request, of one notification call")
	workers := fs.Int("workers", 64, "concurrent notification calls (orcid-registry default: the processors, as ORCID's pool)")
	data := fs.String("data", "", "directory that keeps hooks, records, tokens and owed notifications across restarts (default: memory only)")
	fsync := fs.Bool("fsync", false, "with --data, fsync every write (survive power loss, not just a killed process)")
	grace := fs.Duration("grace", 5*time.Second, "on shutdown, how long deliveries in flight may finish (the rest stay owed)")
	verbose := fs.Bool("v", false, "log every notification")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if *secret == "" {
		*secret = os.Getenv("HOOKCHECK_CLIENT_SECRET")
	}
	b, err := registry.ParseBehaviour(*behaviour)
	if err != nil {
		return usageError(stderr, "--behaviour: %v", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if b == registry.BehaviourORCIDRegistry && *window <= 0 {
		return usageError(stderr, "--behaviour orcid-registry needs a positive window (its indexing delay), got --window %s", *window)
	}
	if b == registry.BehaviourORCIDRegistry {
		// ORCID's code's timing, scaled by the window, where no flag says otherwise.
		ot := registry.ORCIDRegistryTiming(*window)
		if !set["retry"] {
			*retry = string(ot.Retry.Kind)
		}
		if !set["retry-base"] {
			*base = ot.Retry.Base
		}
		if !set["workers"] {
			*workers = runtime.NumCPU()
		}
	}
	kind, err := timing.ParseKind(*retry)
	if err != nil {
		return usageError(stderr, "--retry: %v", err)
	}
	if (*id == "") != (*secret == "") {
		return usageError(stderr, "--client-id and --client-secret go together: give both or neither")
	}
	if *workers < 1 {
		return usageError(stderr, "--workers must be at least 1, got %d", *workers)
	}
	if *callbackTimeout <= 0 {
		return usageError(stderr, "--callback-timeout must be positive, got %s", *callbackTimeout)
	}
	demo := *id == ""
	if demo {
		*id, *secret = "APP-HOOKCHECKDEMO01", random.Hex(16)
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg := registry.Config{
		Timing: timing.Timing{
			Window:          *window,
			Retry:           timing.Retry{Kind: kind, Base: *base, MaxAttempts: *maxAttempts},
			CallbackTimeout: *callbackTimeout,
		},
		Clients:   []registry.Client{{ID: *id, Secret: *secret}},
		Workers:   *workers,
		Behaviour: b,
		Logger:    logger,
		DataDir:   *data,
		Sync:      *fsync,
		Grace:     *grace,
	}
	if err := cfg.Timing.Validate(); err != nil {
		return usageError(stderr, "%v", err)
	}
	srv, err := registry.Listen(context.Background(), *addr, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck registry: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "registry listening on %s\n", srv.URL())
	if *data != "" {
		fmt.Fprintf(stdout, "data: %s (%d hooks kept)\n", *data, len(srv.Registry().Hooks("")))
	}
	fmt.Fprintf(stdout, "behaviour %s; timing: window %s, retry %s, max attempts %d, callback timeout %s (%.0f× real ORCID)\n",
		b, cfg.Timing.Window, cfg.Timing.Retry, cfg.Timing.Retry.MaxAttempts, cfg.Timing.CallbackTimeout, cfg.Timing.Scale())
	if demo {
		fmt.Fprintf(stdout, "demo client: client_id=%s client_secret=%s\n", *id, *secret)
	} else {
		fmt.Fprintf(stdout, "client: client_id=%s (secret from flags or env, not shown)\n", *id)
	}
	return serveUntilDone(ctx, "registry", srv.Close, stdout, stderr)
}

// serveUntilDone waits for ctx to end (Ctrl-C, SIGTERM), then closes what
// is served, allowing it ten seconds.
func serveUntilDone(ctx context.Context, name string, closeFn func() error, stdout, stderr io.Writer) int {
	<-ctx.Done()
	fmt.Fprintf(stdout, "%s stopping\n", name)
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- closeFn() }()
	var err error
	select {
	case err = <-done:
	case <-shutdown.Done():
		err = shutdown.Err()
	}
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck %s: shutdown: %v\n", name, err)
		return exitFail
	}
	return exitOK
}

// usageError prints a configuration error and returns the usage exit code.
func usageError(stderr io.Writer, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(stderr, "hookcheck: %s\n", strings.TrimSpace(msg))
	return exitUsage
}
