package bench

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/hookcheck/hookcheck/report"
)

// WriteAttackTable writes rows as a Markdown table, then each rate's
// ratios of hookcheck to vegeta.
func WriteAttackTable(w io.Writer, rows []AttackRow, d time.Duration) {
	fmt.Fprintf(w, "| offered, %s | generator | workers: start → most (= connections) | sent / planned | achieved | attack span | send lateness p99 | latency p99 | CPU (sys) | CPU per request | peak RSS | connections opened | new TIME_WAIT | hookcheck's flood verdict |\n", d)
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s/s | %s | %d → %d | %d / %d | %s/s | %s | %s | %s | %.2f s (%.2f s) | %.1f µs | %d MB | %d | %d | %s |\n",
			thousands(r.Rate), r.Row, initialWorkers(r.Rate, r.Workers), r.Workers, r.Sent, r.Planned, thousands(r.Achieved(d)), r.Span.Round(10*time.Millisecond),
			ms(r.LatenessP99), ms(r.LatencyP99), r.CPU.Seconds(), r.Sys.Seconds(), float64(r.CPUPerRequest().Nanoseconds())/1e3,
			r.MaxRSS>>20, r.Served.Conns, r.TimeWait, r.Verdict)
	}
	fmt.Fprintln(w)
	type key struct {
		rate float64
		row  string
	}
	achieved, cpu, rss := map[key][]float64{}, map[key][]float64{}, map[key][]float64{}
	var keys []key
	for _, r := range rows {
		k := key{r.Rate, r.Row}
		if _, seen := achieved[k]; !seen {
			keys = append(keys, k)
		}
		achieved[k] = append(achieved[k], r.Achieved(d))
		cpu[k] = append(cpu[k], float64(r.CPUPerRequest()))
		rss[k] = append(rss[k], float64(r.MaxRSS))
	}
	for _, h := range keys {
		if h.row != RowHookcheck {
			continue
		}
		for _, v := range keys {
			if v.rate != h.rate || v.row == RowHookcheck {
				continue
			}
			fmt.Fprintf(w, "- %s/s: hookcheck ÷ %s (medians of %d): achieved %.2f×, CPU per request %.2f×, peak RSS %.2f×\n",
				thousands(h.rate), v.row, len(cpu[h]), median(achieved[h])/median(achieved[v]), median(cpu[h])/median(cpu[v]), median(rss[h])/median(rss[v]))
		}
	}
}

// median of vs (which it sorts).
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	sort.Float64s(vs)
	if n := len(vs); n%2 == 0 {
		return (vs[n/2-1] + vs[n/2]) / 2
	}
	return vs[len(vs)/2]
}

// ms shows a duration in milliseconds.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.2f ms", v)
}

// thousands writes v rounded, with thin separators: 12,000.
func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	out := ""
	for len(s) > 3 {
		out = "," + s[len(s)-3:] + out
		s = s[:len(s)-3]
	}
	return s + out
}

// WriteHarness writes the harness's cost per change as a Markdown table.
func WriteHarness(w io.Writer, h HarnessCost, cfg HarnessConfig) {
	fmt.Fprintf(w, "hookcheck load --records %d --rate %s --duration %s against hookcheck registry (a separate process): %d changes, %d notifications, verdict %s\n\n",
		cfg.Records, thousands(cfg.Rate), cfg.Duration, h.Changes, h.Notifications, h.Verdict)
	fmt.Fprintln(w, "| process | CPU (sys) | CPU per change | peak RSS |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	row := func(name string, u Usage, per time.Duration) {
		perChange := "" // a run of one change has no cost per change to speak of
		if per > 0 {
			perChange = fmt.Sprintf("%.1f µs", float64(per.Nanoseconds())/1e3)
		}
		fmt.Fprintf(w, "| %s | %.2f s (%.2f s) | %s | %d MB |\n", name, u.CPU.Seconds(), u.Sys.Seconds(), perChange, u.MaxRSS>>20)
	}
	row("hookcheck load, all in (setup, send, receive, judge, teardown)", h.Load, h.PerChange(h.Load))
	row("hookcheck load of 1 change with the same hooks (setup and teardown)", h.Setup, 0)
	fmt.Fprintf(w, "| hookcheck load beyond its setup (send, receive, judge) | %.2f s | %.1f µs | |\n", (h.Load.CPU - h.Setup.CPU).Seconds(), float64(h.Marginal().Nanoseconds())/1e3)
	row("bare minimum: one vegeta send per change + one bare 204 receive per notification", h.Minimum, h.PerChange(h.Minimum))
	fmt.Fprintln(w)
	if m := h.PerChange(h.Minimum); m > 0 {
		fmt.Fprintf(w, "- harness ÷ bare minimum, per change: all in %.2f×, beyond setup %.2f×\n",
			float64(h.PerChange(h.Load))/float64(m), float64(h.Marginal())/float64(m))
	}
	if h.Verdict != report.LoadPass {
		fmt.Fprintf(w, "- NOT COMPARABLE: the load run's verdict was %s, not pass: the registry process or this machine fell behind, fewer notifications were sent, received and judged, and the ratio flatters the harness; run it again on a quieter machine\n", h.Verdict)
	}
}
