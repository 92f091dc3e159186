package target

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// AddFlags declares the flags that name the system under test (the
// conformance command's --target group) into s.
func (s *Spec) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&s.Target, "target", "embedded", `system under test: "embedded" (the reference registry in-process, scaled time), "container" (our registry image via Docker, scaled time) or the base URL of a deployment`)
	fs.StringVar(&s.Image, "target-image", "", "run this vendor image NAME[:TAG] as the target (host networking; needs --target-port and client credentials)")
	fs.IntVar(&s.Port, "target-port", 0, "port the target image listens on, on the host's loopback (required with --target-image)")
	fs.Var((*listFlag)(&s.Env), "target-env", "K=V environment for the target container (repeatable)")
	fs.Var((*listFlag)(&s.Args), "target-arg", "argument for the target container (repeatable; for our image, extra registry flags such as --retry=linear)")
	fs.StringVar(&s.TokenURL, "token-url", "", "OAuth token endpoint (default TARGET/oauth/token)")
	s.Clients.AddFlags(fs)
	fs.StringVar(&s.Trigger, "trigger", "auto", "URL targets: how records change: auto, control (the registry's /_hookcheck/ API), member (Member API with --records), command (--trigger-cmd)")
	fs.StringVar(&s.TriggerCmd, "trigger-cmd", "", "URL targets: command that changes a record, run with sh -c; {orcid} is replaced by the iD")
	fs.StringVar(&s.Records, "records", "", `URL targets: JSON file {"records":[{"orcid","update_token"}]}: the records the member or command trigger may change`)
	fs.StringVar(&s.MemberAPI, "member-api", "", "URL targets: Member API base URL for the member trigger (default the target)")
	fs.StringVar(&s.CallbackBase, "callback-base", "", "public absolute URL at which the target reaches the harness's receiver (default its loopback URL)")
	fs.StringVar(&s.ReceiverAddr, "receiver-addr", "127.0.0.1:0", "address the receiver listens on")
	fs.DurationVar(&s.ConnectTimeout, "connect-timeout", 10*time.Second, "how long to wait for the target to answer before giving up (exit 3)")
	fs.DurationVar(&s.RequestTimeout, "request-timeout", DefaultRequestTimeout, "how long one API request may take during the suite; a target that stops answering fails the scenarios waiting on it")
}

// AddFlags declares the member client flags into f.
func (f *ClientFlags) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&f.ID, "client-id", "", "member client id (env HOOKCHECK_CLIENT_ID)")
	fs.StringVar(&f.Secret, "client-secret", "", "member client secret (env HOOKCHECK_CLIENT_SECRET; never printed)")
	fs.StringVar(&f.File, "credentials", "", `JSON file {"client_id","client_secret","second_client_id","second_client_secret"}`)
	fs.StringVar(&f.SecondID, "second-client-id", "", "a second member client, for the another-client scenarios (env HOOKCHECK_SECOND_CLIENT_ID)")
	fs.StringVar(&f.SecondSecret, "second-client-secret", "", "its secret (env HOOKCHECK_SECOND_CLIENT_SECRET; never printed)")
}

// Check says what is wrong with s before anything starts: a --target that
// is neither a kind nor an http(s) URL (named as a typo), trigger flags our
// own registry (embedded, container) would ignore, a --callback-base that is not an absolute
// URL, a non-positive timeout.
func (s Spec) Check() error {
	if err := CheckTarget(s.Target, "embedded", "container"); err != nil {
		return err
	}
	if s.Scaled() {
		for _, f := range []struct{ name, v, def string }{{"--trigger", s.Trigger, "auto"}, {"--trigger-cmd", s.TriggerCmd, ""}, {"--records", s.Records, ""}, {"--member-api", s.MemberAPI, ""}} {
			if f.v != f.def && f.v != "" && !(f.name == "--trigger" && f.v == "control") {
				return fmt.Errorf("%s %s: the %s target changes records through its own control API; %s is for URL targets and images", f.name, f.v, s.Target, f.name)
			}
		}
	} else if t := s.Trigger; t != "auto" && t != "control" && t != "member" && t != "command" && t != "" {
		return fmt.Errorf("--trigger must be auto, control, member or command, got %q", t)
	}
	if err := CheckCallbackBase(s.CallbackBase); err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--connect-timeout", s.ConnectTimeout}, {"--request-timeout", s.RequestTimeout}} {
		if d.v <= 0 {
			return fmt.Errorf("%s must be positive, got %s", d.name, d.v)
		}
	}
	return nil
}

// CheckTarget checks a --target value: one of kinds or an http(s) URL with
// a host. A value near a kind is named as a typo.
func CheckTarget(v string, kinds ...string) error {
	for _, k := range kinds {
		if v == k {
			return nil
		}
	}
	if u, err := url.Parse(v); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return nil
	}
	want := `"` + strings.Join(kinds, `", "`) + `" or an http(s) URL`
	for _, k := range kinds {
		if near(v, k) {
			return fmt.Errorf("--target %q: a typo of %q? want %s", v, k, want)
		}
	}
	return fmt.Errorf("--target %q: want %s such as https://registry.example", v, want)
}

// near reports whether a looks like a typo of b: same first letter and
// length within two, or one is a prefix of the other.
func near(a, b string) bool {
	if a == "" {
		return false
	}
	d := len(a) - len(b)
	return strings.HasPrefix(b, a) || strings.HasPrefix(a, b) || (a[0] == b[0] && d >= -2 && d <= 2 && !strings.Contains(a, ":"))
}

// CheckCallbackBase checks a --callback-base: empty (the receiver's own
// URL) or an absolute http(s) URL.
func CheckCallbackBase(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--callback-base %q: want an absolute http(s) URL at which the target reaches the receivers, e.g. http://10.0.0.5:8090", v)
	}
	return nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }
