package judge

import (
	"testing"
	"time"
)

func TestRoundDuration(t *testing.T) {
	tests := []struct {
		d, ci, want time.Duration
	}{
		{2345 * time.Millisecond, 0, 2350 * time.Millisecond},
		{61234 * time.Microsecond, 0, 61 * time.Millisecond},
		{1500 * time.Microsecond, 0, 2 * time.Millisecond},
		{856064 * time.Nanosecond, 0, 860 * time.Microsecond},
		{42123 * time.Nanosecond, 0, 42 * time.Microsecond},
		{1003 * time.Millisecond, 10 * time.Millisecond, time.Second},
		{0, 0, 0},
	}
	for _, tt := range tests {
		if got := roundDuration(tt.d, tt.ci); got != tt.want {
			t.Errorf("roundDuration(%s, %s) = %s, want %s", tt.d, tt.ci, got, tt.want)
		}
	}
}
