package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/tsenart/vegeta/v12/lib/plot"
)

// WriteHTML writes a self-contained page: a PASS/FAIL/INCONCLUSIVE/PARTIAL
// headline, the summary, vegeta's latency plot of the requests, and for a
// load run the notifications per window against the changes sent, and the
// observed retry delays against the expected curve (chart and table).
func (s *Summary) WriteHTML(w io.Writer, results []vegeta.Result) error {
	var text bytes.Buffer
	s.WriteText(&text)
	title, what := "hookcheck load report", "Change request"
	if s.Kind == KindFlood {
		title, what = "hookcheck receiver flood report", "Receiver answer"
	}
	var latency bytes.Buffer
	if len(results) > 0 {
		p := plot.New(plot.Title(strings.ToLower(what)+" latency"), plot.Downsample(4000), plot.Label(plot.ErrorLabeler))
		for i := range results {
			if err := p.Add(&results[i]); err != nil {
				return fmt.Errorf("latency plot: %w", err)
			}
		}
		p.Close()
		if _, err := p.WriteTo(&latency); err != nil {
			return fmt.Errorf("latency plot: %w", err)
		}
	}
	word, class := s.headline()
	data := map[string]any{
		"Title":    title,
		"Headline": word,
		"Class":    class,
		"Verdict":  s.VerdictLine(),
		"What":     what,
		"Text":     text.String(),
		"Latency":  latency.String(), // escaped into srcdoc by html/template
	}
	if s.Kind != KindFlood {
		data["Windows"] = s.windowChart()
		data["Retries"], data["RetryRows"] = s.retryChart(), s.retryRows()
	}
	return page.Execute(w, data)
}

// headline is the page's one-word verdict and its style class.
func (s *Summary) headline() (string, string) {
	switch s.Verdict {
	case LoadPass:
		return "PASS", "pass"
	case LoadFail, LoadThreshold:
		return "FAIL", "fail"
	case LoadInconclusive:
		return "INCONCLUSIVE", "inconclusive"
	case LoadPartial:
		return "PARTIAL", "inconclusive"
	}
	return "NOT JUDGED", "inconclusive"
}

// windowChart plots notifications per batch window (bars) against the
// changes sent in each window (line): with batching, a window's
// notifications stay at or under the hooks changed in it.
func (s *Summary) windowChart() template.HTML {
	counts, changes := s.PerWindow, s.ChangesPerWindow
	if len(counts) == 0 && len(changes) == 0 {
		return "<p>no notifications</p>"
	}
	n := max(len(counts), len(changes))
	window := s.Timing.Window
	if window <= 0 {
		window = time.Second
	}
	var peak uint64
	for _, c := range append(append([]uint64{}, counts...), changes...) {
		peak = max(peak, c)
	}
	ws := window.Seconds()
	c := &chart{title: fmt.Sprintf("notifications per %s window against changes sent", window), w: 900, h: 300,
		xmax: float64(n) * ws, ymax: float64(peak) * 1.1, xlabel: fmt.Sprintf("time since start (s; windows of %s)", window),
		ylabel: "per window", xtick: func(v float64) string { return countText(v) }, ytick: countText}
	c.open()
	c.legend(legendKey{"#297373", "notifications"}, legendKey{"#B63A30", "changes sent"})
	bw := c.x(ws) - c.x(0)
	for i, v := range counts {
		fmt.Fprintf(&c.b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#297373"><title>window %d (%s–%s): %d notifications</title></rect>`,
			c.x(float64(i)*ws)+0.5, c.y(float64(v)), max(bw-1, 0.5), c.y(0)-c.y(float64(v)), i, time.Duration(i)*window, time.Duration(i+1)*window, v)
	}
	if len(changes) > 0 {
		var pts strings.Builder
		for i, v := range changes {
			fmt.Fprintf(&pts, "%.1f,%.1f %.1f,%.1f ", c.x(float64(i)*ws), c.y(float64(v)), c.x(float64(i+1)*ws), c.y(float64(v)))
		}
		fmt.Fprintf(&c.b, `<polyline class="changes" points="%s" fill="none" stroke="#B63A30" stroke-width="2"/>`, pts.String())
	}
	return template.HTML(c.close())
}

// retryChart plots, per failure count, the observed gaps (min–max bar and
// median dot, labelled with its value) against the expected delay (line).
func (s *Summary) retryChart() template.HTML {
	gaps := s.Notify.Gaps
	if len(gaps) == 0 {
		return "<p>no retries observed</p>"
	}
	top := s.Timing.Retry.Delay(len(gaps)) + s.Timing.Tolerance
	for i := range gaps {
		top = max(top, gaps[i].Max())
	}
	ticks := make([]float64, len(gaps))
	for i := range ticks {
		ticks[i] = float64(i + 1)
	}
	c := &chart{title: "retry delays: observed against expected", w: 900, h: 340,
		xmax: float64(len(gaps)) + 0.5, ymax: top.Seconds() * 1.1, xticks: ticks,
		xlabel: "consecutive failures before the retry", ylabel: "delay before the retry (s)",
		xtick: countText, ytick: secondsText}
	c.open()
	c.legend(legendKey{"#297373", "expected: " + s.Timing.Retry.String()}, legendKey{"#B63A30", "observed median"}, legendKey{"#999", "observed min–max"})
	var line strings.Builder
	for i := range gaps {
		n := float64(i + 1)
		exp := s.Timing.Retry.Delay(i + 1)
		fmt.Fprintf(&line, "%.1f,%.1f ", c.x(n), c.y(exp.Seconds()))
		g := &gaps[i]
		if g.Count() == 0 {
			continue
		}
		med := g.Quantile(0.5)
		fmt.Fprintf(&c.b, `<rect class="range" x="%.1f" y="%.1f" width="10" height="%.1f" fill="#999"><title>after failure %d: min %s, max %s</title></rect>`,
			c.x(n)-5, c.y(g.Max().Seconds()), max(c.y(g.Min().Seconds())-c.y(g.Max().Seconds()), 2), i+1, roundDelay(g.Min()), roundDelay(g.Max()))
		fmt.Fprintf(&c.b, `<circle class="median" cx="%.1f" cy="%.1f" r="5" fill="#B63A30"><title>after failure %d: median %s (n=%d), expected %s</title></circle>`,
			c.x(n), c.y(med.Seconds()), i+1, roundDelay(med), g.Count(), exp)
		fmt.Fprintf(&c.b, `<text class="value" x="%.1f" y="%.1f" font-size="11">%s</text>`, c.x(n)+9, c.y(med.Seconds())+4, roundDelay(med))
	}
	fmt.Fprintf(&c.b, `<polyline class="expected" points="%s" fill="none" stroke="#297373" stroke-width="2"/>`, line.String())
	return template.HTML(c.close())
}

// retryRow is one failure count's retry delays, for the table under the
// chart.
type retryRow struct {
	Failures                   int
	Expected, Median, Min, Max string
	N                          uint64
}

func (s *Summary) retryRows() []retryRow {
	var rows []retryRow
	for i := range s.Notify.Gaps {
		g := &s.Notify.Gaps[i]
		rows = append(rows, retryRow{Failures: i + 1, Expected: s.Timing.Retry.Delay(i + 1).String(), N: g.Count(),
			Median: roundDelay(g.Quantile(0.5)), Min: roundDelay(g.Min()), Max: roundDelay(g.Max())})
	}
	return rows
}

// roundDelay rounds a retry delay for reading.
func roundDelay(d time.Duration) string { return d.Round(time.Millisecond).String() }

var page = template.Must(template.New("load").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;padding:0 1em}
pre{background:#f6f6f6;padding:1em;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
iframe{width:100%;height:640px;border:1px solid #ddd}
.headline{font-size:2em;font-weight:bold;padding:.3em .6em;border-radius:.3em;display:inline-block;color:#fff}
.pass{background:#2e7d32}.fail{background:#c62828}.inconclusive{background:#ef6c00}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .6em;text-align:right}
svg.chart{display:block;height:auto}
</style>
</head><body>
<h1>{{.Title}}</h1>
<p id="result" class="headline {{.Class}}">{{.Headline}}</p>
{{if .Verdict}}<p id="verdict"><strong>{{.Verdict}}</strong></p>{{end}}
<pre>{{.Text}}</pre>
<h2>{{.What}} latency over time</h2>
{{if .Latency}}<iframe title="latency plot" srcdoc="{{.Latency}}" id="latency" onload="try{var d=this.contentDocument.documentElement;this.dataset.contentHeight=d.scrollHeight;this.style.height=(d.scrollHeight+24)+'px'}catch(e){}"></iframe>{{else}}<p>no results kept</p>{{end}}
{{if .Windows}}<h2>Notifications per window</h2>
<div id="windows">{{.Windows}}</div>
<h2>Retry delays: observed against expected</h2>
<div id="retries">{{.Retries}}</div>
{{if .RetryRows}}<table id="retry-table"><tr><th>failures</th><th>expected</th><th>observed median</th><th>min</th><th>max</th><th>retries</th></tr>
{{range .RetryRows}}<tr><td>{{.Failures}}</td><td>{{.Expected}}</td><td>{{.Median}}</td><td>{{.Min}}</td><td>{{.Max}}</td><td>{{.N}}</td></tr>
{{end}}</table>{{end}}{{end}}
</body></html>
`))
