package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/webhooksig"
	"github.com/hookcheck/hookcheck/judge"
)

// signature holds the flags that say how deliveries are signed.
type signature struct {
	fs        *flag.FlagSet
	profile   *string
	secret    *string
	tolerance *time.Duration
}

// signatureFlags declares --secret and --timestamp-tolerance; profile is
// the command's --profile, whose signature scheme they serve.
func signatureFlags(fs *flag.FlagSet, profile *string) signature {
	return signature{
		fs:        fs,
		profile:   profile,
		secret:    fs.String("secret", "", "the endpoint's signing secret, whsec_…, for profiles that sign (default: env "+secretEnv+")"),
		tolerance: fs.Duration("timestamp-tolerance", 0, "how far webhook-timestamp may be from arrival, either way (default 5m, the specification's libraries')"),
	}
}

// resolve turns the flags into the receiver's verification, refusing a
// secret without a signing profile and a signing profile without a secret.
// It warns on stderr of a secret shorter than the specification allows.
func (s signature) resolve(stderr io.Writer) (receiver.Verify, error) {
	p, err := judge.LoadProfile(*s.profile)
	if err != nil {
		return receiver.Verify{}, fmt.Errorf("--profile: %w", err)
	}
	name, scheme := p.Name, p.Signature.Scheme
	signs := scheme != ""
	if signs && scheme != receiver.SchemeStandardWebhooks {
		return receiver.Verify{}, fmt.Errorf("--profile %s: signature scheme %q: the receiver verifies %s only", name, scheme, receiver.SchemeStandardWebhooks)
	}
	tolerance := *s.tolerance
	if tolerance == 0 && !set(s.fs, "timestamp-tolerance") {
		tolerance = p.Signature.Tolerance
	}
	secret, fromEnv := *s.secret, false
	if secret == "" && signs {
		secret, fromEnv = os.Getenv(secretEnv), true
	}
	switch {
	case !signs && secret != "":
		return receiver.Verify{}, fmt.Errorf("--secret: profile %s sends unsigned deliveries; for signed ones use --profile standard-webhooks", name)
	case !signs && set(s.fs, "timestamp-tolerance"):
		return receiver.Verify{}, fmt.Errorf("--timestamp-tolerance: profile %s sends unsigned deliveries", name)
	case !signs:
		return receiver.Verify{}, nil
	case secret == "":
		return receiver.Verify{}, fmt.Errorf("--profile %s verifies signatures: give the endpoint's secret with --secret or %s", name, secretEnv)
	case *s.tolerance < 0 || (*s.tolerance == 0 && set(s.fs, "timestamp-tolerance")):
		return receiver.Verify{}, fmt.Errorf("--timestamp-tolerance must be positive, got %s", *s.tolerance)
	}
	src := "--secret"
	if fromEnv {
		src = secretEnv
	}
	sec, err := webhooksig.ParseSecret(secret)
	if err != nil {
		return receiver.Verify{}, fmt.Errorf("%s: %w", src, err)
	}
	if sec.Short() {
		fmt.Fprintf(stderr, "hookcheck: warning: %s is shorter than the %d bytes the Standard Webhooks specification asks\n", src, webhooksig.MinSecretBytes)
	}
	return receiver.Verify{Scheme: scheme, Secret: secret, Tolerance: tolerance}, nil
}

// set reports whether flag name was given on the command line.
func set(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
