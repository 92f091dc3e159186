package judge

import (
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// judged feeds calls (in order) to a judge of p and returns the checks.
func judged(t *testing.T, p Profile, calls ...receiver.Observation) (*Report, map[string]Check) {
	t.Helper()
	j, err := New(Config{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range calls {
		j.Observe(o)
	}
	r := j.Finish(time.Time{})
	cs := map[string]Check{}
	for _, c := range r.Checks(p) {
		cs[c.Name] = c
	}
	return r, cs
}

func elapsed(o receiver.Observation, d time.Duration) receiver.Observation { o.Elapsed = d; return o }

func TestStreamVerdicts(t *testing.T) {
	orcid := loadProfile() // doubling from 1s, window 1s, tolerance 200ms, max 4
	orcid.Delivery.Timeout = 500 * time.Millisecond
	final := orcid
	final.Delivery.Final = Codes{{404, 404}}
	fromEnd := orcid
	fromEnd.Retry = Schedule{Retry: timing.Retry{Kind: timing.Linear, Base: time.Second, MaxAttempts: 4}, FromEnd: true}
	list := orcid
	list.Retry = Schedule{Retry: timing.Retry{Kind: timing.List, Delays: []time.Duration{0, 500 * time.Millisecond, 2 * time.Second}}}
	tests := []struct {
		name   string
		p      Profile
		calls  []receiver.Observation
		check  string
		result Result
		want   string
	}{
		{"doubling passes", orcid, []receiver.Observation{call("/a", 0, 500), call("/a", 1000, 500), call("/a", 3050, 0), call("/a", 7000, 204)},
			"retry schedule", Pass, "3 retry gaps fit"},
		{"a 2xx after the sender's timeout is a failure, its retry no duplicate", orcid,
			[]receiver.Observation{elapsed(call("/a", 0, 204), 800*time.Millisecond), call("/a", 1000, 204), call("/a", 9000, 204)},
			"retries", Pass, "1 answered after the sender's timeout"},
		{"a final code may end a sequence", final, []receiver.Observation{call("/a", 0, 500), call("/a", 1000, 404), call("/b", 9000, 204)},
			"retries", Pass, "1 ended by a final code"},
		{"any other failure must be retried", orcid, []receiver.Observation{call("/a", 0, 500), call("/a", 1000, 404), call("/b", 9000, 204)},
			"retries", Fail, "1 failures were never retried"},
		{"a retry not yet due is pending", orcid, []receiver.Observation{call("/a", 0, 500), call("/b", 500, 204)},
			"retries", Pass, "1 retry not yet due"},
		{"delays counted from the end of the failed call", fromEnd,
			[]receiver.Observation{elapsed(call("/a", 0, 500), 300*time.Millisecond), elapsed(call("/a", 1300, 500), 300*time.Millisecond), call("/a", 3600, 204)},
			"retry schedule", Pass, "2 retry gaps"},
		{"a list of delays, gap by gap", list, []receiver.Observation{call("/a", 0, 500), call("/a", 10, 500), call("/a", 510, 500), call("/a", 2510, 500), call("/a", 4000, 204)},
			"retry schedule", Fail, "1 of 4 retry gaps outside"},
		{"ORCID's code's schedule under the docs' profile", orcid,
			[]receiver.Observation{call("/a", 0, 500), call("/a", 1000, 500), call("/a", 3000, 500), call("/a", 6000, 500), call("/a", 10000, 204)},
			"retry schedule", Fail, "this is the schedule of ORCID's own code (profile orcid-registry"},
		{"past the maximum", orcid, []receiver.Observation{call("/a", 0, 500), call("/a", 1000, 500), call("/a", 3000, 500), call("/a", 7000, 500), call("/a", 15000, 204)},
			"max attempts", Fail, "past 4 attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cs := judged(t, tt.p, tt.calls...)
			c := cs[tt.check]
			if c.Result != tt.result || !strings.Contains(c.Reason, tt.want) {
				t.Errorf("%s: %s: %s %q, want %s with %q", tt.check, c.Result, c.Reason, c.Examples, tt.result, tt.want)
			}
		})
	}
}

// Calls fed out of time order within the horizon are judged as if in order.
func TestStreamReordersWithinHorizon(t *testing.T) {
	calls := []receiver.Observation{call("/a", 1000, 500), call("/a", 0, 500), call("/a", 7000, 204), call("/a", 3000, 500)}
	r, cs := judged(t, loadProfile(), calls...)
	if r.Reordered != 0 || cs["retry schedule"].Result != Pass {
		t.Errorf("reordered %d, %+v", r.Reordered, cs["retry schedule"])
	}
}
