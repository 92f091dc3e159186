package judge

import (
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }
func at(n int) time.Time     { return t0.Add(ms(n)) }

// call is an observation on callback cb at ms with status (0: reset).
func call(cb string, msAt, status int) receiver.Observation {
	return receiver.Observation{Callback: cb, Record: "r-" + cb, At: at(msAt), Method: "POST", ContentLength: "0", Status: status}
}

// loadTiming is a scaled ORCID timing with an absolute tolerance, as load
// runs declare it.
var loadTiming = timing.Timing{Window: time.Second, Retry: timing.Retry{Kind: timing.Doubling, Base: time.Second, MaxAttempts: 4}, Tolerance: ms(200)}

// loadProfile is the orcid profile at loadTiming.
func loadProfile() Profile {
	p, _ := Builtin("orcid")
	p.Window = loadTiming.Window
	p.Retry.Retry = loadTiming.Retry
	p.Tolerance = Tolerance{Abs: loadTiming.Tolerance, Source: "test"}
	return p
}
