package loadgen

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

// Threshold gates a run on one metric, e.g. "p99<500ms" or "lost==0".
type Threshold struct {
	Metric string
	Op     string
	Value  float64 // durations in seconds, ratios as fractions
	Text   string
}

var ops = []string{"<=", ">=", "==", "!=", "<", ">"}

// metric reads one figure of a summary; ok is false when there is no data.
type metric struct {
	help     string
	duration bool
	percent  bool // a share, shown as a percentage
	request  bool // a latency of the attack's requests
	flood    bool // a flood (certify-receiver) has data for it
	read     func(*report.Summary) (float64, bool)
}

func quantile(h func(*report.Summary) *judge.Histogram, q float64) func(*report.Summary) (float64, bool) {
	return func(s *report.Summary) (float64, bool) {
		v := h(s)
		if v.Count() == 0 {
			return 0, false
		}
		return v.Quantile(q).Seconds(), true
	}
}

// count reads a count of notifications (needChanges: one that needs the
// changes' send times); a flood has none.
func count(f func(*report.Summary) uint64, needChanges bool) func(*report.Summary) (float64, bool) {
	return func(s *report.Summary) (float64, bool) {
		if s.Kind == report.KindFlood || needChanges && !s.Notify.ChangesKnown {
			return 0, false
		}
		return float64(f(s)), true
	}
}

// Metrics are the names thresholds may use.
var Metrics = func() map[string]metric {
	m := map[string]metric{
		"success": {help: "share of requests (changes; a flood: notifications) answered 2xx (e.g. success>=99.9%)", percent: true, flood: true, read: func(s *report.Summary) (float64, bool) {
			return float64(s.API.OK) / float64(s.API.Requests), s.API.Requests > 0
		}},
		"amplification": {help: "notification calls per change", read: func(s *report.Summary) (float64, bool) {
			return float64(s.Notify.Calls) / float64(s.Notify.Changes), s.Notify.Changes > 0
		}},
		"lost":          {help: "changes never notified", read: count(func(s *report.Summary) uint64 { return s.Notify.Lost }, true)},
		"late":          {help: "changes notified after window + tolerance", read: count(func(s *report.Summary) uint64 { return s.Notify.Late }, true)},
		"duplicates":    {help: "deliveries with no change since the last 2xx", read: count(func(s *report.Summary) uint64 { return s.Notify.Duplicates }, true)},
		"batching":      {help: "deliveries less than a window apart", read: count(func(s *report.Summary) uint64 { return s.Notify.Batching }, false)},
		"retry_off":     {help: "retry gaps outside the expected delay ± tolerance", read: count(func(s *report.Summary) uint64 { return s.Notify.RetryOff }, false)},
		"over_attempts": {help: "hooks retried past the maximum", read: count(func(s *report.Summary) uint64 { return s.Notify.OverAttempts }, false)},
		"not_empty":     {help: "notifications that were not an empty POST", read: count(func(s *report.Summary) uint64 { return s.Notify.NotEmpty + s.Notify.NotPOST }, false)},
		"calls":         {help: "notification calls observed", read: count(func(s *report.Summary) uint64 { return s.Notify.Calls }, false)},
		"dropped": {help: "planned sends the generator never made", flood: true, read: func(s *report.Summary) (float64, bool) {
			return float64(s.Sends.Dropped), s.Sends.Planned > 0
		}},
	}
	for _, q := range []struct {
		name string
		q    float64
	}{{"p50", 0.5}, {"p90", 0.9}, {"p95", 0.95}, {"p99", 0.99}, {"p999", 0.999}, {"max", 1}} {
		m[q.name] = metric{help: q.name + " request latency (changes; a flood: the receiver's answers)", duration: true, request: true, flood: true, read: quantile(func(s *report.Summary) *judge.Histogram { return &s.API.Latency }, q.q)}
		m["notify_"+q.name] = metric{help: q.name + " change-to-notification latency", duration: true, read: quantile(func(s *report.Summary) *judge.Histogram { return &s.Notify.Latency }, q.q)}
		m["send_lag_"+q.name] = metric{help: q.name + " lateness of sends against their intended time", duration: true, flood: true, read: quantile(func(s *report.Summary) *judge.Histogram { return &s.Sends.Lateness }, q.q)}
	}
	return m
}()

// MetricNames lists the metric names, sorted, for help texts.
func MetricNames() string { return metricNames(false) }

// FloodMetricNames lists the metrics a flood has data for, sorted.
func FloodMetricNames() string { return metricNames(true) }

func metricNames(flood bool) string {
	names := make([]string, 0, len(Metrics))
	for n, m := range Metrics {
		if m.flood || !flood {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// ParseThreshold parses METRIC OP VALUE; VALUE is a duration for latency
// metrics, and a number or percentage otherwise.
func ParseThreshold(s string) (Threshold, error) {
	t := Threshold{Text: strings.TrimSpace(s)}
	for _, op := range ops {
		if i := strings.Index(t.Text, op); i > 0 {
			t.Metric, t.Op = strings.TrimSpace(t.Text[:i]), op
			val := strings.TrimSpace(t.Text[i+len(op):])
			m, ok := Metrics[t.Metric]
			if !ok {
				return t, fmt.Errorf("threshold %q: unknown metric %q (known: %s)", s, t.Metric, MetricNames())
			}
			var err error
			switch {
			case m.duration:
				var d time.Duration
				if d, err = time.ParseDuration(val); err == nil && d < 0 {
					return t, fmt.Errorf("threshold %q: a latency cannot be negative", s)
				}
				t.Value = d.Seconds()
			case strings.HasSuffix(val, "%"):
				t.Value, err = strconv.ParseFloat(strings.TrimSuffix(val, "%"), 64)
				t.Value /= 100
			default:
				t.Value, err = strconv.ParseFloat(val, 64)
			}
			if err != nil || val == "" {
				kind := "a number or percentage"
				if m.duration {
					kind = "a duration such as 500ms"
				}
				return t, fmt.Errorf("threshold %q: value %q is not %s", s, val, kind)
			}
			return t, nil
		}
	}
	return t, fmt.Errorf("threshold %q: want METRIC OP VALUE with OP one of %s, e.g. p99<500ms or lost==0", s, strings.Join(ops, " "))
}

// CheckFlood refuses a threshold on a metric a flood has no data for
// (the notifications of a load run), which could only fail.
func (t Threshold) CheckFlood() error {
	if !Metrics[t.Metric].flood {
		return fmt.Errorf("threshold %q: a flood has no %s (metrics of a flood: %s)", t.Text, t.Metric, FloodMetricNames())
	}
	return nil
}

// Evaluate checks each threshold against s; a metric with no data fails.
func Evaluate(ts []Threshold, s *report.Summary) ([]report.Outcome, bool) {
	allOK := true
	out := make([]report.Outcome, 0, len(ts))
	for _, t := range ts {
		m := Metrics[t.Metric]
		v, ok := m.read(s)
		o := report.Outcome{Threshold: t.Text}
		if !ok {
			o.Detail = "no data for " + t.Metric + ": a threshold on nothing fails"
		} else {
			obs := strconv.FormatFloat(v, 'g', 6, 64)
			switch {
			case m.duration:
				obs = time.Duration(v * float64(time.Second)).Round(time.Microsecond).String()
			case m.percent:
				obs = strconv.FormatFloat(100*v, 'f', -1, 64)
				if len(obs) > 7 {
					obs = strconv.FormatFloat(100*v, 'f', 3, 64)
				}
				obs += "%"
			}
			o.Observed = &obs
			o.OK = compare(v, t.Op, t.Value)
		}
		allOK = allOK && o.OK
		out = append(out, o)
	}
	return out, allOK
}

func compare(v float64, op string, w float64) bool {
	switch op {
	case "<":
		return v < w
	case "<=":
		return v <= w
	case ">":
		return v > w
	case ">=":
		return v >= w
	case "==":
		return v == w
	}
	return v != w
}
