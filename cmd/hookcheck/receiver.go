package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

func init() {
	register(command{name: "receiver", summary: "serve instrumented callbacks that answer by script and log every call", run: runReceiver})
}

func runReceiver(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("receiver", stderr)
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	logFile := fs.String("log", "", "append every call to FILE as JSON lines (for hookcheck analyze)")
	script := fs.String("script", "", `answers for callbacks without their own script, e.g. "500,500,204" (default 204)`)
	keep := fs.Int("keep", 100000, "calls kept in memory for /_receiver/observations (0: all)")
	maxBody := fs.Int64("max-body", 1<<20, "largest body accepted, in bytes; bigger ones get 413")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if _, err := receiver.ParseScript(*script); err != nil {
		return usageError(stderr, "--script: %v", err)
	}
	if *keep < 0 || *maxBody < 0 {
		return usageError(stderr, "--keep and --max-body must not be negative")
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	opts := receiver.Options{Script: *script, Keep: *keep, MaxBody: *maxBody, Logger: logger}
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return usageError(stderr, "--log: %v", err)
		}
		defer f.Close()
		opts.Log = f
	}
	srv, err := receiver.Listen(context.Background(), *addr, opts)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck receiver: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "receiver listening on %s (any path is a callback; control API under /_receiver/)\n", srv.URL())
	if *logFile != "" {
		fmt.Fprintf(stdout, "logging calls to %s\n", *logFile)
	}
	return serveUntilDone(ctx, "receiver", srv.Close, stdout, stderr)
}
