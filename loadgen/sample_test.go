package loadgen

import (
	"slices"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func TestReservoirKeepsABoundedUniformSampleInSendOrder(t *testing.T) {
	tests := []struct{ size, results int }{{100, 50}, {100, 100}, {100, 100_000}, {1000, 20_000}}
	for _, tt := range tests {
		r := reservoir{size: tt.size}
		for k := range tt.results {
			r.add(&vegeta.Result{Seq: uint64(k)})
		}
		got := r.sorted()
		if want := min(tt.size, tt.results); len(got) != want {
			t.Fatalf("%d of %d: kept %d, want %d", tt.size, tt.results, len(got), want)
		}
		if !slices.IsSortedFunc(got, func(a, b vegeta.Result) int { return int(a.Seq) - int(b.Seq) }) {
			t.Fatalf("%d of %d: not in send order", tt.size, tt.results)
		}
		// uniform: each quarter of the run holds about a quarter of the sample
		var quarters [4]int
		for _, res := range got {
			quarters[int(res.Seq)*4/tt.results]++
		}
		for q, n := range quarters {
			if share := float64(n) / float64(len(got)); share < 0.15 || share > 0.35 {
				t.Errorf("%d of %d: quarter %d holds %.0f %% of the sample", tt.size, tt.results, q+1, 100*share)
			}
		}
	}
}
