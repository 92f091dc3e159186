package judge

import (
	"fmt"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// Overrides are declared values that replace a profile's (command-line
// flags); the zero value of each field keeps the profile's. A custom
// profile is a built-in with overrides: --retry geometric --retry-ratio 1.5
// --retry-base 2s.
type Overrides struct {
	Window          time.Duration
	NoWindow        bool
	Retry           string // kind: fixed, linear, doubling, geometric, list or any
	Base            time.Duration
	Ratio           float64
	Delays          []time.Duration
	MaxAttempts     int // -1 keeps the profile's
	Jitter          string
	Lag             time.Duration
	CallbackTimeout time.Duration
	Tolerance       time.Duration
	EventKey        string
}

// given lists the values set, as flags, for the tolerance's source and the
// profile's name ("--retry-base 500ms").
func (o Overrides) given() []string {
	args := o.Args()
	out := make([]string, 0, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		out = append(out, args[i]+" "+args[i+1])
	}
	return out
}

// Args are the values set as the command-line arguments that give them
// ("--retry-base", "500ms", …): what ApplyArgs reads back.
func (o Overrides) Args() []string {
	var out []string
	add := func(set bool, flag string, v any) {
		if set {
			out = append(out, "--"+flag, fmt.Sprint(v))
		}
	}
	add(o.Window > 0, "window", o.Window)
	add(o.NoWindow, "window", "none")
	add(o.Retry != "", "retry", o.Retry)
	add(o.Base > 0, "retry-base", o.Base)
	add(o.Ratio > 0, "retry-ratio", o.Ratio)
	delays := make([]string, len(o.Delays))
	for i, d := range o.Delays {
		delays[i] = d.String()
	}
	add(len(o.Delays) > 0, "retry-delays", strings.Join(delays, ","))
	add(o.Jitter != "", "retry-jitter", o.Jitter)
	add(o.Lag > 0, "retry-lag", o.Lag)
	add(o.MaxAttempts >= 0, "max-attempts", o.MaxAttempts)
	add(o.CallbackTimeout > 0, "callback-timeout", o.CallbackTimeout)
	add(o.Tolerance > 0, "tolerance", o.Tolerance)
	add(o.EventKey != "", "event-key", o.EventKey)
	return out
}

// timingChanged reports whether any declared time was overridden (the
// fields Apply names as the tolerance's source).
func (o Overrides) timingChanged() bool {
	return o.Window > 0 || o.NoWindow || o.Retry != "" || o.Base > 0 || o.Ratio > 0 || len(o.Delays) > 0 || o.Jitter != "" || o.Lag > 0
}

// Apply returns p with o's values. When a declared time is overridden and
// the tolerance is not, the tolerance is derived from the declared values
// (never the profile's absolute one, which belonged to its own timing).
func (o Overrides) Apply(p Profile) (Profile, error) {
	p = p.clone()
	if o.Window > 0 {
		if p.Window > 0 { // the dispatcher's cadence goes with the window
			p.FirstNotification = time.Duration(float64(p.FirstNotification) * float64(o.Window) / float64(p.Window))
		}
		p.Window = o.Window
	}
	if o.NoWindow {
		p.Window = 0
	}
	switch k := strings.ToLower(strings.TrimSpace(o.Retry)); k {
	case "":
	case "any":
		p.Retry.Any = true
	default:
		kind, err := timing.ParseKind(k)
		if err != nil {
			return p, fmt.Errorf("--retry: %w (or any)", err)
		}
		p.Retry.Any, p.Retry.Kind = false, kind
		if kind == timing.Doubling {
			p.Retry.Ratio = 0
		}
	}
	if o.Base > 0 {
		p.Retry.Base = o.Base
	}
	if o.Ratio > 0 {
		p.Retry.Ratio = o.Ratio
		if o.Retry == "" && p.Retry.Kind == timing.Doubling {
			p.Retry.Kind = timing.Geometric
		}
	}
	if len(o.Delays) > 0 {
		p.Retry.Delays = append([]time.Duration(nil), o.Delays...)
		if o.Retry == "" {
			p.Retry.Kind, p.Retry.Any = timing.List, false
		}
	}
	if o.MaxAttempts >= 0 {
		p.Retry.MaxAttempts = o.MaxAttempts
	}
	if o.Jitter != "" {
		j, err := ParseJitter(o.Jitter)
		if err != nil {
			return p, fmt.Errorf("--retry-jitter: %w", err)
		}
		p.Retry.Jitter = j
	}
	if o.Lag > 0 {
		p.Retry.Lag = o.Lag
	}
	if o.CallbackTimeout > 0 {
		p.Delivery.Timeout = o.CallbackTimeout
	}
	if o.EventKey != "" {
		k, err := ParseEventKey(o.EventKey)
		if err != nil {
			return p, fmt.Errorf("--event-key: %w", err)
		}
		p.EventKey = k
	}
	switch {
	case o.Tolerance > 0:
		p.Tolerance = Tolerance{Abs: o.Tolerance, Source: "--tolerance"}
	case o.timingChanged():
		declared := Overrides{Window: o.Window, NoWindow: o.NoWindow, Retry: o.Retry, Base: o.Base, Ratio: o.Ratio, Delays: o.Delays, Jitter: o.Jitter, Lag: o.Lag, MaxAttempts: -1}
		p.Tolerance = Tolerance{Source: "derived from the declared timing: " + strings.Join(declared.given(), " ")}
	}
	if g := o.given(); len(g) > 0 {
		p.Name += " with " + strings.Join(g, " ")
		p.Args = append(p.Args, o.Args()...)
	}
	return p, p.Validate()
}
