package judge

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Diff compares every figure of r and o but their example messages and
// names the first that differs ("" when they agree). Times judged live
// carry the monotonic clock and times read back from a log the wall clock
// only, so a duration may differ by nanoseconds: the sums, minima,
// maxima, means and percentiles of histograms may differ by a microsecond
// per value; their buckets and counts, and every count, may not.
func (r *Report) Diff(o *Report) string {
	a, err1 := figures(r)
	b, err2 := figures(o)
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("reports cannot be compared: %v %v", err1, err2)
	}
	return diffTree("report", a, b)
}

func figures(r *Report) (map[string]any, error) {
	c := *r
	c.Examples = nil
	raw, err := json.Marshal(&c)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(raw, &m)
}

func diffTree(path string, x, y any) string {
	switch xv := x.(type) {
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok || len(xv) != len(yv) {
			return fmt.Sprintf("%s: %v vs %v", path, x, y)
		}
		for k := range xv {
			switch k {
			case "sum_s", "min_s", "max_s", "mean_s", "p50_s", "p90_s", "p99_s":
				slack := time.Microsecond.Seconds()
				if n, _ := xv["n"].(float64); k == "sum_s" {
					slack *= max(n, 1)
				}
				if xf, yf := xv[k].(float64), yv[k].(float64); math.Abs(xf-yf) > slack {
					return fmt.Sprintf("%s.%s: %v vs %v", path, k, xf, yf)
				}
				continue
			}
			if d := diffTree(path+"."+k, xv[k], yv[k]); d != "" {
				return d
			}
		}
	case []any:
		yv, ok := y.([]any)
		if !ok || len(xv) != len(yv) {
			return fmt.Sprintf("%s: %v vs %v", path, x, y)
		}
		for i := range xv {
			if d := diffTree(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i]); d != "" {
				return d
			}
		}
	default:
		if x != y {
			return fmt.Sprintf("%s: %v vs %v", path, x, y)
		}
	}
	return ""
}
