package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/fixtures/webhooksig"
)

// signingProfiles map the profiles whose senders sign to the receiver's
// verification scheme; every other known profile (orcid, orcid-2013 …)
// sends unsigned deliveries.
var signingProfiles = map[string]string{
	"standard-webhooks": receiver.SchemeStandardWebhooks,
}

// signature holds the flags that say how deliveries are signed.
type signature struct {
	fs        *flag.FlagSet
	profile   *string
	secret    *string
	tolerance *time.Duration
}

func signatureFlags(fs *flag.FlagSet) signature {
	return signature{
		fs:        fs,
		profile:   fs.String("profile", "orcid", "what a delivery looks like: orcid, orcid-2013 (unsigned), or standard-webhooks (signed: needs --secret)"),
		secret:    fs.String("secret", "", "the endpoint's signing secret, whsec_… (default: env "+secretEnv+")"),
		tolerance: fs.Duration("timestamp-tolerance", 0, "how far webhook-timestamp may be from arrival, either way (default 5m, the specification's libraries')"),
	}
}

// resolve turns the flags into the receiver's verification, refusing a
// secret without a signing profile and a signing profile without a secret.
// It warns on stderr of a secret shorter than the specification allows.
func (s signature) resolve(stderr io.Writer) (receiver.Verify, error) {
	name := *s.profile
	scheme, signs := signingProfiles[name]
	if !signs {
		if _, err := timing.LookupProfile(name); err != nil {
			known := slices.Sorted(maps.Keys(signingProfiles))
			for n := range timing.Profiles {
				known = append(known, n)
			}
			slices.Sort(known)
			return receiver.Verify{}, fmt.Errorf("--profile %q: want one of %s", name, strings.Join(known, ", "))
		}
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
	return receiver.Verify{Scheme: scheme, Secret: secret, Tolerance: *s.tolerance}, nil
}
