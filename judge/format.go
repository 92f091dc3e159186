package judge

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// roundFloat rounds x to the coarsest step (1, 0.5, 0.1, 0.05, 0.01) that
// stays within ci of it: a figure is shown to the precision its confidence
// interval supports. ci 0 (unknown) keeps two decimals.
func roundFloat(x, ci float64) float64 {
	for _, per := range []float64{1, 2, 10, 20} { // steps of 1/per
		if r := math.Round(x*per) / per; ci > 0 && math.Abs(r-x) <= ci {
			return r
		}
	}
	return math.Round(x*100) / 100
}

// formatFloat writes x without trailing zeros, e.g. 1.5, 2, 1.47.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// roundDuration rounds d to the fewest significant digits (1, 2, 3) that
// stay within ci of it; ci 0 keeps three digits, never finer than a
// millisecond, or two digits for a time under a millisecond.
func roundDuration(d, ci time.Duration) time.Duration {
	if d == 0 {
		return 0
	}
	mag := math.Pow(10, math.Floor(math.Log10(math.Abs(float64(d)))))
	for digits := 0; digits < 3; digits++ {
		step := mag / math.Pow(10, float64(digits))
		r := time.Duration(math.Round(float64(d)/step) * step)
		if ci > 0 && (r-d).Abs() <= ci {
			return r
		}
	}
	step := math.Max(mag/100, float64(time.Millisecond)) // 2.35s, 61ms
	if d.Abs() < time.Millisecond {
		step = math.Max(mag/10, float64(time.Microsecond)) // 860µs, 42µs
	}
	return time.Duration(math.Round(float64(d)/step) * step)
}

// Plural writes n and the noun, plural unless n is 1 ("3 deliveries").
func Plural(n uint64, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "y"):
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
