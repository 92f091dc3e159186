package report

import (
	"slices"
	"testing"
	"time"
)

// TestAddWindows: shards' notifications per window add up on the merged
// run's clock, the later shard's counts shifted by how much later it started.
func TestAddWindows(t *testing.T) {
	t0, w := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), time.Second
	tests := []struct {
		name string
		x    []uint64
		a    time.Time
		y    []uint64
		b    time.Time
		want []uint64
	}{
		{"same start", []uint64{1, 2}, t0, []uint64{10, 20, 30}, t0, []uint64{11, 22, 30}},
		{"second starts 2 windows later", []uint64{1, 2, 3}, t0, []uint64{10, 20}, t0.Add(2500 * time.Millisecond), []uint64{1, 2, 13, 20}},
		{"second starts earlier", []uint64{1, 2}, t0.Add(time.Second), []uint64{10}, t0, []uint64{10, 1, 2}},
		{"one empty", nil, t0, []uint64{5}, t0.Add(3 * time.Second), []uint64{0, 0, 0, 5}},
	}
	for _, tt := range tests {
		if got := addWindows(tt.x, tt.a, tt.y, tt.b, w); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
