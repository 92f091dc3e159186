package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/internal/cli"
	"github.com/hookcheck/hookcheck/judge"
)

func init() {
	register(command{name: "receiver", summary: "serve instrumented callbacks that answer by script, verify signatures and log every call", run: runReceiver})
}

func runReceiver(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("receiver", stderr)
	var f receiver.Flags
	f.AddFlags(fs)
	sig := judge.NewSignatureFlags(fs, fs.String("profile", "orcid", "what a delivery looks like: a built-in ("+strings.Join(judge.BuiltinNames(), ", ")+") or a profile file; one that signs (standard-webhooks) needs --secret"))
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	opts, maxSize, err := f.Options()
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	if opts.Verify, err = sig.Resolve(stderr); err != nil {
		return usageError(stderr, "%v", err)
	}
	opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	if f.Log != "" {
		lf, err := receiver.OpenLogFile(f.Log, maxSize)
		if err != nil {
			return usageError(stderr, "--log: %v", err)
		}
		defer lf.Close()
		opts.Log = lf
	}
	srv, err := receiver.Listen(context.Background(), f.Addr, opts)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck receiver: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "receiver listening on %s (any path is a callback; control API under /_receiver/)\n", srv.URL())
	if opts.Verify.Scheme != "" {
		fmt.Fprintf(stdout, "verifying signatures: %s; a delivery that fails gets 401\n", opts.Verify)
	}
	if f.Log != "" {
		rot := ""
		if maxSize > 0 {
			rot = fmt.Sprintf(", rotating at %d bytes", maxSize)
		}
		fmt.Fprintf(stdout, "logging calls to %s%s\n", f.Log, rot)
	}
	return cli.ServeUntilDone(ctx, "receiver", srv.Close, stdout, stderr)
}
