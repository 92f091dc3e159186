package judge

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/webhooksig"
	"github.com/hookcheck/hookcheck/internal/cli"
)

// SignatureFlags are the flags that say how deliveries are signed and
// verified (receiver, analyze).
type SignatureFlags struct {
	fs        *flag.FlagSet
	profile   *string
	Secret    *string
	tolerance *time.Duration
}

// NewSignatureFlags declares --secret and --timestamp-tolerance; profile
// is the command's --profile, whose signature scheme they serve.
func NewSignatureFlags(fs *flag.FlagSet, profile *string) SignatureFlags {
	return SignatureFlags{
		fs:        fs,
		profile:   profile,
		Secret:    fs.String("secret", "", "the endpoint's signing secret, whsec_…, for profiles that sign (default: env "+SecretEnv+")"),
		tolerance: fs.Duration("timestamp-tolerance", 0, "how far webhook-timestamp may be from arrival, either way (default 5m, the specification's libraries')"),
	}
}

// Resolve turns the flags into the receiver's verification, refusing a
// secret without a signing profile and a signing profile without a secret.
// It warns on stderr of a secret shorter than the specification allows.
func (s SignatureFlags) Resolve(stderr io.Writer) (receiver.Verify, error) {
	p, err := LoadProfile(*s.profile)
	if err != nil {
		return receiver.Verify{}, fmt.Errorf("--profile: %w", err)
	}
	name, scheme := p.Name, p.Signature.Scheme
	signs := scheme != ""
	if signs && scheme != receiver.SchemeStandardWebhooks {
		return receiver.Verify{}, fmt.Errorf("--profile %s: signature scheme %q: the receiver verifies %s only", name, scheme, receiver.SchemeStandardWebhooks)
	}
	tolerance := *s.tolerance
	if tolerance == 0 && !cli.IsSet(s.fs, "timestamp-tolerance") {
		tolerance = p.Signature.Tolerance
	}
	secret, fromEnv := *s.Secret, false
	if secret == "" && signs {
		secret, fromEnv = os.Getenv(SecretEnv), true
	}
	switch {
	case !signs && secret != "":
		return receiver.Verify{}, fmt.Errorf("--secret: profile %s sends unsigned deliveries; for signed ones use --profile standard-webhooks", name)
	case !signs && cli.IsSet(s.fs, "timestamp-tolerance"):
		return receiver.Verify{}, fmt.Errorf("--timestamp-tolerance: profile %s sends unsigned deliveries", name)
	case !signs:
		return receiver.Verify{}, nil
	case secret == "":
		return receiver.Verify{}, fmt.Errorf("--profile %s verifies signatures: give the endpoint's secret with --secret or %s", name, SecretEnv)
	case *s.tolerance < 0 || (*s.tolerance == 0 && cli.IsSet(s.fs, "timestamp-tolerance")):
		return receiver.Verify{}, fmt.Errorf("--timestamp-tolerance must be positive, got %s", *s.tolerance)
	}
	src := "--secret"
	if fromEnv {
		src = SecretEnv
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

// SecretEnv holds the signing secret when --secret is not given, so that it
// stays out of the process list and shell history.
const SecretEnv = "HOOKCHECK_WEBHOOK_SECRET"

// LogOptions is how AnalyzeLog verifies the signatures of a log judged
// against prof: with the endpoint's secret when prof signs and one is
// given; a secret for a profile that signs nothing is refused.
func (s SignatureFlags) LogOptions(prof Profile, stderr io.Writer) (LogOptions, error) {
	var opts LogOptions
	given := *s.Secret != "" || os.Getenv(SecretEnv) != ""
	switch {
	case prof.Signature.Scheme == "" && *s.Secret != "":
		return opts, fmt.Errorf("--secret: profile %s sends unsigned deliveries", prof.Name)
	case prof.Signature.Scheme == "" || !given:
		return opts, nil
	}
	v, err := s.Resolve(stderr)
	if err != nil {
		return opts, err
	}
	opts.Signature, err = LogVerifier(v.Secret, v.Tolerance)
	return opts, err
}
