package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/report"
)

// HarnessConfig is the harness's cost per change: hookcheck load against
// hookcheck registry run as a separate process, against the bare minimum
// of one vegeta send and one bare 204 receive per change.
type HarnessConfig struct {
	Records  int
	Rate     float64
	Duration time.Duration
	// Log receives a line per measurement (nil: none).
	Log io.Writer
}

// HarnessCost is what the load process and the bare minimum cost.
type HarnessCost struct {
	Changes, Notifications uint64
	Verdict                string
	Load                   Usage // the load process, all in
	// Setup is a load process with the same hooks and a single change:
	// the cost of registering, unregistering and starting up.
	Setup   Usage
	Minimum Usage // one vegeta send per change, one bare receive per notification
}

// PerChange is u's CPU per change.
func (h HarnessCost) PerChange(u Usage) time.Duration {
	if h.Changes == 0 {
		return 0
	}
	return u.CPU / time.Duration(h.Changes)
}

// Marginal is the load process's CPU per change beyond its setup.
func (h HarnessCost) Marginal() time.Duration {
	if h.Changes == 0 {
		return 0
	}
	return (h.Load.CPU - h.Setup.CPU) / time.Duration(h.Changes)
}

// harnessClient is the member client the registry process serves.
const harnessClient, harnessSecret = "APP-HOOKCHECKBENCH", "bench-secret-not-a-real-one"

// Harness measures the harness's cost per change.
func Harness(ctx context.Context, cfg HarnessConfig) (HarnessCost, error) {
	self, err := Self()
	if err != nil {
		return HarnessCost{}, err
	}
	var h HarnessCost
	var sum report.Summary
	h.Load, err = runLoad(ctx, self, cfg, cfg.Rate, cfg.Duration, &sum)
	if err != nil {
		return h, err
	}
	h.Changes, h.Notifications, h.Verdict = sum.API.OK, sum.Notify.Calls, sum.Verdict
	logf(cfg.Log, "bench: load: %d changes, %d notifications, verdict %s, CPU %s", h.Changes, h.Notifications, h.Verdict, h.Load.CPU.Round(time.Millisecond))
	var one report.Summary
	if h.Setup, err = runLoad(ctx, self, cfg, 1, time.Second, &one); err != nil {
		return h, err
	}
	logf(cfg.Log, "bench: load of 1 change (setup): CPU %s", h.Setup.CPU.Round(time.Millisecond))
	if h.Minimum, err = minimum(ctx, self, cfg, h); err != nil {
		return h, err
	}
	logf(cfg.Log, "bench: bare minimum: CPU %s", h.Minimum.CPU.Round(time.Millisecond))
	return h, nil
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}

// runLoad runs hookcheck load at rate for d against a fresh registry
// process and reads its --json into sum.
func runLoad(ctx context.Context, self string, cfg HarnessConfig, rate float64, d time.Duration, sum *report.Summary) (Usage, error) {
	reg, err := start(ctx, self, "registry", "--addr", "127.0.0.1:0", "--client-id", harnessClient, "--client-secret", harnessSecret,
		"--window", "1s", "--retry", "doubling", "--retry-base", "1s", "--callback-timeout", "2s")
	if err != nil {
		return Usage{}, err
	}
	defer func() {
		reg.cmd.Process.Signal(syscall.SIGTERM)
		reg.wait()
	}()
	url, err := registryURL(reg)
	if err != nil {
		return Usage{}, err
	}
	dir, err := os.MkdirTemp("", "hookcheck-bench-")
	if err != nil {
		return Usage{}, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "load.json")
	u, err := run(ctx, nil, self, "load", "--target", url, "--client-id", harnessClient, "--client-secret", harnessSecret,
		"--records", strconv.Itoa(cfg.Records), "--rate", fmt.Sprint(rate), "--duration", d.String(),
		"--window", "1s", "--retry-base", "1s", "--tolerance", "250ms", "--callback-timeout", "2s", "--quiet", "--json", out)
	if err != nil {
		return u, err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return u, fmt.Errorf("bench: the load run (exit %d) wrote no --json: %w", u.Exit, err)
	}
	return u, json.Unmarshal(b, sum)
}

// registryURL reads the registry process's URL from its first lines.
func registryURL(reg *child) (string, error) {
	for range 10 {
		l, err := reg.line()
		if err != nil {
			return "", err
		}
		if u, ok := strings.CutPrefix(l, "registry listening on "); ok {
			return u, nil
		}
	}
	return "", fmt.Errorf("bench: the registry process did not say where it listens")
}

// minimum measures the bare minimum of h's run: a process that sends as
// many changes with vegeta to a bare 204 server process and receives as
// many notifications, from a vegeta process, on a bare 204 server.
func minimum(ctx context.Context, self string, cfg HarnessConfig, h HarnessCost) (Usage, error) {
	var at Served
	sink, err := startJSON(ctx, &at, self, "bench", "serve", "--until-stdin-closes")
	if err != nil {
		return Usage{}, err
	}
	defer sink.wait()
	var recv Served
	workers := strconv.Itoa(loadgen.DefaultWorkers)
	mid, err := startJSON(ctx, &recv, self, "bench", "minimum", "--url", at.URL, "--rate", fmt.Sprint(cfg.Rate), "--duration", cfg.Duration.String(), "--workers", workers)
	if err != nil {
		return Usage{}, err
	}
	notifyRate := float64(h.Notifications) / cfg.Duration.Seconds()
	var f Figures
	if _, err := run(ctx, &f, self, "bench", "attack-one", "--gen", GenVegeta, "--url", recv.URL,
		"--rate", fmt.Sprint(max(notifyRate, 1)), "--duration", cfg.Duration.String(), "--workers", "64"); err != nil {
		mid.wait()
		return Usage{}, err
	}
	var sent Figures
	if err := mid.json(&sent); err != nil { // its own attack is over
		mid.wait()
		return Usage{}, err
	}
	return mid.wait()
}
