package main

import (
	"io"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/target"
)

// conformanceFlags are the flags of hookcheck conformance.
type conformanceFlags struct {
	spec                   target.Spec
	profile                string
	overrides              func(judge.Profile) (judge.Profile, error)
	behaviour              string
	maxWait, progressEvery time.Duration
	consoleFlags
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func parseConformanceFlags(args []string, stdout, stderr io.Writer) (*conformanceFlags, int, bool) {
	fs := newFlags("conformance", stderr)
	f := &conformanceFlags{}
	fs.StringVar(&f.spec.Target, "target", "embedded", `system under test: "embedded" (the reference registry in-process, scaled time), "container" (our registry image via Docker, scaled time) or the base URL of a deployment`)
	fs.StringVar(&f.spec.Image, "target-image", "", "run this vendor image NAME[:TAG] as the target (host networking; needs --target-port and client credentials)")
	fs.IntVar(&f.spec.Port, "target-port", 0, "port the target image listens on, on the host's loopback (required with --target-image)")
	fs.Var((*listFlag)(&f.spec.Env), "target-env", "K=V environment for the target container (repeatable)")
	fs.Var((*listFlag)(&f.spec.Args), "target-arg", "argument for the target container (repeatable; for our image, extra registry flags such as --retry=linear)")
	fs.StringVar(&f.profile, "profile", "orcid", "expectations: orcid (doubling retries), orcid-2013 (fixed 5-minute retries), orcid-registry (ORCID's code: linear 10 min × n), or a profile file")
	fs.StringVar(&f.spec.TokenURL, "token-url", "", "OAuth token endpoint (default TARGET/oauth/token)")
	fs.StringVar(&f.spec.Clients.ID, "client-id", "", "member client id (env HOOKCHECK_CLIENT_ID)")
	fs.StringVar(&f.spec.Clients.Secret, "client-secret", "", "member client secret (env HOOKCHECK_CLIENT_SECRET; never printed)")
	fs.StringVar(&f.spec.Clients.File, "credentials", "", `JSON file {"client_id","client_secret","second_client_id","second_client_secret"}`)
	fs.StringVar(&f.spec.Clients.SecondID, "second-client-id", "", "a second member client, for the another-client scenarios (env HOOKCHECK_SECOND_CLIENT_ID)")
	fs.StringVar(&f.spec.Clients.SecondSecret, "second-client-secret", "", "its secret (env HOOKCHECK_SECOND_CLIENT_SECRET; never printed)")
	fs.StringVar(&f.spec.Trigger, "trigger", "auto", "how records change: auto, control (the registry's /_hookcheck/ API), member (Member API with --records), command (--trigger-cmd)")
	fs.StringVar(&f.spec.TriggerCmd, "trigger-cmd", "", "command that changes a record, run with sh -c; {orcid} is replaced by the iD")
	fs.StringVar(&f.spec.Records, "records", "", `JSON file {"records":[{"orcid","update_token"}]}: the records the member or command trigger may change`)
	fs.StringVar(&f.spec.MemberAPI, "member-api", "", "Member API base URL for the member trigger (default the target)")
	fs.StringVar(&f.spec.CallbackBase, "callback-base", "", "public URL at which the target reaches the harness's receiver (default its loopback URL)")
	fs.StringVar(&f.spec.ReceiverAddr, "receiver-addr", "127.0.0.1:0", "address the receiver listens on")
	fs.StringVar(&f.behaviour, "target-behaviour", "", "embedded and container targets: how our registry behaves, docs (ORCID's documentation) or orcid-registry (ORCID's code); default: what the profile describes (orcid-registry for that profile, else docs)")
	f.overrides = judge.OverrideFlags(fs)
	fs.DurationVar(&f.maxWait, "max-wait", time.Hour, "skip scenarios that need more waiting than this (e.g. max attempts against real time)")
	fs.DurationVar(&f.spec.ConnectTimeout, "connect-timeout", 10*time.Second, "how long to wait for the target to answer before giving up (exit 3)")
	fs.DurationVar(&f.spec.RequestTimeout, "request-timeout", target.DefaultRequestTimeout, "how long one API request may take during the suite; a target that stops answering fails the scenarios waiting on it")
	fs.DurationVar(&f.progressEvery, "progress-every", 30*time.Second, "report progress of waits longer than this on stderr")
	f.consoleFlags.add(fs, 0, "scenarios run at once (default 8 embedded, 16 for URLs, at most the records given)", "the conformance report (JSON)")
	if code, done := parseFlags(fs, args, stdout); done {
		return nil, code, true
	}
	return f, 0, false
}
