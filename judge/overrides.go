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
	var out []string
	add := func(set bool, flag string, v any) {
		if set {
			out = append(out, fmt.Sprintf("--%s %v", flag, v))
		}
	}
	add(o.Window > 0, "window", o.Window)
	add(o.NoWindow, "window", "none")
	add(o.Retry != "", "retry", o.Retry)
	add(o.Base > 0, "retry-base", o.Base)
	add(o.Ratio > 0, "retry-ratio", o.Ratio)
	add(len(o.Delays) > 0, "retry-delays", o.Delays)
	add(o.Jitter != "", "retry-jitter", o.Jitter)
	add(o.Lag > 0, "retry-lag", o.Lag)
	add(o.MaxAttempts >= 0, "max-attempts", o.MaxAttempts)
	add(o.CallbackTimeout > 0, "callback-timeout", o.CallbackTimeout)
	add(o.Tolerance > 0, "tolerance", o.Tolerance)
	add(o.EventKey != "", "event-key", o.EventKey)
	return out
}

// timingChanged reports whether any declared time was overridden.
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
		p.Tolerance = Tolerance{Source: "derived from the declared timing: " + strings.Join(o.given(), " ")}
	}
	if g := o.given(); len(g) > 0 {
		p.Name += " with " + strings.Join(g, " ")
	}
	return p, p.Validate()
}
