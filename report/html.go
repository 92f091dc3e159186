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

// WriteHTML writes a self-contained page: the summary, vegeta's latency
// plot of the requests, and for a load run notifications per window and
// the observed retry delays against the expected curve.
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
	data := map[string]any{
		"Title":   title,
		"Verdict": s.VerdictLine(),
		"What":    what,
		"Text":    text.String(),
		"Latency": latency.String(), // escaped into srcdoc by html/template
	}
	if s.Kind != KindFlood {
		data["Windows"], data["Retries"] = bars(s.PerWindow, s.Timing.Window), s.retryChart()
	}
	return page.Execute(w, data)
}

// bars is an SVG bar chart of notifications per window.
func bars(counts []uint64, window time.Duration) template.HTML {
	if len(counts) == 0 {
		return "<p>no notifications</p>"
	}
	const wd, ht = 800.0, 200.0
	var peak uint64 = 1
	for _, c := range counts {
		peak = max(peak, c)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img"><title>notifications per %s window</title>`, wd, ht+20, wd, ht+20, window)
	bw := wd / float64(len(counts))
	for i, c := range counts {
		h := ht * float64(c) / float64(peak)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#297373"><title>window %d: %d</title></rect>`, float64(i)*bw, ht-h, max(bw-1, 0.5), h, i, c)
	}
	fmt.Fprintf(&b, `<text x="0" y="%.0f" font-size="12">0</text><text x="%.0f" y="%.0f" font-size="12" text-anchor="end">%d windows of %s; peak %d</text></svg>`, ht+15, wd, ht+15, len(counts), window, peak)
	return template.HTML(b.String())
}

// retryChart plots, per failure count, the observed gaps (min–max bar and
// median dot) against the expected delay (line).
func (s *Summary) retryChart() template.HTML {
	gaps := s.Notify.Gaps
	if len(gaps) == 0 {
		return "<p>no retries observed</p>"
	}
	const wd, ht = 600.0, 240.0
	top := s.Timing.Retry.Delay(len(gaps)) + s.Timing.Tolerance
	for i := range gaps {
		top = max(top, gaps[i].Max())
	}
	y := func(d time.Duration) float64 { return ht - ht*float64(d)/float64(top) }
	x := func(i int) float64 { return 40 + (wd-60)*(float64(i)+0.5)/float64(len(gaps)) }
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img"><title>retry delays</title>`, wd, ht+30, wd, ht+30)
	var line bytes.Buffer
	for i := range gaps {
		exp := s.Timing.Retry.Delay(i + 1)
		fmt.Fprintf(&line, "%.1f,%.1f ", x(i), y(exp))
		g := &gaps[i]
		if g.Count() > 0 {
			fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#888" stroke-width="6"/>`, x(i), x(i), y(g.Min()), y(g.Max()))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="#B63A30"><title>after failure %d: median %s (n=%d), expected %s</title></circle>`, x(i), y(g.Quantile(0.5)), i+1, g.Quantile(0.5).Round(time.Millisecond), g.Count(), exp)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="11" text-anchor="middle">%d</text>`, x(i), ht+14, i+1)
	}
	fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#297373" stroke-width="2"/>`, line.String())
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="12" text-anchor="end">line: expected %s; dots: observed median; bars: min–max; y up to %s</text></svg>`, wd, ht+28, s.Timing.Retry, top.Round(time.Millisecond))
	return template.HTML(b.String())
}

var page = template.Must(template.New("load").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}pre{background:#f6f6f6;padding:1em;overflow:auto}iframe{width:100%;height:460px;border:1px solid #ddd}</style>
</head><body>
<h1>{{.Title}}</h1>
{{if .Verdict}}<p><strong>{{.Verdict}}</strong></p>{{end}}
<pre>{{.Text}}</pre>
<h2>{{.What}} latency over time</h2>
{{if .Latency}}<iframe title="latency plot" srcdoc="{{.Latency}}"></iframe>{{else}}<p>no results kept</p>{{end}}
{{if .Windows}}<h2>Notifications per window</h2>
{{.Windows}}
<h2>Retry delays: observed against expected</h2>
{{.Retries}}{{end}}
</body></html>
`))
