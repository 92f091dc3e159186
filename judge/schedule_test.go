package judge

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// TestScheduleCheckManyPreciseGaps: thousands of gaps measured to a few
// milliseconds make any statistical comparison decisive, so a dispatcher
// that doubles from 1s with a few milliseconds of queue lag must still pass
// a doubling profile (the lag is far inside the tolerance), while one that
// grows ×1.7, every gap also inside the tolerance, must not.
func TestScheduleCheckManyPreciseGaps(t *testing.T) {
	tests := []struct {
		name   string
		delay  func(n int) float64 // ms after failure n
		lag    float64             // ms
		result Result
		reason string
	}{
		{"doubling, 8ms lag", func(n int) float64 { return 1000 * float64(int(1)<<(n-1)) }, 8, Pass, "retry gaps fit geometric ×1.99 from 1.01s"},
		{"doubling, no lag", func(n int) float64 { return 1000 * float64(int(1)<<(n-1)) }, 0, Pass, "retry gaps fit doubling from 1s"},
		{"×1.9, inside the tolerance", func(n int) float64 { return []float64{1000, 1900, 3610}[n-1] }, 0, Fail, "the fitted schedule differs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 7))
			p := loadProfile()
			p.Tolerance = Tolerance{Abs: 400 * time.Millisecond, Source: "test"}
			r := &Report{}
			for range 3000 {
				r.Sequences++
				for n := 1; n <= 3; n++ {
					r.Failed++
					r.RetryGaps++
					g := tt.delay(n) + tt.lag + rng.NormFloat64()*3
					r.addGap(n, time.Duration(g*float64(time.Millisecond)))
				}
			}
			c := r.scheduleCheck(p)
			if c.Result != tt.result || !strings.Contains(c.Reason, tt.reason) {
				t.Errorf("retry schedule = %s %q, want %s containing %q", c.Result, c.Reason, tt.result, tt.reason)
			}
			if tt.result == Pass && c.Fit.Kind != timing.Geometric {
				t.Errorf("fit kind = %s, want geometric", c.Fit.Kind)
			}
		})
	}
}
