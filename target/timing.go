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
	return timing.Timing{
		Window:          t.Window / scale,
		Retry:           timing.Retry{Kind: t.Retry.Kind, Base: t.Retry.Base / scale, MaxAttempts: 4},
		CallbackTimeout: 150 * time.Millisecond,
		Tolerance:       100 * time.Millisecond,
	}
}

// RegistryConfig is the reference registry configuration that matches t:
// what the embedded target runs unless a test plants a defect in it.
func RegistryConfig(t timing.Timing) registry.Config {
	return registry.Config{Timing: timing.Timing{Window: t.Window, Retry: t.Retry, CallbackTimeout: t.CallbackTimeout}}
}
