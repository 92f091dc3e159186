// Package loadgen drives vegeta attacks: it registers hooks on instrumented
// receivers, floods record changes on a registry (or notifications on a
// member's receiver) at a paced rate, and hands what the receivers saw to
// the judge; thresholds gate the run. It reaches the target through package
// target and fills package report's Summary; it does not format reports.
package loadgen

import (
	"fmt"
	"math"
	"time"

	"github.com/hookcheck/hookcheck/report"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Pacing is an open-model arrival schedule: report.Pacing's fields (the
// summary records it) with the generator's methods.
type Pacing report.Pacing

// MinRate and MaxRate bound a pacing's rate (hits/s): vegeta's pacers
// work in whole hits per 1,000 s (a linear ramp starts at 1 % of the rate)
// and cannot pace sends closer than a microsecond.
const MinRate, MaxRate = 0.1, 1_000_000

// Validate names what is wrong with p.
func (p Pacing) Validate() error {
	switch {
	case math.IsNaN(p.Rate) || p.Rate < MinRate || p.Rate > MaxRate:
		return fmt.Errorf("--rate must be between %v and %v per second, got %v", MinRate, float64(MaxRate), p.Rate)
	case p.Duration <= 0:
		return fmt.Errorf("--duration must be positive, got %s", p.Duration)
	case p.Rate*p.Duration.Seconds() < 1:
		return fmt.Errorf("--rate %v/s for --duration %s plans no send: raise the rate or the duration", p.Rate, p.Duration)
	}
	switch p.Shape {
	case "constant":
	case "linear":
		if p.Ramp <= 0 || p.Ramp > p.Duration {
			return fmt.Errorf("--pacing linear needs a --ramp between 0 and the duration (%s), got %s", p.Duration, p.Ramp)
		}
	case "sine":
		if p.Amp < 0 || p.Amp >= p.Rate {
			return fmt.Errorf("--amp (the sine amplitude) must be in [0, rate), got %v", p.Amp)
		}
	default:
		return fmt.Errorf("--pacing: unknown pacing %q (want constant, linear or sine)", p.Shape)
	}
	return nil
}

// rate as a vegeta Rate, keeping fractions (shards divide rates).
func rate(r float64) vegeta.Rate {
	return vegeta.Rate{Freq: int(math.Round(r * 1000)), Per: 1000 * time.Second}
}

// Pacer is p as a vegeta pacer.
func (p Pacing) Pacer() vegeta.Pacer {
	switch p.Shape {
	case "linear":
		start := p.Rate / 100
		lin := vegeta.LinearPacer{StartAt: rate(start), Slope: (p.Rate - start) / p.Ramp.Seconds()}
		return rampThenConstant{lin, p.Ramp, p.Rate}
	case "sine":
		period, amp := p.Period, p.Amp
		if period <= 0 {
			period = p.Duration
		}
		return vegeta.SinePacer{Period: period, Mean: rate(p.Rate), Amp: rate(amp), StartAt: vegeta.MeanUp}
	}
	return rate(p.Rate)
}

// rampThenConstant climbs linearly for ramp, then holds rate.
type rampThenConstant struct {
	lin  vegeta.LinearPacer
	ramp time.Duration
	rate float64
}

func (r rampThenConstant) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if elapsed < r.ramp {
		return r.lin.Pace(elapsed, hits)
	}
	rampHits := r.lin.StartAt.Rate(0)*r.ramp.Seconds() + r.lin.Slope*r.ramp.Seconds()*r.ramp.Seconds()/2
	due := rampHits + (elapsed-r.ramp).Seconds()*r.rate
	if float64(hits) < due {
		return 0, false
	}
	return time.Duration((float64(hits) + 1 - due) / r.rate * float64(time.Second)), false
}

// Plan lists when each hit is due, from the start, by replaying the pacer
// on an ideal clock: the intended send times that honest lateness is
// measured against.
func (p Pacing) Plan() []time.Duration {
	pacer := p.Pacer()
	plan := make([]time.Duration, 0, int(p.Rate*p.Duration.Seconds())+1)
	var t time.Duration
	for n := uint64(0); ; n++ {
		wait, stop := pacer.Pace(t, n)
		if stop {
			break
		}
		if t += wait; t > p.Duration {
			break
		}
		plan = append(plan, t)
	}
	return plan
}

// planPacer paces an attack by a precomputed plan.
type planPacer []time.Duration

func (pp planPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if hits >= uint64(len(pp)) {
		return 0, true
	}
	return max(pp[hits]-elapsed, 0), false
}

// Rate is the hit rate at elapsed.
func (r rampThenConstant) Rate(elapsed time.Duration) float64 {
	if elapsed < r.ramp {
		return r.lin.Rate(elapsed)
	}
	return r.rate
}

// Rate is the rate of the plan at elapsed (hits in the surrounding second).
func (pp planPacer) Rate(elapsed time.Duration) float64 {
	lo, hi := elapsed-500*time.Millisecond, elapsed+500*time.Millisecond
	n := 0
	for _, t := range pp {
		if t >= lo && t < hi {
			n++
		}
	}
	return float64(n)
}
