package judge

// goldenCounts are the figures the batch judge (the judge before it
// streamed) gave on the recorded runs of equivalence_test.go.
type goldenCounts struct {
	Seed                                               uint64
	Calls, Hooks, Changes, Failed, NotPOST, Redirected uint64
	Covered, Late, Lost, Pending, Duplicates, Batching uint64
	RetryOff, RetryGaps, OverAttempts, LatencyN        uint64
	LatencyP50, LatencyP99, LatencyMax                 int64
	GapCounts                                          []uint64
	GapMedians                                         []int64
}

func countsOf(seed uint64, r *Report) goldenCounts {
	g := goldenCounts{Seed: seed, Calls: r.Calls, Hooks: r.Hooks, Changes: r.Changes, Failed: r.Failed, NotPOST: r.NotPOST, Redirected: r.Redirected,
		Covered: r.Covered, Late: r.Late, Lost: r.Lost, Pending: r.Pending, Duplicates: r.Duplicates, Batching: r.Batching,
		RetryOff: r.RetryOff, RetryGaps: r.RetryGaps, OverAttempts: r.OverAttempts, LatencyN: r.Latency.Count(),
		LatencyP50: int64(r.Latency.Quantile(0.5)), LatencyP99: int64(r.Latency.Quantile(0.99)), LatencyMax: int64(r.Latency.Max())}
	for i := range r.Gaps {
		g.GapCounts = append(g.GapCounts, r.Gaps[i].Count())
		g.GapMedians = append(g.GapMedians, int64(r.Gaps[i].Quantile(0.5)))
	}
	return g
}
