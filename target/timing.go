package target

import (
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// EmbeddedTiming is the declared timing of the embedded target: a
// profile's timing t (real, unscaled) in shape with time scaled so that the whole suite takes seconds.
// The window and the retry base are 200 ms (a 1500× scale of ORCID's
// 5 minutes); max attempts is 4 so that the max-attempts scenario ends in
// about three seconds.
func EmbeddedTiming(t timing.Timing) timing.Timing {
	scale := 5 * time.Minute / (200 * time.Millisecond)
	var delays []time.Duration
	for _, d := range t.Retry.Delays {
		delays = append(delays, d/scale)
	}
	return timing.Timing{
		Window:          t.Window / scale,
		Retry:           timing.Retry{Kind: t.Retry.Kind, Base: t.Retry.Base / scale, Ratio: t.Retry.Ratio, Delays: delays, MaxAttempts: 4},
		CallbackTimeout: 150 * time.Millisecond,
		Tolerance:       100 * time.Millisecond,
	}
}

// RegistryConfig is the reference registry configuration that matches t:
// what the embedded target runs unless a test plants a defect in it. A
// call it starts more than half t's tolerance after it was due counts as
// late in its DispatchLag.
func RegistryConfig(t timing.Timing) registry.Config {
	return registry.Config{Timing: timing.Timing{Window: t.Window, Retry: t.Retry, CallbackTimeout: t.CallbackTimeout}, LagBound: t.Tolerance / 2}
}

// RegistryConfigAs is RegistryConfig with the registry behaving as b:
// with registry.BehaviourORCIDRegistry, ORCID's code's retry schedule
// (linear, 2×window: its 10 minutes × n) whatever t declares, so that a
// run judged by another profile sees what ORCID's code does; t's window,
// maximum attempts and callback timeout are kept.
func RegistryConfigAs(t timing.Timing, b registry.Behaviour) registry.Config {
	c := RegistryConfig(t)
	c.Behaviour = b
	if b == registry.BehaviourORCIDRegistry {
		ot := registry.ORCIDRegistryTiming(t.Window)
		c.Timing.Retry = timing.Retry{Kind: ot.Retry.Kind, Base: ot.Retry.Base, MaxAttempts: t.Retry.MaxAttempts}
	}
	return c
}
