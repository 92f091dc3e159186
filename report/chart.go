package report

import (
	"bytes"
	"fmt"
	"html"
	"math"
)

// chart is an SVG plot frame: a plot area inside margins that hold the
// axes, their ticks with values, the axis titles and a legend. Every chart
// of the HTML report is drawn in one, so none goes without axes or units.
type chart struct {
	title          string
	w, h           float64 // the whole image
	xmax, ymax     float64 // the axes run from 0
	xlabel, ylabel string  // with units
	xtick          func(float64) string
	ytick          func(float64) string
	xticks         []float64 // nil: nice ticks up to xmax
	b              bytes.Buffer
}

const (
	marginLeft, marginRight, marginTop, marginBottom = 64.0, 16.0, 28.0, 48.0
)

// x and y map data to image coordinates.
func (c *chart) x(v float64) float64 {
	return marginLeft + (c.w-marginLeft-marginRight)*v/c.xmax
}
func (c *chart) y(v float64) float64 {
	return c.h - marginBottom - (c.h-marginTop-marginBottom)*v/c.ymax
}

// open starts the image and draws the axes.
func (c *chart) open() {
	if c.xmax <= 0 {
		c.xmax = 1
	}
	if c.ymax <= 0 {
		c.ymax = 1
	}
	fmt.Fprintf(&c.b, `<svg class="chart" viewBox="0 0 %.0f %.0f" width="100%%" style="max-width:%.0fpx" role="img" aria-label="%s"><title>%s</title>`,
		c.w, c.h, c.w, html.EscapeString(c.title), html.EscapeString(c.title))
	x0, x1, y0, y1 := c.x(0), c.x(c.xmax), c.y(0), c.y(c.ymax)
	fmt.Fprintf(&c.b, `<g class="axis x-axis" font-size="11">`)
	ticks := c.xticks
	if ticks == nil {
		ticks = niceTicks(c.xmax, 8)
	}
	for _, v := range ticks {
		fmt.Fprintf(&c.b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#444"/><text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`,
			c.x(v), c.x(v), y0, y0+5, c.x(v), y0+17, html.EscapeString(c.xtick(v)))
	}
	fmt.Fprintf(&c.b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#444"/>`, x0, x1, y0, y0)
	fmt.Fprintf(&c.b, `<text class="axis-title" x="%.1f" y="%.1f" text-anchor="middle" font-size="12">%s</text></g>`, (x0+x1)/2, c.h-8, html.EscapeString(c.xlabel))
	fmt.Fprintf(&c.b, `<g class="axis y-axis" font-size="11">`)
	for _, v := range niceTicks(c.ymax, 5) {
		fmt.Fprintf(&c.b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text class="tick" x="%.1f" y="%.1f" text-anchor="end">%s</text>`,
			x0, x1, c.y(v), c.y(v), x0-6, c.y(v)+4, html.EscapeString(c.ytick(v)))
	}
	fmt.Fprintf(&c.b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#444"/>`, x0, x0, y0, y1)
	fmt.Fprintf(&c.b, `<text class="axis-title" transform="translate(14 %.1f) rotate(-90)" text-anchor="middle" font-size="12">%s</text></g>`, (y0+y1)/2, html.EscapeString(c.ylabel))
}

// legend draws the keys of the series in the top margin.
func (c *chart) legend(keys ...legendKey) {
	x := marginLeft
	fmt.Fprintf(&c.b, `<g class="legend" font-size="12">`)
	for _, k := range keys {
		fmt.Fprintf(&c.b, `<rect x="%.0f" y="8" width="12" height="12" fill="%s"/><text x="%.0f" y="18">%s</text>`, x, k.color, x+16, html.EscapeString(k.text))
		x += 28 + 7*float64(len([]rune(k.text)))
	}
	c.b.WriteString(`</g>`)
}

type legendKey struct{ color, text string }

// close ends the image.
func (c *chart) close() string {
	c.b.WriteString(`</svg>`)
	return c.b.String()
}

// niceTicks are up to about n round values from 0 to max (1, 2 or 5 times a
// power of ten apart).
func niceTicks(max float64, n int) []float64 {
	if max <= 0 || math.IsInf(max, 0) || math.IsNaN(max) {
		return []float64{0}
	}
	raw := max / float64(n)
	step := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*step >= raw {
			step *= m
			break
		}
	}
	var out []float64
	for v := 0.0; v <= max*(1+1e-9); v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// secondsText is v seconds for a tick: "0", "250ms", "1.5s".
func secondsText(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 1:
		return fmt.Sprintf("%.4g ms", v*1000)
	}
	return fmt.Sprintf("%.4g s", v)
}

// countText is a count for a tick.
func countText(v float64) string { return fmt.Sprintf("%.6g", v) }
