package certify

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/steps"

	"github.com/hookcheck/hookcheck/target"
)

// CallbackFlags say where certify-receiver's callback URLs come from.
type CallbackFlags struct {
	url, file, cmd string
}

// AddFlags declares the flags into f.
func (f *CallbackFlags) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&f.url, "url", "", `the receiver's callback URL (http or https); "{orcid}" in it is replaced by the record's iD, else the iD is appended as a path segment`)
	fs.StringVar(&f.url, "callback-template", "", "the same as --url")
	fs.StringVar(&f.file, "callbacks", "", `a file of per-record callback URLs, JSON [{"orcid","url"}] or CSV orcid,url rows, with an "unknown" row (a record the receiver does not know)`)
	fs.StringVar(&f.cmd, "callback-cmd", "", `a command that prints a record's callback URL, run through sh -c with {orcid} replaced (your own signer), e.g. 'python sign.py {orcid}'`)
}

// callbacks are the callbacks the flags name; exactly one source is needed.
func (f *CallbackFlags) callbacks() (target.Callbacks, error) {
	n := 0
	for _, v := range []string{f.url, f.file, f.cmd} {
		if v != "" {
			n++
		}
	}
	switch {
	case n == 0:
		return nil, fmt.Errorf("--url, --callbacks or --callback-cmd is required: the receiver's callback URLs, e.g. --url 'https://member.example/orcid/{orcid}/updated' (see --help)")
	case n > 1:
		return nil, fmt.Errorf("--url, --callbacks and --callback-cmd each give the callback URLs: give one of them")
	case f.file != "":
		return target.LoadCallbacks(f.file)
	case f.cmd != "":
		return target.CommandCallbacks(f.cmd)
	}
	return nil, nil // the URL: checked with the config
}

// RegistryFlags say which registry the receiver reads records from.
type RegistryFlags struct {
	registry, addr, clientID, clientSecret, records string
	expectRead, requireRead                         bool
}

// AddFlags declares the flags into f.
func (f *RegistryFlags) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&f.registry, "registry", "none", `the registry the receiver reads notified records from: "none", "embedded" (the reference registry, in-process) or the URL of a running "hookcheck registry"`)
	fs.StringVar(&f.addr, "registry-addr", "", "embedded: the address it listens on (HOST:PORT), so that the receiver can be configured with it before it starts (default: a free loopback port)")
	fs.StringVar(&f.clientID, "registry-client-id", "", "embedded: the member client it knows (env HOOKCHECK_REGISTRY_CLIENT_ID; default: a made-up one)")
	fs.StringVar(&f.clientSecret, "registry-client-secret", "", "embedded: that client's secret (env HOOKCHECK_REGISTRY_CLIENT_SECRET; never printed)")
	fs.StringVar(&f.records, "registry-records", "", `the records the receiver knows, {"records":[{"orcid","update_token"}],"tokens":["…"]} (update_token: a token the record's owner granted; tokens: access tokens the receiver keeps for its client; both optional), created before the receiver is called`)
	fs.BoolVar(&f.expectRead, "expect-record-read", true, "with --registry: match every notification answered 2xx to a read of its record on the registry; a missing read is a warning")
	fs.BoolVar(&f.requireRead, "require-record-read", false, "with --registry: a notification answered 2xx without a read of its record fails the certification")
}

// config is the registry the flags ask for (nil: none), and whether
// record reads are expected and required.
func (f *RegistryFlags) config(fs *flag.FlagSet) (*target.CertifyRegistry, bool, bool, error) {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if f.clientID == "" {
		f.clientID = os.Getenv("HOOKCHECK_REGISTRY_CLIENT_ID")
	}
	if f.clientSecret == "" {
		f.clientSecret = os.Getenv("HOOKCHECK_REGISTRY_CLIENT_SECRET")
	}
	if f.registry == "none" {
		for _, name := range []string{"registry-addr", "registry-client-id", "registry-client-secret", "registry-records", "require-record-read", "expect-record-read"} {
			if set[name] {
				return nil, false, false, fmt.Errorf("--%s needs --registry embedded (or a hookcheck registry's URL)", name)
			}
		}
		return nil, false, false, nil
	}
	c := &target.CertifyRegistry{Addr: f.addr, Client: target.Credentials{ID: f.clientID, Secret: f.clientSecret}}
	switch {
	case f.registry == "embedded":
	case strings.HasPrefix(f.registry, "http://") || strings.HasPrefix(f.registry, "https://"):
		if f.addr != "" || f.clientID != "" || f.clientSecret != "" {
			return nil, false, false, fmt.Errorf("--registry-addr and --registry-client-id/secret are for --registry embedded: a running hookcheck registry has its own (hookcheck registry --addr --client-id --client-secret)")
		}
		c.URL = strings.TrimRight(f.registry, "/")
	default:
		return nil, false, false, fmt.Errorf(`--registry must be "none", "embedded" or a hookcheck registry's http(s) URL, got %q`, f.registry)
	}
	if (f.clientID == "") != (f.clientSecret == "") {
		return nil, false, false, fmt.Errorf("--registry-client-id and --registry-client-secret go together: give both or neither")
	}
	if f.records != "" {
		recs, tokens, err := target.LoadRegistryRecords(f.records)
		if err != nil {
			return nil, false, false, fmt.Errorf("--registry-records: %w", err)
		}
		c.Records, c.Tokens = recs, tokens
	}
	return c, f.expectRead || f.requireRead, f.requireRead, nil
}

// Flags are the flags of hookcheck certify-receiver.
type Flags struct {
	fs        *flag.FlagSet
	Callbacks CallbackFlags
	Registry  RegistryFlags
	Timeout   time.Duration
	Console   steps.ConsoleFlags
	Records   int
	Flood     loadgen.AttackFlags
}

// AddFlags declares the flags into f.
func (f *Flags) AddFlags(fs *flag.FlagSet) {
	f.fs = fs
	f.Callbacks.AddFlags(fs)
	fs.DurationVar(&f.Timeout, "timeout", target.DefaultCallbackTimeout, "the registry's callback timeout (ORCID: 20s); answers must come within half of it")
	f.Registry.AddFlags(fs)
	f.Console.AddFlags(fs, 1, "scenarios run at once (1 keeps one scenario's load from slowing another's answers)", "the conformance report (JSON; the target is the receiver's URL, with the flood's figures)")
	fs.IntVar(&f.Records, "records", 100, "flood: distinct record callbacks the notifications go round")
	f.Flood.AddFlags(fs, "flood notifications", 100, 10*time.Second, true)
}

// Config is the certification the flags ask for, checked.
func (f *Flags) Config(stdout, stderr io.Writer) (Config, error) {
	cfg := Config{
		URL: f.Callbacks.url, Timeout: f.Timeout, Records: f.Records,
		Limits: f.Flood.Limits, KeepResults: f.Flood.HTML != "", Progress: f.Flood.Progress(stderr), Workers: f.Flood.Workers,
		Console: f.Console.Console(stdout), Log: stderr,
	}
	if f.Flood.Pacing.Duration > 0 {
		cfg.Flood = f.Flood.PacingOrDefault()
	}
	if f.Timeout <= 0 {
		return cfg, fmt.Errorf("--timeout must be positive, got %s", f.Timeout)
	}
	if err := f.Console.Check(); err != nil {
		return cfg, err
	}
	if err := steps.CheckReceiverTags(f.Console.Tags); err != nil {
		return cfg, err
	}
	if err := f.Flood.Check(); err != nil {
		return cfg, err
	}
	var err error
	if cfg.Callbacks, err = f.Callbacks.callbacks(); err != nil {
		return cfg, err
	}
	if cfg.Registry, cfg.ExpectRead, cfg.RequireRead, err = f.Registry.config(f.fs); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}
