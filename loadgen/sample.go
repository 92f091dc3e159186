package loadgen

import (
	"cmp"
	"math/rand/v2"
	"slices"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// PlotSample is how many results a load run keeps for the HTML latency
// plot: a uniform sample of the whole run, so that the plot costs the
// same memory whatever the run's length.
const PlotSample = 20_000

// reservoir keeps a uniform sample of at most size results (Vitter's
// algorithm R), seeded so that a run's sample does not depend on luck.
type reservoir struct {
	size int
	seen uint64
	kept []vegeta.Result
	rnd  *rand.Rand
}

func (r *reservoir) add(res *vegeta.Result) {
	r.seen++
	if len(r.kept) < r.size {
		r.kept = append(r.kept, *res)
		return
	}
	if r.rnd == nil {
		r.rnd = rand.New(rand.NewPCG(1, 2))
	}
	if k := r.rnd.Uint64N(r.seen); k < uint64(r.size) {
		r.kept[k] = *res
	}
}

// sorted is the sample in send order (vegeta's plot wants it so).
func (r *reservoir) sorted() []vegeta.Result {
	slices.SortFunc(r.kept, func(a, b vegeta.Result) int { return cmp.Compare(a.Seq, b.Seq) })
	return r.kept
}
