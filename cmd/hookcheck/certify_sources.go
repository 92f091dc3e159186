package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/hookcheck/hookcheck/target"
)

// callbackFlags say where certify-receiver's callback URLs come from.
type callbackFlags struct {
	url, file, cmd string
}

func (f *callbackFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&f.url, "url", "", `the receiver's callback URL (http or https); "{orcid}" in it is replaced by the record's iD, else the iD is appended as a path segment`)
	fs.StringVar(&f.url, "callback-template", "", "the same as --url")
	fs.StringVar(&f.file, "callbacks", "", `a file of per-record callback URLs, JSON [{"orcid","url"}] or CSV orcid,url rows, with an "unknown" row (a record the receiver does not know)`)
	fs.StringVar(&f.cmd, "callback-cmd", "", `a command that prints a record's callback URL, run through sh -c with {orcid} replaced (your own signer), e.g. 'python sign.py {orcid}'`)
}

// callbacks are the callbacks the flags name; exactly one source is needed.
func (f *callbackFlags) callbacks() (target.Callbacks, error) {
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

// registryFlags say which registry the receiver reads records from.
type registryFlags struct {
	registry, addr, clientID, clientSecret, records string
	expectRead, requireRead                         bool
}

func (f *registryFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&f.registry, "registry", "none", `the registry the receiver reads notified records from: "none", "embedded" (the reference registry, in-process) or the URL of a running "hookcheck registry"`)
	fs.StringVar(&f.addr, "registry-addr", "", "embedded: the address it listens on (HOST:PORT), so that the receiver can be configured with it before it starts (default: a free loopback port)")
	fs.StringVar(&f.clientID, "registry-client-id", envOr("HOOKCHECK_REGISTRY_CLIENT_ID", ""), "embedded: the member client it knows (env HOOKCHECK_REGISTRY_CLIENT_ID; default: a made-up one)")
	fs.StringVar(&f.clientSecret, "registry-client-secret", "", "embedded: that client's secret (env HOOKCHECK_REGISTRY_CLIENT_SECRET; never printed)")
	fs.StringVar(&f.records, "registry-records", "", `the records the receiver knows, {"records":[{"orcid","update_token"}],"tokens":["…"]} (update_token: a token the record's owner granted; tokens: access tokens the receiver keeps for its client; both optional), created before the receiver is called`)
	fs.BoolVar(&f.expectRead, "expect-record-read", true, "with --registry: match every notification answered 2xx to a read of its record on the registry; a missing read is a warning")
	fs.BoolVar(&f.requireRead, "require-record-read", false, "with --registry: a notification answered 2xx without a read of its record fails the certification")
}

// config is the registry the flags ask for (nil: none), and whether
// record reads are expected and required.
func (f *registryFlags) config(fs *flag.FlagSet) (*target.CertifyRegistry, bool, bool, error) {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
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
