package loadgen

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestPlanHitsTheRequestedCounts(t *testing.T) {
	tests := []struct {
		p        Pacing
		min, max int
	}{
		{Pacing{Shape: "constant", Rate: 2000, Duration: 2 * time.Second}, 4000, 4000},
		{Pacing{Shape: "constant", Rate: 333.5, Duration: 2 * time.Second}, 665, 668},
		// ramp 1s from 1% to 1000/s (~505 hits), then 1s at 1000/s
		{Pacing{Shape: "linear", Rate: 1000, Ramp: time.Second, Duration: 2 * time.Second}, 1490, 1520},
		// a whole sine period averages the mean
		{Pacing{Shape: "sine", Rate: 500, Amp: 250, Duration: 4 * time.Second}, 1980, 2020},
	}
	for _, tt := range tests {
		if err := tt.p.Validate(); err != nil {
			t.Fatal(err)
		}
		plan := tt.p.Plan()
		if len(plan) < tt.min || len(plan) > tt.max {
			t.Errorf("%+v: %d hits planned, want %d–%d", tt.p, len(plan), tt.min, tt.max)
		}
		for i := 1; i < len(plan); i++ {
			if plan[i] < plan[i-1] || plan[i] > tt.p.Duration {
				t.Fatalf("%+v: plan not increasing within the duration at %d: %s, %s", tt.p, i, plan[i-1], plan[i])
			}
		}
	}
}

func TestPacingValidate(t *testing.T) {
	tests := []struct {
		p    Pacing
		want string
	}{
		{Pacing{Shape: "constant", Rate: 0, Duration: time.Second}, "rate must be between 0.1 and 1e+06"},
		{Pacing{Shape: "constant", Rate: 0.0001, Duration: time.Hour}, "rate must be between"},      // vegeta would pace it as infinite
		{Pacing{Shape: "constant", Rate: 1e12, Duration: time.Millisecond}, "rate must be between"}, // vegeta would divide by zero
		{Pacing{Shape: "constant", Rate: math.NaN(), Duration: time.Second}, "rate must be between"},
		{Pacing{Shape: "constant", Rate: 0.5, Duration: time.Second}, "plans no send"},
		{Pacing{Shape: "constant", Rate: 1, Duration: 0}, "duration must be positive"},
		{Pacing{Shape: "linear", Rate: 1, Duration: time.Second}, "ramp"},
		{Pacing{Shape: "sine", Rate: 1, Amp: 2, Duration: time.Second}, "amplitude"},
		{Pacing{Shape: "zigzag", Rate: 1, Duration: time.Second}, `unknown pacing "zigzag"`},
	}
	for _, tt := range tests {
		if err := tt.p.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.p, err, tt.want)
		}
	}
}
