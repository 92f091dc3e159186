package judge

import (
	"fmt"
	"math"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// The kinds a fit can find besides timing's: affine is linear with a
// constant added to every gap (a + b·n).
const Affine timing.Kind = "affine"

// Fit is the retry schedule that best explains the gaps of every retry
// sequence together: gap n (after the n-th consecutive failure) is about
// Lag + Base·m(n), m(n) being 1 (fixed), n (linear, affine) or Ratioⁿ⁻¹
// (geometric; doubling is geometric ×2). Kind is "" (undetermined) when the
// gaps cannot tell the kinds apart; Reason then says why.
type Fit struct {
	Kind  timing.Kind
	Base  time.Duration
	Ratio float64
	Lag   time.Duration
	// Spread is the absolute deviation of the gaps from the fitted
	// schedule: p50 and p95 (the jitter a sender adds shows here).
	SpreadP50 time.Duration
	SpreadP95 time.Duration
	Sequences uint64 // retry sequences that gave gaps
	Gaps      uint64
	Counts    int // distinct failure counts with gaps
	Reason    string
	// Standard errors of base, ratio and lag; the fit is shown to the
	// precision that stays within three of them.
	BaseSE  time.Duration
	RatioSE float64
	LagSE   time.Duration
	// bic scores the fit (lower is better); kept to compare declared
	// schedules with it.
	bic float64
}

// Determined reports whether the gaps told the schedule's kind.
func (f Fit) Determined() bool { return f.Kind != "" }

// String describes the fit to the precision the data supports, e.g.
// "geometric ×1.5 from 500ms, lag 20ms, spread p50 60ms p95 210ms (4 sequences, 24 gaps)".
func (f Fit) String() string {
	if f.Gaps == 0 {
		return "no retry gaps"
	}
	s := f.Schedule()
	if f.Lag > 0 && f.Kind != Affine {
		s += ", lag " + roundDuration(f.Lag, 3*f.LagSE).String()
	}
	s += fmt.Sprintf(", spread p50 %s p95 %s (%s, %s)", roundDuration(f.SpreadP50, 0), roundDuration(f.SpreadP95, 0),
		Plural(f.Sequences, "sequence"), Plural(f.Gaps, "gap"))
	if !f.Determined() {
		s += ": " + f.Reason
	}
	return s
}

// Schedule is the fitted schedule alone, e.g. "doubling from 1s",
// "geometric ×1.5 from 500ms", "affine 2s + 10m·n".
func (f Fit) Schedule() string {
	base := roundDuration(f.Base, 3*f.BaseSE)
	switch f.Kind {
	case timing.Fixed:
		return "fixed " + base.String()
	case timing.Linear:
		return "linear " + base.String() + "·n"
	case Affine:
		return fmt.Sprintf("affine %s + %s·n", roundDuration(f.Lag, 3*f.LagSE), base)
	case timing.Geometric:
		r := roundFloat(f.Ratio, 3*f.RatioSE)
		if r == 2 {
			return "doubling from " + base.String()
		}
		return fmt.Sprintf("geometric ×%s from %s", formatFloat(r), base)
	}
	if f.Ratio > 0 {
		return fmt.Sprintf("undetermined (first gap %s, ratio %s)", base, formatFloat(roundFloat(f.Ratio, 3*f.RatioSE)))
	}
	return "undetermined (gap " + base.String() + ")"
}

// gapPoint is what the fit reads of the gaps after one failure count: how
// many, their mean and their sum of squared deviations from the mean.
type gapPoint struct {
	n        int
	c        float64
	mean, ss float64
	w        float64 // weight per gap: relative error, 1/mean²
}

// model is one candidate schedule: its kind, parameter count, and the
// expected gap after failure n for the parameters found.
type model struct {
	kind        timing.Kind
	k           int
	base, ratio float64
	lag         float64
	rss         float64 // weighted residual sum of squares
}

func (m model) at(n int) float64 {
	switch m.kind {
	case timing.Fixed:
		return m.base
	case timing.Linear, Affine:
		return m.lag + m.base*float64(n)
	}
	return m.lag + m.base*math.Pow(m.ratio, float64(n-1))
}

// FitGaps fits the gaps in hs (hs[n-1] holds the gaps after the n-th
// consecutive failure, merged over sequences) to the fixed, linear, affine
// and geometric schedules, with a constant lag where four failure counts or
// more allow it, and keeps the one with the best score (fit against
// parameters, see bic). sequences is reported as given.
func FitGaps(hs []Histogram, sequences uint64) Fit {
	pts := points(hs)
	f := Fit{Sequences: sequences, Counts: len(pts)}
	for _, p := range pts {
		f.Gaps += uint64(p.c)
	}
	if f.Gaps == 0 {
		f.Reason = "no retry gaps"
		return f
	}
	var best model
	switch {
	case len(pts) == 1:
		best = fitFixed(pts)
		f.Reason = fmt.Sprintf("every sequence was retried once: %s after the first failure only, so the growth cannot be told", Plural(f.Gaps, "gap"))
	case len(pts) == 2:
		fixed, geo := fitFixed(pts), fitGeometric(pts, 0, false)
		if bic(fixed, pts) <= bic(geo, pts) {
			best = fixed
			break
		}
		best = geo
		f.Reason = "gaps after two failure counts only: linear and geometric schedules agree on two gaps (three are needed)"
	default:
		cands := []model{fitFixed(pts), fitLinear(pts), fitAffine(pts), fitGeometric(pts, 0, false)}
		if len(pts) >= 4 {
			cands = append(cands, fitGeometric(pts, 0, true))
		}
		best = cands[0]
		for _, c := range cands[1:] {
			if bic(c, pts) < bic(best, pts) {
				best = c
			}
		}
		if fixed := cands[0]; best.kind == timing.Geometric && within(fixed, best, pts, fixedDrift) {
			best = fixed
		}
	}
	if f.Reason == "" {
		f.Kind = best.kind
	}
	f.Base, f.Ratio, f.Lag = time.Duration(best.base), best.ratio, time.Duration(best.lag)
	if best.kind == timing.Fixed {
		f.Ratio = 1
	}
	if best.kind == timing.Linear || best.kind == Affine {
		f.Ratio = 0
	}
	f.bic = bic(best, pts)
	f.BaseSE, f.RatioSE, f.LagSE = stdErrors(best, pts)
	f.SpreadP50, f.SpreadP95 = spread(hs, best)
	return f
}

// fixedDrift is how far a geometric fit may stray from a fixed delay, at
// every failure count seen, and still be reported as fixed: precise gaps
// that shrink or grow by a few percent over three counts (×0.98: a first
// retry a few milliseconds later than the rest) are a fixed schedule to
// any tolerance, and naming them geometric would mislead.
const fixedDrift = 0.05

// within reports whether a's predictions stay within share of b's at each
// failure count of pts.
func within(a, b model, pts []gapPoint, share float64) bool {
	for _, p := range pts {
		if bv := b.at(p.n); math.Abs(a.at(p.n)-bv) > share*bv {
			return false
		}
	}
	return true
}

// points reads the histograms; a failure count with no gap ends them (a
// sequence that failed n times failed n−1 times first).
func points(hs []Histogram) []gapPoint {
	var out []gapPoint
	for i := range hs {
		h := &hs[i]
		if h.Count() == 0 {
			break
		}
		mean := h.sum / float64(h.n)
		var ss float64
		h.eachBucket(func(v float64, c uint64) { ss += float64(c) * (v - mean) * (v - mean) })
		out = append(out, gapPoint{n: i + 1, c: float64(h.n), mean: mean, ss: ss})
	}
	weigh(out)
	return out
}

// weigh sets each point's weight to the inverse of its gaps' variance,
// modelled as a + b·mean² (a constant jitter plus a share of each delay)
// and fitted over the failure counts with two gaps or more; without that,
// the error is taken as relative (b alone).
func weigh(pts []gapPoint) {
	var s00, s01, s11, t0, t1 float64
	var k int
	for _, p := range pts {
		if p.c < 2 {
			continue
		}
		v, m2 := p.ss/(p.c-1), p.mean*p.mean
		w := p.c - 1 // better estimates count more
		s00 += w
		s01 += w * m2
		s11 += w * m2 * m2
		t0 += w * v
		t1 += w * v * m2
		k++
	}
	a, b := 0.0, 1.0 // relative error
	if det := s00*s11 - s01*s01; k >= 2 && det > 0 {
		a, b = (s11*t0-s01*t1)/det, (s00*t1-s01*t0)/det
		switch {
		case a < 0:
			a, b = 0, t1/s11
		case b < 0:
			a, b = t0/s00, 0
		}
	}
	for i := range pts {
		m2 := pts[i].mean * pts[i].mean
		// floors: a 0.1 % relative error and a microsecond keep weights finite
		pts[i].w = 1 / math.Max(a+b*m2, math.Max(1e-6*m2, 1e6))
	}
}

// rss is the weighted residual sum of squares of m over every gap: the
// spread within each failure count plus the distance of its mean.
func rss(m model, pts []gapPoint) float64 {
	var s float64
	for _, p := range pts {
		d := p.mean - m.at(p.n)
		s += p.w * (p.ss + p.c*d*d)
	}
	return s
}

// lagPenalty is what a constant lag costs a model beyond its parameter: a
// lag trades so easily against the base and the ratio that it is believed
// only on strong evidence.
const lagPenalty = 6

// bic scores m by the Akaike information criterion, N·ln(RSS/N) + 2k, plus
// lagPenalty for a lag; lower is better. The RSS is floored at a relative
// precision of 1 % (timers and networks are no better) so that clean gaps
// compare by parameter count alone.
func bic(m model, pts []gapPoint) float64 {
	var n float64
	for _, p := range pts {
		n += p.c
	}
	r := math.Max(m.rss/n, 1e-4)
	score := n*math.Log(r) + 2*float64(m.k)
	if m.lag > 0 {
		score += lagPenalty
	}
	return score
}

func fitFixed(pts []gapPoint) model {
	var num, den float64
	for _, p := range pts {
		num += p.c * p.w * p.mean
		den += p.c * p.w
	}
	m := model{kind: timing.Fixed, k: 1, base: num / den, ratio: 1}
	m.rss = rss(m, pts)
	return m
}

func fitLinear(pts []gapPoint) model {
	var num, den float64
	for _, p := range pts {
		n := float64(p.n)
		num += p.c * p.w * n * p.mean
		den += p.c * p.w * n * n
	}
	m := model{kind: timing.Linear, k: 1, base: num / den}
	m.rss = rss(m, pts)
	return m
}

// fitAffine fits a + b·n with a ≥ 0; a negative a falls back to linear.
func fitAffine(pts []gapPoint) model {
	a, b, ok := lagAndScale(pts, func(n int) float64 { return float64(n) })
	if !ok || a <= 0 {
		m := fitLinear(pts)
		m.k = 2 // same candidate count, so that it never wins as "affine" by parameter count
		return m
	}
	m := model{kind: Affine, k: 2, base: b, lag: a}
	m.rss = rss(m, pts)
	return m
}

// lagAndScale solves the weighted least squares of mean ≈ a + b·x(n).
func lagAndScale(pts []gapPoint, x func(int) float64) (a, b float64, ok bool) {
	var s0, s1, s2, t0, t1 float64
	for _, p := range pts {
		w, xv := p.c*p.w, x(p.n)
		s0 += w
		s1 += w * xv
		s2 += w * xv * xv
		t0 += w * p.mean
		t1 += w * xv * p.mean
	}
	det := s0*s2 - s1*s1
	if det <= 0 || math.Abs(det) < 1e-300 {
		return 0, 0, false
	}
	return (s2*t0 - s1*t1) / det, (s0*t1 - s1*t0) / det, true
}

// fitGeometric fits b·rⁿ⁻¹ (with fixed > 0, r is fixed, not searched),
// plus a lag ≥ 0 when withLag.
func fitGeometric(pts []gapPoint, fixed float64, withLag bool) model {
	at := func(r float64) model {
		x := func(n int) float64 { return math.Pow(r, float64(n-1)) }
		m := model{kind: timing.Geometric, k: 2, ratio: r}
		if fixed > 0 {
			m.k = 1
		}
		if withLag {
			m.k++
			if a, b, ok := lagAndScale(pts, x); ok && a > 0 && b > 0 {
				m.lag, m.base = a, b
				m.rss = rss(m, pts)
				return m
			}
		}
		var num, den float64
		for _, p := range pts {
			num += p.c * p.w * x(p.n) * p.mean
			den += p.c * p.w * x(p.n) * x(p.n)
		}
		m.base = num / den
		m.rss = rss(m, pts)
		return m
	}
	if fixed > 0 {
		return at(fixed)
	}
	// A log-spaced grid over ×0.25 … ×16, then golden-section refinement
	// around the best point.
	const lo, hi, steps = -2.0, 4.0, 600
	best, bestI := at(math.Exp2(lo)), 0
	for i := 1; i <= steps; i++ {
		if m := at(math.Exp2(lo + (hi-lo)*float64(i)/steps)); m.rss < best.rss {
			best, bestI = m, i
		}
	}
	a := math.Exp2(lo + (hi-lo)*float64(max(bestI-1, 0))/steps)
	b := math.Exp2(lo + (hi-lo)*float64(min(bestI+1, steps))/steps)
	const g = 0.6180339887498949
	for range 60 {
		c, d := b-g*(b-a), a+g*(b-a)
		if at(c).rss < at(d).rss {
			b = d
		} else {
			a = c
		}
	}
	if m := at((a + b) / 2); m.rss < best.rss {
		best = m
	}
	return best
}

// stdErrors are the standard errors of base, ratio and lag, from the
// covariance s²·(JᵀWJ)⁻¹ of the weighted least squares at the fit.
func stdErrors(m model, pts []gapPoint) (base time.Duration, ratio float64, lag time.Duration) {
	var n float64
	for _, p := range pts {
		n += p.c
	}
	if n <= float64(m.k) {
		return 0, 0, 0
	}
	s2 := m.rss / (n - float64(m.k))
	// Parameters in order: base, ratio (geometric), lag (when fitted).
	grad := func(p gapPoint) []float64 {
		x := float64(p.n)
		switch m.kind {
		case timing.Fixed:
			return []float64{1}
		case timing.Linear:
			return []float64{x}
		case Affine:
			return []float64{x, 1}
		}
		g := []float64{math.Pow(m.ratio, x-1), m.base * (x - 1) * math.Pow(m.ratio, x-2)}
		if m.lag > 0 {
			g = append(g, 1)
		}
		return g
	}
	k := len(grad(pts[0]))
	a := make([][]float64, k)
	for i := range a {
		a[i] = make([]float64, k)
	}
	for _, p := range pts {
		g := grad(p)
		for i := range k {
			for j := range k {
				a[i][j] += p.c * p.w * g[i] * g[j]
			}
		}
	}
	inv, ok := invert(a)
	if !ok {
		return 0, 0, 0
	}
	half := func(i int) float64 { return math.Sqrt(math.Max(s2*inv[i][i], 0)) }
	base = time.Duration(half(0))
	switch m.kind {
	case Affine:
		lag = time.Duration(half(1))
	case timing.Geometric:
		ratio = half(1)
		if k == 3 {
			lag = time.Duration(half(2))
		}
	}
	return base, ratio, lag
}

// invert inverts a small symmetric matrix by Gauss–Jordan elimination.
func invert(a [][]float64) ([][]float64, bool) {
	k := len(a)
	m := make([][]float64, k)
	for i := range a {
		m[i] = make([]float64, 2*k)
		copy(m[i], a[i])
		m[i][k+i] = 1
	}
	for c := range k {
		p := c
		for r := c + 1; r < k; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-300 {
			return nil, false
		}
		m[c], m[p] = m[p], m[c]
		for j := range 2 * k {
			if j != c {
				m[c][j] /= m[c][c]
			}
		}
		m[c][c] = 1
		for r := range k {
			if r != c && m[r][c] != 0 {
				f := m[r][c]
				for j := range 2 * k {
					m[r][j] -= f * m[c][j]
				}
			}
		}
	}
	out := make([][]float64, k)
	for i := range m {
		out[i] = m[i][k:]
	}
	return out, true
}

// spread is the p50 and p95 of |gap − fitted gap| over every gap.
func spread(hs []Histogram, m model) (p50, p95 time.Duration) {
	var dev Histogram
	for i := range hs {
		want := m.at(i + 1)
		hs[i].eachBucket(func(v float64, c uint64) { dev.addN(time.Duration(math.Abs(v-want)), c) })
	}
	return dev.Quantile(0.5), dev.Quantile(0.95)
}
