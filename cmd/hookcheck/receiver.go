package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/judge"
)

func init() {
	register(command{name: "receiver", summary: "serve instrumented callbacks that answer by script, verify signatures and log every call", run: runReceiver})
}

func runReceiver(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("receiver", stderr)
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	logFile := fs.String("log", "", "append every call to FILE as JSON lines (for hookcheck analyze)")
	logMax := fs.String("log-max-size", "", "rotate --log before it passes SIZE (e.g. 256MiB, 1GB): FILE.1, FILE.2 … oldest first (default: never)")
	script := fs.String("script", "", `answers for callbacks without their own script, e.g. "500,500,204" (default 204)`)
	keep := fs.Int("keep", receiver.DefaultKeep, "calls kept in memory for /_receiver/observations (0: all)")
	maxBody := fs.Int64("max-body", 1<<20, "largest body accepted, in bytes; bigger ones get 413")
	bodyHead := fs.Int("body-head", receiver.DefaultBodyHead, "leading body bytes kept with each call (0: none)")
	sig := signatureFlags(fs, fs.String("profile", "orcid", "what a delivery looks like: a built-in ("+strings.Join(judge.BuiltinNames(), ", ")+") or a profile file; one that signs (standard-webhooks) needs --secret"))
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if _, err := receiver.ParseScript(*script); err != nil {
		return usageError(stderr, "--script: %v", err)
	}
	if *keep < 0 || *maxBody < 0 || *bodyHead < 0 {
		return usageError(stderr, "--keep, --max-body and --body-head must not be negative")
	}
	lf, err := openCallLog(*logFile, *logMax)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	if lf != nil {
		defer lf.Close()
	}
	verify, err := sig.resolve(stderr)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	opts := receiver.Options{Script: *script, Keep: *keep, MaxBody: *maxBody, BodyHead: *bodyHead, Verify: verify, Logger: logger}
	if *keep == 0 {
		opts.Keep = receiver.KeepAll
	}
	if *bodyHead == 0 {
		opts.BodyHead = -1
	}
	if lf != nil {
		opts.Log = lf
	}
	srv, err := receiver.Listen(context.Background(), *addr, opts)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck receiver: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "receiver listening on %s (any path is a callback; control API under /_receiver/)\n", srv.URL())
	if verify.Scheme != "" {
		fmt.Fprintf(stdout, "verifying signatures: %s; a delivery that fails gets 401\n", verify)
	}
	if lf != nil {
		rot := ""
		if n := lf.MaxSize(); n > 0 {
			rot = fmt.Sprintf(", rotating at %d bytes", n)
		}
		fmt.Fprintf(stdout, "logging calls to %s%s\n", *logFile, rot)
	}
	return serveUntilDone(ctx, "receiver", srv.Close, stdout, stderr)
}

// secretEnv holds the signing secret when --secret is not given, so that it
// stays out of the process list and shell history.
const secretEnv = "HOOKCHECK_WEBHOOK_SECRET"

// openCallLog opens --log (nil when path is ""), rotated before it passes
// --log-max-size; close it when done.
func openCallLog(path, maxSize string) (*receiver.LogFile, error) {
	n, err := parseSize(maxSize)
	if err != nil {
		return nil, fmt.Errorf("--log-max-size: %w", err)
	}
	if path == "" {
		if n > 0 {
			return nil, fmt.Errorf("--log-max-size needs --log FILE")
		}
		return nil, nil
	}
	lf, err := receiver.OpenLogFile(path, n)
	if err != nil {
		return nil, fmt.Errorf("--log: %w", err)
	}
	return lf, nil
}
