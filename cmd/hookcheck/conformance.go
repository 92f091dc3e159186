package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/container"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/steps"
	"github.com/hookcheck/hookcheck/target"
)

func init() {
	register(command{name: "conformance", summary: "run the conformance suite against a target (embedded registry, container image or URL)", run: runConformance})
}

// conformanceFlags are the flags of hookcheck conformance.
type conformanceFlags struct {
	target, profile, tokenURL                string
	clientID, clientSecret, credentials      string
	secondID, secondSecret                   string
	trigger, triggerCmd, records, memberAPI  string
	callbackBase, receiverAddr               string
	window, retryBase, tolerance, callbackTO time.Duration
	maxAttempts                              int
	maxWait, connectTimeout, progressEvery   time.Duration
	requestTimeout                           time.Duration
	consoleFlags
	set                   map[string]bool
	targetImage           string
	targetPort            int
	targetEnv, targetArgs listFlag
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func parseConformanceFlags(args []string, stdout, stderr io.Writer) (*conformanceFlags, int, bool) {
	fs := newFlags("conformance", "conformance [flags]", stderr)
	f := &conformanceFlags{}
	fs.StringVar(&f.target, "target", "embedded", `system under test: "embedded" (the reference registry in-process, scaled time), "container" (our registry image via Docker, scaled time) or the base URL of a deployment`)
	fs.StringVar(&f.targetImage, "target-image", "", "run this vendor image NAME[:TAG] as the target (host networking; needs --target-port and client credentials)")
	fs.IntVar(&f.targetPort, "target-port", 0, "port the target image listens on, on the host's loopback (required with --target-image)")
	fs.Var(&f.targetEnv, "target-env", "K=V environment for the target container (repeatable)")
	fs.Var(&f.targetArgs, "target-arg", "argument for the target container (repeatable; for our image, extra registry flags such as --retry=linear)")
	fs.StringVar(&f.profile, "profile", "orcid", "expectations: orcid (doubling retries) or orcid-2013 (fixed 5-minute retries)")
	fs.StringVar(&f.tokenURL, "token-url", "", "OAuth token endpoint (default TARGET/oauth/token)")
	fs.StringVar(&f.clientID, "client-id", "", "member client id (env HOOKCHECK_CLIENT_ID)")
	fs.StringVar(&f.clientSecret, "client-secret", "", "member client secret (env HOOKCHECK_CLIENT_SECRET; never printed)")
	fs.StringVar(&f.credentials, "credentials", "", `JSON file {"client_id","client_secret","second_client_id","second_client_secret"}`)
	fs.StringVar(&f.secondID, "second-client-id", "", "a second member client, for the another-client scenarios (env HOOKCHECK_SECOND_CLIENT_ID)")
	fs.StringVar(&f.secondSecret, "second-client-secret", "", "its secret (env HOOKCHECK_SECOND_CLIENT_SECRET; never printed)")
	fs.StringVar(&f.trigger, "trigger", "auto", "how records change: auto, control (the registry's /_hookcheck/ API), member (Member API with --records), command (--trigger-cmd)")
	fs.StringVar(&f.triggerCmd, "trigger-cmd", "", "command that changes a record, run with sh -c; {orcid} is replaced by the iD")
	fs.StringVar(&f.records, "records", "", `JSON file {"records":[{"orcid","update_token"}]}: the records the member or command trigger may change`)
	fs.StringVar(&f.memberAPI, "member-api", "", "Member API base URL for the member trigger (default the target)")
	fs.StringVar(&f.callbackBase, "callback-base", "", "public URL at which the target reaches the harness's receiver (default its loopback URL)")
	fs.StringVar(&f.receiverAddr, "receiver-addr", "127.0.0.1:0", "address the receiver listens on")
	fs.DurationVar(&f.window, "window", 0, "declared batch window (default: the profile's, scaled for embedded)")
	fs.DurationVar(&f.retryBase, "retry-base", 0, "declared delay after the first failure (default: the profile's, scaled for embedded)")
	fs.DurationVar(&f.tolerance, "tolerance", 0, "slack allowed on every expected time (default: the profile's, scaled for embedded)")
	fs.DurationVar(&f.callbackTO, "callback-timeout", 0, "declared per-call timeout of the sender (default: the profile's, scaled for embedded)")
	fs.IntVar(&f.maxAttempts, "max-attempts", 0, "declared attempts before a hook is given up (default: the profile's; 4 for embedded)")
	fs.DurationVar(&f.maxWait, "max-wait", time.Hour, "skip scenarios that need more waiting than this (e.g. max attempts against real time)")
	fs.DurationVar(&f.connectTimeout, "connect-timeout", 10*time.Second, "how long to wait for the target to answer before giving up (exit 3)")
	fs.DurationVar(&f.requestTimeout, "request-timeout", target.DefaultRequestTimeout, "how long one API request may take during the suite; a target that stops answering fails the scenarios waiting on it")
	fs.DurationVar(&f.progressEvery, "progress-every", 30*time.Second, "report progress of waits longer than this on stderr")
	f.consoleFlags.add(fs, 0, "scenarios run at once (default 8 embedded, 16 for URLs, at most the records given)", "the conformance report (JSON)")
	if code, done := parseFlags(fs, args, stdout); done {
		return nil, code, true
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	return f, 0, false
}

// credentialsFile is the --credentials file.
type credentialsFile struct {
	ClientID           string `json:"client_id"`
	ClientSecret       string `json:"client_secret"`
	SecondClientID     string `json:"second_client_id"`
	SecondClientSecret string `json:"second_client_secret"`
}

// loadCredentials reads a --credentials file.
func loadCredentials(path string) (credentialsFile, error) {
	var file credentialsFile
	b, err := os.ReadFile(path)
	if err != nil {
		return credentialsFile{}, fmt.Errorf("--credentials: %w", err)
	}
	if err := json.Unmarshal(b, &file); err != nil {
		return credentialsFile{}, fmt.Errorf("--credentials %s: not JSON like {\"client_id\":…,\"client_secret\":…}: %w", path, err)
	}
	return file, nil
}

// resolveCredentials picks the credentials from flags, then environment,
// then the credentials file.
func (f *conformanceFlags) resolveCredentials() (target.Credentials, *target.Credentials, error) {
	var file credentialsFile
	if f.credentials != "" {
		var err error
		if file, err = loadCredentials(f.credentials); err != nil {
			return target.Credentials{}, nil, err
		}
	}
	pick := func(flagVal, env, fileVal string) string {
		if flagVal != "" {
			return flagVal
		}
		if v := os.Getenv(env); v != "" {
			return v
		}
		return fileVal
	}
	main := target.Credentials{
		ID:     pick(f.clientID, "HOOKCHECK_CLIENT_ID", file.ClientID),
		Secret: pick(f.clientSecret, "HOOKCHECK_CLIENT_SECRET", file.ClientSecret),
	}
	if main.ID == "" || main.Secret == "" {
		return main, nil, errors.New("a URL target needs member client credentials: --client-id and --client-secret, HOOKCHECK_CLIENT_ID and HOOKCHECK_CLIENT_SECRET, or --credentials FILE")
	}
	second := target.Credentials{
		ID:     pick(f.secondID, "HOOKCHECK_SECOND_CLIENT_ID", file.SecondClientID),
		Secret: pick(f.secondSecret, "HOOKCHECK_SECOND_CLIENT_SECRET", file.SecondClientSecret),
	}
	if (second.ID == "") != (second.Secret == "") {
		return main, nil, errors.New("the second client needs both an id and a secret")
	}
	if second.ID == "" {
		return main, nil, nil
	}
	return main, &second, nil
}

// declaredTiming is the profile's timing (scaled for the embedded target)
// with the timing flags applied.
func (f *conformanceFlags) declaredTiming(p timing.Profile, embedded bool) timing.Timing {
	t := p.Timing
	if embedded {
		t = target.EmbeddedTiming(p)
	}
	if f.set["window"] {
		t.Window = f.window
	}
	if f.set["retry-base"] {
		t.Retry.Base = f.retryBase
	}
	if f.set["tolerance"] {
		t.Tolerance = f.tolerance
	}
	if f.set["callback-timeout"] {
		t.CallbackTimeout = f.callbackTO
	}
	if f.set["max-attempts"] {
		t.Retry.MaxAttempts = f.maxAttempts
	}
	return t
}

func runConformance(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, code, done := parseConformanceFlags(args, stdout, stderr)
	if done {
		return code
	}
	return f.run(ctx, stdout, stderr)
}

func (f *conformanceFlags) run(ctx context.Context, stdout, stderr io.Writer) int {
	profile, err := timing.LookupProfile(f.profile)
	if err != nil {
		return usageError(stderr, "--profile: %v", err)
	}
	if err := f.check(); err != nil {
		return usageError(stderr, "%v", err)
	}
	embedded := f.target == "embedded"
	ours := f.target == "container" && f.targetImage == "" // our image runs scaled, like embedded
	declared := f.declaredTiming(profile, embedded || ours)
	if err := declared.Validate(); err != nil {
		return usageError(stderr, "timing: %v", err)
	}
	if declared.Window <= 0 {
		return usageError(stderr, "--window must be positive, got %s", declared.Window)
	}
	if f.concurrency < 0 {
		return usageError(stderr, "--concurrency must be ≥ 0, got %d", f.concurrency)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--connect-timeout", f.connectTimeout}, {"--request-timeout", f.requestTimeout}, {"--max-wait", f.maxWait}, {"--progress-every", f.progressEvery}} {
		if d.v <= 0 {
			return usageError(stderr, "%s must be positive, got %s", d.name, d.v)
		}
	}

	var tgt *target.Target
	switch {
	case f.target == "container" || f.targetImage != "":
		var code int
		tgt, code = f.containerTarget(ctx, declared, stderr)
		if code != exitOK {
			return code
		}
		if f.concurrency == 0 {
			f.concurrency = 8
		}
	case embedded:
		tgt, err = target.StartEmbedded(ctx, target.RegistryConfig(declared))
		if err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitUsage
		}
		if f.concurrency == 0 {
			f.concurrency = 8
		}
	default:
		var code int
		tgt, code = f.urlTarget(ctx, stderr)
		if code != exitOK {
			return code
		}
		if f.concurrency == 0 {
			f.concurrency = 16
		}
	}
	defer tgt.Close()
	tgt.CallbackBase = f.callbackBase
	tgt.ReceiverAddr = f.receiverAddr
	if info := tgt.Info; info != nil && !embedded && info.Timing.Window != declared.Window.String() {
		fmt.Fprintf(stderr, "hookcheck: note: the target declares window %s, retry %s from %s, max attempts %d; the suite expects window %s, retry %s (use --window, --retry-base, --max-attempts to run scaled)\n",
			info.Timing.Window, info.Timing.Retry, info.Timing.RetryBase, info.Timing.MaxAttempts, declared.Window, declared.Retry)
	}

	cfg := steps.Config{
		Target: tgt, Profile: profile, Timing: declared,
		MaxWait: f.maxWait, Progress: stderr, ProgressMin: f.progressEvery,
		Console: f.console(stdout),
	}
	fmt.Fprintf(stderr, "hookcheck: conformance of %s %s (version %s), profile %s: window %s, retry %s, max attempts %d, tolerance %s (%.0f× real time), trigger %s\n",
		tgt.Kind, tgt.URL, tgt.Version(), profile.Name, declared.Window, declared.Retry, declared.Retry.MaxAttempts, declared.Tolerance, declared.Scale(), tgt.Trigger.Name())
	res, err := steps.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUsage
	}
	printSummary(stdout, res)
	if f.report != "" {
		rep, err := report.NewConformance(cfg.ReportRun(), res)
		if err == nil {
			err = rep.WriteFile(f.report)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hookcheck: %v\n", err)
			return exitUsage
		}
	}
	switch {
	case res.Interrupted && f.report != "":
		fmt.Fprintf(stderr, "hookcheck: interrupted: partial report written to %s\n", f.report)
		return exitFail
	case res.Interrupted:
		fmt.Fprintln(stderr, "hookcheck: interrupted: partial report")
		return exitFail
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "hookcheck: interrupted")
		return exitFail
	}
	if !res.Conforms() {
		return exitFail
	}
	return exitOK
}

// urlTarget builds a URL target: credentials, reachability, trigger.
func (f *conformanceFlags) urlTarget(ctx context.Context, stderr io.Writer) (*target.Target, int) {
	u, err := url.Parse(f.target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError(stderr, `--target must be "embedded" or an http(s) URL, got %q`, f.target)
	}
	main, second, err := f.resolveCredentials()
	if err != nil {
		return nil, usageError(stderr, "%v", err)
	}
	t := target.NewURLTarget(f.target, f.tokenURL, main)
	t.SecondClient = second
	t.ConnectTimeout = f.connectTimeout
	t.RequestTimeout = f.requestTimeout
	if err := t.Probe(ctx, f.connectTimeout); err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return nil, exitUnreachable
	}
	if err := t.LoadInfo(ctx); err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return nil, exitUnreachable
	}
	// The token endpoint first: a target that does not speak OAuth is
	// reported as such, not as a trigger it cannot serve.
	if err := target.CheckCredentials(ctx, t); err != nil {
		return nil, credentialsError(stderr, err)
	}
	trig, err := f.makeTrigger(t)
	if err != nil {
		return nil, usageError(stderr, "%v", err)
	}
	t.Trigger = trig
	return t, exitOK
}

// credentialsError prints a target.CheckCredentials failure and returns its
// exit code: no answer is exit 3, an answer that is not OAuth exit 1, a
// refusal (bad credentials or token URL) exit 2.
func credentialsError(stderr io.Writer, err error) int {
	switch {
	case errors.Is(err, target.ErrUnreachable):
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUnreachable
	case errors.Is(err, target.ErrNotConformant):
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitFail
	}
	return usageError(stderr, "%v", err)
}

// containerTarget starts our image (--target container) or a vendor's
// (--target-image) and makes it a target.
func (f *conformanceFlags) containerTarget(ctx context.Context, declared timing.Timing, stderr io.Writer) (*target.Target, int) {
	env := map[string]string{}
	for _, kv := range f.targetEnv {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageError(stderr, "--target-env must be K=V, got %q", kv)
		}
		env[k] = v
	}
	opts := container.Options{Image: f.targetImage, Env: env, Port: f.targetPort, Args: f.targetArgs}
	var client *target.Credentials
	if f.targetImage != "" {
		if f.targetPort <= 0 || f.targetPort > 65535 {
			return nil, usageError(stderr, "--target-image needs --target-port (1-65535), the port the image listens on")
		}
		main, _, err := f.resolveCredentials()
		if err != nil {
			return nil, usageError(stderr, "%v", err)
		}
		client = &main
	}
	fmt.Fprintf(stderr, "hookcheck: starting the target container (%s)…\n", map[bool]string{true: f.targetImage, false: "our registry image, built from the Dockerfile"}[f.targetImage != ""])
	t, err := target.StartContainer(ctx, opts, target.RegistryConfig(declared), client)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return nil, exitUnreachable
	}
	if t.Trigger == nil {
		trig, err := f.makeTrigger(t)
		if err != nil {
			t.Close()
			return nil, usageError(stderr, "%v", err)
		}
		t.Trigger = trig
	}
	if err := target.CheckCredentials(ctx, t); err != nil {
		t.Close()
		return nil, credentialsError(stderr, err)
	}
	return t, exitOK
}

// makeTrigger chooses how records change on a URL target.
func (f *conformanceFlags) makeTrigger(t *target.Target) (target.Trigger, error) {
	kind := f.trigger
	if kind == "auto" {
		switch {
		case f.triggerCmd != "":
			kind = "command"
		case f.records != "":
			kind = "member"
		case t.HasControl():
			kind = "control"
		default:
			return nil, errors.New("no trigger: the target has no /_hookcheck/ control API; give --trigger-cmd 'cmd {orcid}' or --records FILE with update tokens for the Member API")
		}
	}
	switch kind {
	case "control":
		if !t.HasControl() {
			return nil, fmt.Errorf("--trigger control: %s/_hookcheck/info does not answer like the reference registry", t.URL)
		}
		return target.NewControlTrigger(t.URL, nil), nil
	case "member", "command":
		if f.records == "" {
			return nil, fmt.Errorf("--trigger %s needs --records FILE listing the records it may change", kind)
		}
		recs, err := target.LoadRecords(f.records)
		if err != nil {
			return nil, err
		}
		if kind == "command" {
			if f.triggerCmd == "" {
				return nil, errors.New("--trigger command needs --trigger-cmd 'cmd {orcid}'")
			}
			return target.NewCommandTrigger(f.triggerCmd, recs)
		}
		api := f.memberAPI
		if api == "" {
			api = t.URL
		}
		return target.NewMemberTrigger(api, recs, nil)
	}
	return nil, fmt.Errorf("--trigger must be auto, control, member or command, got %q", f.trigger)
}

// printSummary prints the verdict per area and every failure and skip with
// its reason (godog's formatters do not show skip reasons).
func printSummary(w io.Writer, res *report.Result) {
	fmt.Fprintf(w, "\nConformance: %s — %d scenarios: %d passed, %d failed, %d skipped, %d undefined (%s)\n",
		strings.ToUpper(res.Verdict), res.Counts.Scenarios, res.Counts.Passed, res.Counts.Failed, res.Counts.Skipped, res.Counts.Undefined, res.Duration.Round(time.Millisecond))
	if res.Interrupted {
		fmt.Fprintln(w, "  interrupted: partial report — scenarios cut off are skipped, not judged")
	}
	for _, a := range res.Areas {
		fmt.Fprintf(w, "  %-11s %-8s %d/%d passed\n", a.Area, a.Result, a.Counts.Passed, a.Counts.Scenarios)
	}
	for _, s := range res.Scenarios {
		switch s.Status {
		case report.StatusFailed, report.StatusUndefined:
			fmt.Fprintf(w, "FAILED  %s: %s\n", s.ID, s.Message)
		case report.StatusSkipped:
			fmt.Fprintf(w, "SKIPPED %s: %s\n", s.ID, s.Message)
		}
	}
}
