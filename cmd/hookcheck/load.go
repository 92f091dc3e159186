package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/target"
)

// exitThreshold is the load commands' exit code when a threshold failed
// (distinct from 1, a failed verdict).
const exitThreshold = 4

// embeddedLoadTiming is the default timing against the embedded registry:
// 1 s windows and retry base (300× real ORCID).
var embeddedLoadTiming = timing.Timing{
	Window:          time.Second,
	Retry:           timing.Retry{Kind: timing.Doubling, Base: time.Second, MaxAttempts: 25},
	CallbackTimeout: 2 * time.Second,
	Tolerance:       250 * time.Millisecond,
}

func init() {
	register(command{name: "load", summary: "flood record changes with vegeta and prove batching and retries hold (load merge: merge shards)", run: runLoad})
}

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "merge" {
		return runLoadMerge(ctx, args[1:], stdout, stderr)
	}
	fs := newFlags("load", stderr)
	targetURL := fs.String("target", "embedded", `registry under load: "embedded" (the reference registry in-process) or its base URL`)
	tokenURL := fs.String("token-url", "", "OAuth token endpoint (default TARGET/oauth/token)")
	clientID := fs.String("client-id", envOr("HOOKCHECK_CLIENT_ID", ""), "member client id (env HOOKCHECK_CLIENT_ID)")
	clientSecret := fs.String("client-secret", "", "member client secret (env HOOKCHECK_CLIENT_SECRET; never printed)")
	recordsFile := fs.String("records-file", "", `JSON {"records":[{"orcid","update_token"}]}: change these through the Member API (targets without the control API)`)
	records := fs.Int("records", 1000, "records (one hook each) to create with the control API, over all shards")
	var atk attackFlags
	atk.add(fs, "record changes (over all shards)", 200, 10*time.Second)
	failRatio := fs.Float64("fail-ratio", 0.1, "share of hooks whose receiver answers by --fail-script")
	failScript := fs.String("fail-script", "500,500,500,204", "answers of the failing receivers, the last repeating (three failures tell doubling from linear)")
	profile := fs.String("profile", "orcid", "expectations: a built-in ("+strings.Join(judge.BuiltinNames(), ", ")+") or a profile file")
	overrides := judge.OverrideFlags(fs)
	embeddedRetry := fs.String("embedded-retry", "", "embedded target only: run the registry with this retry policy (a negative control: linear or fixed must fail)")
	shardSpec := fs.String("shard", "0/1", "run part i of n: every n-th record and send (merge the parts with load merge)")
	receiverAddr := fs.String("receiver-addr", "127.0.0.1:0", "address the receivers listen on")
	callbackBase := fs.String("callback-base", "", "public URL at which the target reaches the receivers (default their loopback URL)")
	callbackHost := fs.String("callback-host", "", "host (name or IP) at which the target reaches the receivers, on the port they got: e.g. a pod's IP, with --receiver-addr :0")
	drain := fs.Duration("drain", 0, "how long to await notifications after the attack (default: from the timing and fail script)")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if *clientSecret == "" {
		*clientSecret = os.Getenv("HOOKCHECK_CLIENT_SECRET")
	}
	if err := atk.checkWorkers(); err != nil {
		return usageError(stderr, "%v", err)
	}
	shard, err := loadgen.ParseShard(*shardSpec)
	if err != nil {
		return usageError(stderr, "--shard: %v", err)
	}
	prof, err := judge.LoadProfile(*profile)
	if err != nil {
		return usageError(stderr, "--profile: %v", err)
	}
	if *targetURL == "embedded" {
		def := embeddedLoadTiming
		def.Retry.Kind, def.Retry.Ratio, def.Retry.Delays = prof.Retry.Kind, prof.Retry.Ratio, prof.Retry.Delays
		prof = judge.WithTiming(prof, def)
	}
	if prof, err = overrides(prof); err != nil {
		return usageError(stderr, "%v", err)
	}
	tm := prof.Timing()
	cfg := loadgen.Config{
		Target: *targetURL, TokenURL: *tokenURL, ClientID: *clientID, ClientSecret: *clientSecret,
		NRecords: *records, Pacing: atk.pacingOrDefault(), Shard: shard, FailRatio: *failRatio, FailScript: *failScript,
		Timing: tm, Profile: prof, ReceiverAddr: *receiverAddr, CallbackBase: *callbackBase, CallbackHost: *callbackHost, Drain: *drain,
		KeepResults: atk.html != "", Progress: atk.progress(stderr), Workers: atk.workers, Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	if *recordsFile != "" {
		recs, err := target.LoadRecords(*recordsFile)
		if err != nil {
			return usageError(stderr, "--records-file: %v", err)
		}
		cfg.Records = recs
	}
	if *targetURL == "embedded" {
		rt := tm
		if *embeddedRetry != "" {
			if rt.Retry.Kind, err = timing.ParseKind(*embeddedRetry); err != nil {
				return usageError(stderr, "--embedded-retry: %v", err)
			}
		}
		reg, err := target.StartEmbedded(ctx, target.RegistryConfig(rt))
		if err != nil {
			return usageError(stderr, "embedded registry: %v", err)
		}
		defer reg.Close()
		cfg.Target, cfg.Control, cfg.ClientID, cfg.ClientSecret = reg.URL, true, reg.Client.ID, reg.Client.Secret
		fmt.Fprintf(stdout, "load: embedded registry at %s (window %s, retry %s)\n", reg.URL, rt.Window, rt.Retry)
	} else {
		cfg.Control = *recordsFile == ""
		if cfg.ClientID == "" || cfg.ClientSecret == "" {
			return usageError(stderr, "a URL target needs --client-id and --client-secret (or HOOKCHECK_CLIENT_ID / HOOKCHECK_CLIENT_SECRET)")
		}
	}
	enc, closer, err := atk.encoder()
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	defer closer.Close()
	cfg.Results = enc
	if err := cfg.Validate(); err != nil {
		return usageError(stderr, "%v", err)
	}
	// The --json file says at once that this run started, so that a merge
	// tells a shard that was killed from one that never ran.
	placeholder := loadgen.Placeholder(cfg, time.Now())
	if atk.json != "" {
		if err := placeholder.WriteJSON(atk.json); err != nil {
			return usageError(stderr, "--json: %v", err)
		}
	}
	stop, err := atk.profile()
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	defer stop()
	sum, results, err := loadgen.Run(ctx, cfg)
	if err != nil && atk.json != "" {
		if werr := loadgen.Failed(placeholder, err, time.Now()).WriteJSON(atk.json); werr != nil {
			fmt.Fprintf(stderr, "hookcheck load: --json: %v\n", werr)
		}
	}
	if problem, ok := target.CertificateProblem(err); ok {
		fmt.Fprintf(stderr, "hookcheck load: %s: %s\n", cfg.Target, problem)
		return exitUnreachable
	}
	if err != nil {
		var nerr net.Error
		var oerr *net.OpError
		if errors.As(err, &oerr) || errors.As(err, &nerr) {
			fmt.Fprintf(stderr, "hookcheck load: target unreachable: %v\n", err)
			return exitUnreachable
		}
		fmt.Fprintf(stderr, "hookcheck load: %v\n", err)
		return exitFail
	}
	return atk.finish(sum, results, stdout, stderr)
}
