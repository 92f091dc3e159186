package loadgen

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/target"
)

// Flags are the flags of hookcheck load (its profile and timing flags
// aside): the target, the records, the attack, the failing receivers.
type Flags struct {
	Target, TokenURL, ClientID, ClientSecret string
	RecordsFile                              string
	Records                                  int
	Attack                                   AttackFlags
	FailRatio                                float64
	FailScript, EmbeddedRetry, Shard         string
	ReceiverAddr, CallbackBase, CallbackHost string
	Drain                                    time.Duration
	// JSONEvery rewrites --json with an interim report this often (0: never).
	JSONEvery time.Duration
	// Log and LogMaxSize: the receivers' calls streamed to a file, rotated.
	Log, LogMaxSize string
}

// AddFlags declares the flags into f.
func (f *Flags) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&f.Target, "target", "embedded", `registry under load: "embedded" (the reference registry in-process) or its base URL`)
	fs.StringVar(&f.TokenURL, "token-url", "", "OAuth token endpoint (default TARGET/oauth/token)")
	fs.StringVar(&f.ClientID, "client-id", "", "member client id (env HOOKCHECK_CLIENT_ID)")
	fs.StringVar(&f.ClientSecret, "client-secret", "", "member client secret (env HOOKCHECK_CLIENT_SECRET; never printed)")
	fs.StringVar(&f.RecordsFile, "records-file", "", `URL targets: JSON {"records":[{"orcid","update_token"}]}: change these through the Member API (targets without the control API)`)
	fs.IntVar(&f.Records, "records", 1000, "records (one hook each) to create with the control API, over all shards")
	f.Attack.AddFlags(fs, "record changes (over all shards)", 200, 10*time.Second, false)
	fs.Float64Var(&f.FailRatio, "fail-ratio", 0.1, "share of hooks whose receiver answers by --fail-script")
	fs.StringVar(&f.FailScript, "fail-script", "500,500,500,204", "answers of the failing receivers, the last repeating (three failures tell doubling from linear)")
	fs.StringVar(&f.EmbeddedRetry, "embedded-retry", "", "embedded target only: run the registry with this retry policy (a negative control: linear or fixed must fail)")
	fs.StringVar(&f.Shard, "shard", "0/1", "run part i of n: every n-th record and send (merge the parts with load merge)")
	fs.StringVar(&f.ReceiverAddr, "receiver-addr", "127.0.0.1:0", "address the receivers listen on")
	fs.StringVar(&f.CallbackBase, "callback-base", "", "public absolute URL at which the target reaches the receivers (default their loopback URL)")
	fs.StringVar(&f.CallbackHost, "callback-host", "", "host (name or IP) at which the target reaches the receivers, on the port they got: e.g. a pod's IP, with --receiver-addr :0")
	fs.DurationVar(&f.JSONEvery, "json-every", 0, "rewrite --json every D with the figures and verdicts so far, marked interim (e.g. 1m: stop a doomed run early)")
	fs.StringVar(&f.Log, "log", "", "append every notification the receivers see to FILE as JSON lines (hookcheck analyze reads it)")
	fs.StringVar(&f.LogMaxSize, "log-max-size", "", "rotate --log before it passes SIZE (e.g. 256MiB): FILE.1, FILE.2 … oldest first (default: never)")
	fs.DurationVar(&f.Drain, "drain", 0, "how long to await notifications after the attack (default: from the timing and fail script)")
}

// OpenLog opens --log, rotated at --log-max-size (nil when --log is not
// given); close it when done.
func (f *Flags) OpenLog() (*receiver.LogFile, error) {
	if f.Log == "" {
		return nil, nil
	}
	n, err := receiver.ParseSize(f.LogMaxSize)
	if err != nil {
		return nil, fmt.Errorf("--log-max-size: %w", err)
	}
	lf, err := receiver.OpenLogFile(f.Log, n)
	if err != nil {
		return nil, fmt.Errorf("--log: %w", err)
	}
	return lf, nil
}

// Embedded reports whether the load runs against the in-process registry.
func (f *Flags) Embedded() bool { return f.Target == "embedded" }

// Check fills the credentials in from the environment and says what is
// wrong with the flags before anything starts.
func (f *Flags) Check() (Shard, error) {
	if !f.Embedded() && f.ClientID == "" {
		f.ClientID = os.Getenv("HOOKCHECK_CLIENT_ID")
	}
	if !f.Embedded() && f.ClientSecret == "" {
		f.ClientSecret = os.Getenv("HOOKCHECK_CLIENT_SECRET")
	}
	if f.Target == "container" {
		return Shard{}, fmt.Errorf(`--target container: load runs against "embedded" or a URL; start the container (docker run … hookcheck registry) and give its URL`)
	}
	if err := target.CheckTarget(f.Target, "embedded"); err != nil {
		return Shard{}, err
	}
	shard, err := ParseShard(f.Shard)
	if err != nil {
		return shard, fmt.Errorf("--shard: %w", err)
	}
	switch {
	case f.JSONEvery < 0:
		return shard, fmt.Errorf("--json-every: the interim report interval must be positive, got %s", f.JSONEvery)
	case f.JSONEvery > 0 && f.Attack.JSON == "":
		return shard, fmt.Errorf("--json-every needs --json FILE")
	case f.Drain < 0:
		return shard, fmt.Errorf("--drain must not be negative, got %s", f.Drain)
	case f.Embedded() && f.RecordsFile != "":
		return shard, fmt.Errorf("--records-file: the embedded registry's records change through its control API; --records-file is for URL targets")
	case f.Embedded() && (f.ClientID != "" || f.ClientSecret != "" || f.TokenURL != ""):
		return shard, fmt.Errorf("--client-id, --client-secret and --token-url are for URL targets: the embedded registry makes its own client")
	case !f.Embedded() && f.EmbeddedRetry != "":
		return shard, fmt.Errorf("--embedded-retry is for --target embedded")
	case !f.Embedded() && (f.ClientID == "" || f.ClientSecret == ""):
		return shard, fmt.Errorf("a URL target needs --client-id and --client-secret (or HOOKCHECK_CLIENT_ID / HOOKCHECK_CLIENT_SECRET)")
	}
	if err := target.CheckCallbackBase(f.CallbackBase); err != nil {
		return shard, err
	}
	if n, err := receiver.ParseSize(f.LogMaxSize); err != nil {
		return shard, fmt.Errorf("--log-max-size: %w", err)
	} else if n > 0 && f.Log == "" {
		return shard, fmt.Errorf("--log-max-size needs --log FILE")
	}
	return shard, f.Attack.Check()
}

// EmbeddedTiming is the default timing of a load run against the embedded
// registry: 1 s windows and retry base (300× real ORCID), the retry shape
// of retry (a profile's).
func EmbeddedTiming(retry timing.Retry) timing.Timing {
	return timing.Timing{
		Window:          time.Second,
		Retry:           timing.Retry{Kind: retry.Kind, Ratio: retry.Ratio, Delays: retry.Delays, Base: time.Second, MaxAttempts: 25},
		CallbackTimeout: 2 * time.Second,
		Tolerance:       250 * time.Millisecond,
	}
}
