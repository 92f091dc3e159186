package judge

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// gapsOf builds the fit's input from sequences of gaps.
func gapsOf(seqs ...[]time.Duration) []Histogram {
	var hs []Histogram
	for _, s := range seqs {
		for i, g := range s {
			if len(hs) <= i {
				hs = append(hs, make([]Histogram, i+1-len(hs))...)
			}
			hs[i].Add(g)
		}
	}
	return hs
}

func msList(ns ...float64) []time.Duration {
	out := make([]time.Duration, len(ns))
	for i, n := range ns {
		out[i] = time.Duration(n * float64(time.Millisecond))
	}
	return out
}

func TestFitGapsExact(t *testing.T) {
	tests := []struct {
		name     string
		gaps     []time.Duration
		kind     timing.Kind
		base     time.Duration
		ratio    float64
		lag      time.Duration
		schedule string
	}{
		{"fixed", msList(300, 300, 300), timing.Fixed, ms(300), 1, 0, "fixed 300ms"},
		{"linear", msList(1000, 2000, 3000, 4000), timing.Linear, ms(1000), 0, 0, "linear 1s·n"},
		{"affine", msList(1500, 2500, 3500, 4500), Affine, ms(1000), 0, ms(500), "affine 500ms + 1s·n"},
		{"doubling", msList(1000, 2000, 4000, 8000), timing.Geometric, ms(1000), 2, 0, "doubling from 1s"},
		{"geometric 1.5", msList(500, 750, 1125, 1687.5, 2531.25), timing.Geometric, ms(500), 1.5, 0, "geometric ×1.5 from 500ms"},
		{"doubling with lag", msList(1300, 2300, 4300, 8300, 16300), timing.Geometric, ms(1000), 2, ms(300), "doubling from 1s"},
		{"near doubling", msList(1010, 1990, 4030), timing.Geometric, ms(1000), 2, 0, "doubling from 1s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FitGaps(gapsOf(tt.gaps), 1)
			if f.Kind != tt.kind || relOff(f.Base, tt.base) > 0.03 || math.Abs(f.Ratio-tt.ratio) > 0.03*max(tt.ratio, 1) || (f.Lag-tt.lag).Abs() > ms(30) {
				t.Errorf("FitGaps(%v) = %+v, want %s from %s ×%v lag %s", tt.gaps, f, tt.kind, tt.base, tt.ratio, tt.lag)
			}
			if got := f.Schedule(); got != tt.schedule {
				t.Errorf("Schedule() = %q, want %q", got, tt.schedule)
			}
		})
	}
}

func relOff(got, want time.Duration) float64 {
	return math.Abs(float64(got-want)) / float64(want)
}

func TestFitGapsUndetermined(t *testing.T) {
	tests := []struct {
		name   string
		hs     []Histogram
		reason string
	}{
		{"none", nil, "no retry gaps"},
		{"one count", gapsOf(msList(500), msList(510)), "retried once"},
		{"two counts", gapsOf(msList(1000, 2000)), "three are needed"},
	}
	for _, tt := range tests {
		f := FitGaps(tt.hs, 2)
		if f.Determined() || !strings.Contains(f.Reason, tt.reason) {
			t.Errorf("%s: %+v, want undetermined because %q", tt.name, f, tt.reason)
		}
	}
	// Two counts can still tell fixed.
	if f := FitGaps(gapsOf(msList(300, 305), msList(310, 298), msList(295, 300)), 3); f.Kind != timing.Fixed {
		t.Errorf("fixed on two counts: %+v", f)
	}
}

// randomised draws sequences from a sender's schedule: delay(n)·U(1−share,
// 1+share) + U(0, abs) + lag.
func randomised(rng *rand.Rand, seqs, gaps int, delay func(n int) float64, share float64, abs, lag time.Duration) [][]time.Duration {
	out := make([][]time.Duration, seqs)
	for s := range out {
		for n := 1; n <= gaps; n++ {
			d := delay(n) * (1 - share + 2*share*rng.Float64())
			d += float64(abs) * rng.Float64()
			out[s] = append(out[s], time.Duration(d)+lag)
		}
	}
	return out
}

// The fit tells a randomised ×1.5 backoff (a backoff library's defaults:
// 500 ms, ×1.5, randomisation 0.5) as geometric ×1.5 over many seeds, and
// doubling with uniform jitter and a lag as ratio 2.
func TestFitGapsRandomised(t *testing.T) {
	const seeds = 300
	var wrongKind, wrongShown int
	for seed := range uint64(seeds) {
		rng := rand.New(rand.NewPCG(seed, 1))
		seqs := randomised(rng, 5, 7, func(n int) float64 { return 500e6 * math.Pow(1.5, float64(n-1)) }, 0.5, 0, 0)
		f := FitGaps(gapsOf(seqs...), 5)
		if f.Kind != timing.Geometric {
			wrongKind++
			t.Logf("seed %d: %s", seed, f)
		}
		if !strings.Contains(f.Schedule(), "geometric ×1.5 ") {
			wrongShown++
			t.Logf("seed %d: %s ratio %.3f ± %.3f", seed, f, f.Ratio, f.RatioSE)
		}
	}
	t.Logf("×1.5 ±50%%, 5 sequences of 7 gaps, %d seeds: %d not geometric, %d not shown as ×1.5", seeds, wrongKind, wrongShown)
	if wrongKind > 0 || wrongShown > seeds/50 {
		t.Errorf("×1.5 ±50%%, 5 sequences of 7 gaps: %d of %d seeds not geometric, %d not shown as ×1.5", wrongKind, seeds, wrongShown)
	}
	var off int
	for seed := range uint64(seeds) {
		rng := rand.New(rand.NewPCG(seed, 2))
		seqs := randomised(rng, 8, 6, func(n int) float64 { return 100e6 * math.Pow(2, float64(n-1)) }, 0, 250*time.Millisecond, 50*time.Millisecond)
		f := FitGaps(gapsOf(seqs...), 8)
		if f.Kind != timing.Geometric || math.Abs(f.Ratio-2) > 0.2 {
			off++
			t.Logf("seed %d: %s", seed, f)
		}
	}
	t.Logf("doubling from 100ms + U(0,250ms) + 50ms lag, 8 sequences of 6 gaps, %d seeds: %d not geometric ×2 ± 0.2", seeds, off)
	if off > 0 {
		t.Errorf("doubling from 100ms + U(0,250ms) + 50ms lag, 8 sequences of 6 gaps: %d of %d seeds not fitted as geometric ×2 ± 0.2", off, seeds)
	}
}

// TestRetriesFitNamesORCIDCode: gaps of ORCID's code at the docs' scale
// (linear from twice the docs' base), clean or delayed by dispatcher runs,
// fail the docs' doubling naming ORCID's code; a fixed schedule is not
// called ORCID's code.
func TestRetriesFitNamesORCIDCode(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	doubling := timing.Retry{Kind: timing.Doubling, Base: 200 * time.Millisecond}
	for _, tt := range []struct {
		gaps []time.Duration
		code bool
	}{
		{ms(402, 803, 1204), true},
		{ms(519, 808, 1240), true}, // a run delayed by its batch (seen under load)
		{ms(200, 201, 199), false}, // fixed
	} {
		err := RetriesFit(Callback{Path: "/cb"}, tt.gaps, doubling, 100*time.Millisecond)
		if err == nil {
			t.Fatalf("gaps %v passed doubling from 200ms", tt.gaps)
		}
		if got := strings.Contains(err.Error(), "this is the schedule of ORCID's own code"); got != tt.code {
			t.Errorf("gaps %v: %v; named ORCID's code %v, want %v", tt.gaps, err, got, tt.code)
		}
	}
}

// TestFitGapsFixedWithDrift: precise gaps drifting a few percent over three
// failure counts are a fixed delay; a real growth of 10 % a count is not.
func TestFitGapsFixedWithDrift(t *testing.T) {
	tests := []struct {
		name string
		gaps []time.Duration
		kind timing.Kind
	}{
		{"first retry a little late (×0.98)", msList(208.2, 204.1, 200.0), timing.Fixed},
		{"a little early, then late", msList(199.0, 201.5, 203.9), timing.Fixed},
		{"×1.1 a count", msList(500, 550, 605), timing.Geometric},
		{"doubling", msList(200, 400, 800), timing.Geometric},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f := FitGaps(gapsOf(tt.gaps), 1); f.Kind != tt.kind {
				t.Errorf("fit %s, want %s", f, tt.kind)
			}
		})
	}
}
