package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
	"github.com/hookcheck/hookcheck/steps"
	"github.com/hookcheck/hookcheck/target"
)

func init() {
	register(command{name: "certify-receiver", summary: "certify a member's callback endpoint: play the registry and judge its answers", run: runCertify})
}

// certifyFlags are the flags of hookcheck certify-receiver.
type certifyFlags struct {
	url, registry string
	timeout       time.Duration
	consoleFlags
	records int
	flood   attackFlags
}

const certifySynopsis = `certify-receiver --url URL [flags]

Certifies a member's callback endpoint (the receiving side of ORCID webhooks):
hookcheck plays the registry and calls the receiver as ORCID does: a POST with
an empty body and "Content-Length: 0", HTTP/1.1, redirects not followed, one
timeout for the whole call. Scenarios (features/receiver.feature, @receiver):
RCV-01 an empty notification gets a 2xx (204 recommended; others are noted),
RCV-02 the answer comes within half the callback timeout, RCV-03/04 repeated
and concurrent duplicate notifications for one record all get a 2xx, RCV-05 a
notification for an unknown record gets no 5xx, RCV-06 the answers to GET, PUT
and DELETE are noted (never fail).

The callback URL of a record: --url with "{orcid}" replaced by the record's iD,
e.g. --url 'https://member.example/orcid/{orcid}/updated'; without "{orcid}",
the iD is appended to the URL's path as a segment, e.g. --url
https://member.example/orcid calls https://member.example/orcid/0009-…-…-…

With --registry embedded the reference registry runs in-process on loopback
and every record of the scenarios (but RCV-05's) is a real record of it: a
receiver that reads the record when called can GET
REGISTRY/v3.0/{orcid}/record. Its URL is printed ("reference registry for
record reads: URL") and written into the report.

Then a flood: vegeta sends notifications (empty POSTs) at --rate for
--duration, round-robin over --records record callbacks, with the registry's
timeout and no redirects followed. Its verdicts are thresholds on the 2xx
share and the answer latency: by default 'success>=99.9%' and p99 under half
the callback timeout; any --threshold replaces them. Figures and plots as for
load: --json, --html, --results. --duration 0 skips the flood.

Exit codes: 0 certified, 1 not certified (a scenario or a flood threshold
failed, or interrupted), 2 usage error, 3 receiver unreachable (the probe's
TCP connection failed).`

func parseCertifyFlags(args []string, stdout, stderr io.Writer) (*certifyFlags, int, bool) {
	fs := newFlags("certify-receiver", certifySynopsis, stderr)
	f := &certifyFlags{}
	fs.StringVar(&f.url, "url", "", `the receiver's callback URL (required, http or https); "{orcid}" in it is replaced by the record's iD, else the iD is appended as a path segment`)
	fs.StringVar(&f.url, "callback-template", "", "the same as --url")
	fs.DurationVar(&f.timeout, "timeout", target.DefaultCallbackTimeout, "the registry's callback timeout (ORCID: 20s); answers must come within half of it")
	fs.StringVar(&f.registry, "registry", "none", `"none", or "embedded": run the reference registry in-process so that the receiver can read the notified records`)
	f.consoleFlags.add(fs, 1, "scenarios run at once (1 keeps one scenario's load from slowing another's answers)", "the conformance report (JSON; the target is the receiver's URL, with the flood's figures)")
	fs.IntVar(&f.records, "records", 100, "flood: distinct record callbacks the notifications go round")
	f.flood.add(fs, "flood: notifications", 100, 10*time.Second)
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
	switch {
	case f.url == "":
		return usageError(stderr, "certify-receiver: --url is required: the receiver's callback URL, e.g. --url 'https://member.example/orcid/{orcid}/updated' (see --help)")
	case target.CheckReceiverURL(f.url) != nil:
		return usageError(stderr, "certify-receiver: --url must be an absolute http(s) URL (%v)", target.CheckReceiverURL(f.url))
	case f.timeout <= 0:
		return usageError(stderr, "certify-receiver: --timeout must be positive, got %s", f.timeout)
	case f.registry != "none" && f.registry != "embedded":
		return usageError(stderr, "certify-receiver: --registry must be none or embedded, got %q", f.registry)
	case f.check() != nil:
		return usageError(stderr, "certify-receiver: %v", f.check())
	case f.concurrency < 1:
		return usageError(stderr, "certify-receiver: --concurrency must be ≥ 1, got %d", f.concurrency)
	case f.records < 1:
		return usageError(stderr, "certify-receiver: --records must be ≥ 1, got %d", f.records)
	}
	if f.flood.pacing.Duration > 0 {
		if err := f.flood.pacingOrDefault().Validate(); err != nil {
			return usageError(stderr, "certify-receiver: flood: %v", err)
		}
	}
	if err := target.ProbeReceiver(ctx, f.url, f.timeout); err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUnreachable
	}

	cfg := steps.CertifyConfig{URL: f.url, Timeout: f.timeout, Console: f.console(stdout)}
	if f.registry == "embedded" {
		reg, err := target.StartCertifyRegistry(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitUsage
		}
		defer reg.Close()
		cfg.Registry = reg
		fmt.Fprintf(stderr, "hookcheck: reference registry for record reads: %s (GET %s/v3.0/{orcid}/record)\n", reg.URL, reg.URL)
	}
	fmt.Fprintf(stderr, "hookcheck: certifying receiver %s (callback timeout %s, e.g. %s)\n",
		f.url, f.timeout, target.CallbackURL(f.url, orcid.FromNumber(900_000_000_000)))

	cert, err := steps.CertifyReceiver(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUsage
	}
	printCertification(stdout, cert)

	var rep *steps.CertifyReport
	if f.report != "" {
		if rep, err = steps.NewCertifyReport(cert); err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitUsage
		}
	}
	floodHeld := true
	if f.flood.pacing.Duration > 0 && !cert.Interrupted && ctx.Err() == nil {
		sum, code := f.runFlood(ctx, cfg.Registry, stdout, stderr)
		switch {
		case sum == nil:
			return code
		case code != exitOK:
			floodHeld = false
		}
		if rep != nil {
			rep.AddFlood(sum, floodHeld, floodFailures(sum))
		}
	}
	if rep != nil {
		if err := rep.WriteFile(f.report); err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitUsage
		}
	}
	switch {
	case cert.Interrupted || ctx.Err() != nil:
		fmt.Fprintln(stderr, "hookcheck: interrupted: the receiver is not certified")
		return exitFail
	case !cert.Conforms():
		fmt.Fprintf(stdout, "\n%s: NOT CERTIFIED (a scenario failed)\n", f.url)
		return exitFail
	case !floodHeld:
		fmt.Fprintf(stdout, "\n%s: NOT CERTIFIED (the flood failed its thresholds)\n", f.url)
		return exitFail
	}
	fmt.Fprintf(stdout, "\n%s: CERTIFIED\n", f.url)
	return exitOK
}

// printCertification prints the scenarios' verdict, every failure with its reason and
// the notes.
func printCertification(w io.Writer, c *steps.Certification) {
	verdict := "passed"
	if !c.Conforms() || c.Interrupted {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "\nReceiver scenarios against %s: %s — %d scenarios: %d passed, %d failed, %d skipped, %d undefined (%s)\n",
		c.URL, verdict, c.Counts.Scenarios, c.Counts.Passed, c.Counts.Failed, c.Counts.Skipped, c.Counts.Undefined, c.Duration.Round(time.Millisecond))
	if c.RegistryURL != "" {
		fmt.Fprintf(w, "  reference registry for record reads: %s\n", c.RegistryURL)
	}
	for _, s := range c.Scenarios {
		switch s.Status {
		case steps.StatusFailed, steps.StatusUndefined:
			fmt.Fprintf(w, "FAILED  %s: %s\n", s.ID, s.Message)
		case steps.StatusSkipped:
			fmt.Fprintf(w, "SKIPPED %s: %s\n", s.ID, s.Message)
		}
	}
	for _, n := range c.Notes {
		fmt.Fprintf(w, "NOTE    %s: %s\n", n.ID, n.Text)
	}
}
