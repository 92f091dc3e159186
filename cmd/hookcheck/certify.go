package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/hookcheck/hookcheck/certify"
	"github.com/hookcheck/hookcheck/internal/cli"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
)

func init() {
	register(command{name: "certify-receiver", summary: "certify a member's callback endpoint: play the registry and judge its answers", run: runCertify})
}

func runCertify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("certify-receiver", stderr)
	var f certify.Flags
	f.AddFlags(fs)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	return certifyFlags(ctx, &f, stdout, stderr)
}

// certifyFlags certifies the receiver f names and prints the verdict.
func certifyFlags(ctx context.Context, f *certify.Flags, stdout, stderr io.Writer) int {
	cfg, err := f.Config(stdout, stderr)
	if err != nil {
		return usageError(stderr, "certify-receiver: %v", err)
	}
	cli.TuneGCForAttack()
	enc, closer, err := f.Flood.Encoder()
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
		if err := report.WriteLoad(cert.Flood, cert.FloodResults, report.LoadOutputs{Text: stdout, JSON: f.Flood.JSON, HTML: f.Flood.HTML}); err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitFail
		}
	}
	if f.Console.Report != "" {
		rep, err := cert.Report()
		if err == nil {
			err = rep.WriteFile(f.Console.Report)
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
