package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hookcheck/hookcheck/certify"
	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/steps"
	"github.com/hookcheck/hookcheck/target"
)

func init() {
	register(command{name: "certify-receiver", summary: "certify a member's callback endpoint: play the registry and judge its answers", run: runCertify})
}

// certifyFlags are the flags of hookcheck certify-receiver.
type certifyFlags struct {
	fs        *flag.FlagSet
	callbacks callbackFlags
	registry  registryFlags
	timeout   time.Duration
	steps.ConsoleFlags
	records int
	flood   loadgen.AttackFlags
}

func parseCertifyFlags(args []string, stdout, stderr io.Writer) (*certifyFlags, int, bool) {
	fs := newFlags("certify-receiver", stderr)
	f := &certifyFlags{fs: fs}
	f.callbacks.add(fs)
	fs.DurationVar(&f.timeout, "timeout", target.DefaultCallbackTimeout, "the registry's callback timeout (ORCID: 20s); answers must come within half of it")
	f.registry.add(fs)
	f.ConsoleFlags.AddFlags(fs, 1, "scenarios run at once (1 keeps one scenario's load from slowing another's answers)", "the conformance report (JSON; the target is the receiver's URL, with the flood's figures)")
	fs.IntVar(&f.records, "records", 100, "flood: distinct record callbacks the notifications go round")
	f.flood.AddFlags(fs, "flood notifications", 100, 10*time.Second, true)
	if code, done := parseFlags(fs, args, stdout); done {
		return nil, code, true
	}
	return f, exitOK, false
}

func runCertify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, code, done := parseCertifyFlags(args, stdout, stderr)
	if done {
		return code
	}
	return f.run(ctx, stdout, stderr)
}

func (f *certifyFlags) run(ctx context.Context, stdout, stderr io.Writer) int {
	cfg, err := f.config(stdout, stderr)
	if err != nil {
		return usageError(stderr, "certify-receiver: %v", err)
	}
	enc, closer, err := f.flood.Encoder()
	if err != nil {
		return usageError(stderr, "certify-receiver: flood: %v", err)
	}
	defer closer.Close()
	cfg.Results = enc

	cert, err := certify.Run(ctx, cfg)
	switch {
	case errors.Is(err, target.ErrUnreachable):
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUnreachable
	case err != nil:
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUsage
	}
	report.WriteReceiverScenarios(stdout, cert.URL, cert.RegistryURL, cert.Scenarios, cert.Notes, cert.Calls)
	if cert.Flood != nil {
		if err := report.WriteLoad(cert.Flood, cert.FloodResults, report.LoadOutputs{Text: stdout, JSON: f.flood.JSON, HTML: f.flood.HTML}); err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitFail
		}
	}
	if f.Report != "" {
		rep, err := cert.Report()
		if err == nil {
			err = rep.WriteFile(f.Report)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitUsage
		}
	}
	report.WriteCertifyTotals(stdout, cert.Callbacks, cert.CallbackSource, cert.Reads)
	ok, why := cert.Verdict()
	switch {
	case cert.Interrupted() || ctx.Err() != nil:
		fmt.Fprintln(stderr, "hookcheck: interrupted: the receiver is not certified")
		return exitFail
	case cert.Inconclusive():
		fmt.Fprintf(stdout, "\n%s: %s (%s); not certified\n", cert.URL, report.InconclusiveText, why)
		return exitInconclusive
	case !ok:
		fmt.Fprintf(stdout, "\n%s: NOT CERTIFIED (%s)\n", cert.URL, why)
		return exitFail
	}
	fmt.Fprintf(stdout, "\n%s: CERTIFIED\n", cert.URL)
	return exitOK
}

// config is the certification the flags ask for, checked.
func (f *certifyFlags) config(stdout, stderr io.Writer) (certify.Config, error) {
	cfg := certify.Config{
		URL: f.callbacks.url, Timeout: f.timeout, Records: f.records,
		Limits: f.flood.Limits, KeepResults: f.flood.HTML != "", Progress: f.flood.Progress(stderr), Workers: f.flood.Workers,
		Console: f.Console(stdout), Log: stderr,
	}
	if f.flood.Pacing.Duration > 0 {
		cfg.Flood = f.flood.PacingOrDefault()
	}
	if f.timeout <= 0 {
		return cfg, fmt.Errorf("--timeout must be positive, got %s", f.timeout)
	}
	if err := f.Check(); err != nil {
		return cfg, err
	}
	if err := f.flood.Check(); err != nil {
		return cfg, err
	}
	var err error
	if cfg.Callbacks, err = f.callbacks.callbacks(); err != nil {
		return cfg, err
	}
	if cfg.Registry, cfg.ExpectRead, cfg.RequireRead, err = f.registry.config(f.fs); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}
