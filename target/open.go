package target

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/container"
	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// ErrConfig marks a target that cannot be opened as asked: a bad flag
// value, missing credentials, a trigger the target cannot serve.
var ErrConfig = errors.New("target configuration")

// Spec is the system under test as the user names it.
type Spec struct {
	// Target is "embedded", "container" or a deployment's base URL.
	Target   string
	TokenURL string // "" means TARGET/oauth/token
	Clients  ClientFlags
	// Image, Port, Env (K=V) and Args run a vendor image (Image set) or
	// our registry image (Target "container") as the target.
	Image string
	Port  int
	Env   []string
	Args  []string
	// Trigger is auto, control, member or command; TriggerCmd the command
	// ({orcid} replaced); Records the records file; MemberAPI the Member
	// API base for the member trigger ("" the target).
	Trigger, TriggerCmd, Records, MemberAPI string
	// ConnectTimeout bounds the checks made before the suite, RequestTimeout
	// each API request during it.
	ConnectTimeout, RequestTimeout time.Duration
	// CallbackBase and ReceiverAddr: see Target.
	CallbackBase, ReceiverAddr string
	// Behaviour is how our registry behaves when the target starts it
	// (embedded, our image): docs or orcid-registry; "" is docs.
	Behaviour registry.Behaviour
}

// Scaled reports whether the target runs our registry with the declared
// (scaled) timing: embedded, or our image.
func (s Spec) Scaled() bool {
	return s.Target == "embedded" || (s.Target == "container" && s.Image == "")
}

// IsURL reports whether the spec names a deployment by URL.
func (s Spec) IsURL() bool { return s.Target != "embedded" && s.Target != "container" && s.Image == "" }

// Open starts or reaches the target spec names, with the declared timing
// for the registries it starts itself, and checks its credentials. Errors
// wrap ErrConfig (bad input), ErrUnreachable (no usable answer, a
// container that did not start) or ErrNotConformant (an answer that is not
// the API).
func Open(ctx context.Context, s Spec, declared timing.Timing) (*Target, error) {
	var t *Target
	var err error
	switch {
	case s.Target == "container" || s.Image != "":
		t, err = s.container(ctx, declared)
	case s.Target == "embedded":
		t, err = StartEmbedded(ctx, RegistryConfigAs(declared, s.Behaviour))
	default:
		t, err = s.url(ctx)
	}
	if err != nil {
		return nil, err
	}
	t.CallbackBase, t.ReceiverAddr = s.CallbackBase, s.ReceiverAddr
	return t, nil
}

// configError wraps err as a configuration error.
func configError(err error) error { return fmt.Errorf("%w: %w", ErrConfig, err) }

// url builds a URL target: credentials, reachability, trigger.
func (s Spec) url(ctx context.Context) (*Target, error) {
	u, err := url.Parse(s.Target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, configError(fmt.Errorf(`--target must be "embedded", "container" or an http(s) URL, got %q`, s.Target))
	}
	main, second, err := s.Clients.Resolve()
	if err != nil {
		return nil, configError(err)
	}
	t := NewURLTarget(s.Target, s.TokenURL, main)
	t.SecondClient = second
	t.ConnectTimeout = s.ConnectTimeout
	t.RequestTimeout = s.RequestTimeout
	if err := t.Probe(ctx, s.ConnectTimeout); err != nil {
		return nil, err
	}
	if err := t.LoadInfo(ctx); err != nil {
		return nil, err
	}
	// The token endpoint first: a target that does not speak OAuth is
	// reported as such, not as a trigger it cannot serve.
	if err := CheckCredentials(ctx, t); err != nil {
		return nil, credentialsError(err)
	}
	if t.Trigger, err = s.trigger(t); err != nil {
		return nil, configError(err)
	}
	return t, nil
}

// credentialsError classifies a CheckCredentials failure: a refusal (bad
// credentials or token URL) is a configuration error.
func credentialsError(err error) error {
	if errors.Is(err, ErrUnreachable) || errors.Is(err, ErrNotConformant) {
		return err
	}
	return configError(err)
}

// container starts our image (Target "container") or a vendor's (Image).
func (s Spec) container(ctx context.Context, declared timing.Timing) (*Target, error) {
	env := map[string]string{}
	for _, kv := range s.Env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, configError(fmt.Errorf("--target-env must be K=V, got %q", kv))
		}
		env[k] = v
	}
	opts := container.Options{Image: s.Image, Env: env, Port: s.Port, Args: s.Args}
	var client *Credentials
	if s.Image != "" {
		if s.Port <= 0 || s.Port > 65535 {
			return nil, configError(errors.New("--target-image needs --target-port (1-65535), the port the image listens on"))
		}
		main, _, err := s.Clients.Resolve()
		if err != nil {
			return nil, configError(err)
		}
		client = &main
	}
	t, err := StartContainer(ctx, opts, RegistryConfigAs(declared, s.Behaviour), client)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	if t.Trigger == nil {
		if t.Trigger, err = s.trigger(t); err != nil {
			t.Close()
			return nil, configError(err)
		}
	}
	if err := CheckCredentials(ctx, t); err != nil {
		t.Close()
		return nil, credentialsError(err)
	}
	return t, nil
}

// trigger chooses how records change on t.
func (s Spec) trigger(t *Target) (Trigger, error) {
	kind := s.Trigger
	if kind == "auto" || kind == "" {
		switch {
		case s.TriggerCmd != "":
			kind = "command"
		case s.Records != "":
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
		return NewControlTrigger(t.URL, nil), nil
	case "member", "command":
		if s.Records == "" {
			return nil, fmt.Errorf("--trigger %s needs --records FILE listing the records it may change", kind)
		}
		recs, err := LoadRecords(s.Records)
		if err != nil {
			return nil, err
		}
		if kind == "command" {
			if s.TriggerCmd == "" {
				return nil, errors.New("--trigger command needs --trigger-cmd 'cmd {orcid}'")
			}
			return NewCommandTrigger(s.TriggerCmd, recs)
		}
		api := s.MemberAPI
		if api == "" {
			api = t.URL
		}
		return NewMemberTrigger(api, recs, nil)
	}
	return nil, fmt.Errorf("--trigger must be auto, control, member or command, got %q", s.Trigger)
}
