package report

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/net/html"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/internal/skiptest"
	"github.com/hookcheck/hookcheck/judge"
)

// chromium finds a headless Chromium, or skips t (counted in the package's
// skip summary).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	skiptest.Skip(t, "Chromium", errors.New("no chromium, chromium-browser or google-chrome on PATH (apt-get install chromium)"))
	return ""
}

// browse runs Chromium on page with args (--dump-dom, --screenshot=…): no
// network but loopback, no sandbox (CI runs as root), scripts given time to
// run.
func browse(t *testing.T, bin, page string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--proxy-server=127.0.0.1:9", "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=5000",
		"--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, "file://"+page)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// loadRun is a load run as a real one reads: 30 changes/s for 6 s on 40
// records, a quarter of the hooks failing twice and retried on a doubling
// schedule with jitter, the notifications batched in 1 s windows.
func loadRun(verdict string) (*Summary, []vegeta.Result) {
	t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(7, 9))
	s := &Summary{
		Profile: "orcid", Shards: []string{"0/1"}, Target: "http://127.0.0.1:8080", Records: 40, Failing: 10,
		Timing:  timing.Timing{Window: time.Second, Retry: timing.Retry{Kind: timing.Doubling, Base: time.Second, MaxAttempts: 25}, CallbackTimeout: 2 * time.Second, Tolerance: 250 * time.Millisecond},
		Pacing:  Pacing{Shape: "constant", Rate: 30, Duration: 6 * time.Second},
		Started: t0, Ended: t0.Add(6 * time.Second), Verdict: verdict,
		Notify: &judge.Report{ChangesKnown: true, Hooks: 40, Gaps: make([]judge.Histogram, 2)},
	}
	var results []vegeta.Result
	for i := range 180 {
		at := time.Duration(i) * time.Second / 30
		lat := time.Duration(200+rng.IntN(800)) * time.Microsecond
		results = append(results, vegeta.Result{Attack: "load", Seq: uint64(i), Code: 202, Timestamp: t0.Add(at), Latency: lat})
		s.API.Add(202, "", lat)
		s.Sends.Lateness.Add(time.Duration(rng.IntN(900)) * time.Microsecond)
	}
	s.ChangesPerWindow = []uint64{30, 30, 30, 30, 30, 30}
	s.PerWindow = []uint64{0, 28, 31, 30, 29, 30, 12, 10, 0, 0, 10}
	for range 10 {
		s.Notify.Gaps[0].Add(time.Second + time.Duration(rng.IntN(60))*time.Millisecond)
		s.Notify.Gaps[1].Add(2*time.Second + time.Duration(rng.IntN(60))*time.Millisecond)
	}
	s.Checks = []judge.Check{{Name: "retries", Result: judge.Pass, Reason: "every failure retried"}}
	if verdict == LoadThreshold {
		s.Limits = []Outcome{{Threshold: "p99<100µs", OK: false}}
	}
	return s, results
}

// TestHTMLInChromium renders the HTML report in headless Chromium and
// reads what a user sees: the verdict headline; every chart with both axes
// ticked, labelled and carrying units; the latency plot's frame grown to
// its content (the plot's x-axis and legend not clipped); the changes sent
// drawn against the notifications per window; the retry delays readable as
// values; and a screenshot whose content is not blank.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	flood, floodResults := loadRun(LoadInconclusive)
	flood.Kind, flood.Behind = KindFlood, "all 2 workers were busy"
	tests := []struct {
		name     string
		headline string
		charts   int
		s        *Summary
		results  []vegeta.Result
	}{
		{"passed load", "PASS", 2, nil, nil},
		{"load failing a threshold", "FAIL", 2, nil, nil},
		{"inconclusive flood", "INCONCLUSIVE", 0, flood, floodResults},
	}
	tests[0].s, tests[0].results = loadRun(LoadPass)
	tests[1].s, tests[1].results = loadRun(LoadThreshold)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := filepath.Join(t.TempDir(), "report.html")
			var b bytes.Buffer
			if err := tt.s.WriteHTML(&b, tt.results); err != nil {
				t.Fatal(err)
			}
			// the test's copy records how wide the summary is laid out
			measure := `<script>var p=document.querySelector("pre");p.dataset.scroll=p.scrollWidth;p.dataset.client=p.clientWidth</script></body>`
			os.WriteFile(page, bytes.Replace(b.Bytes(), []byte("</body>"), []byte(measure), 1), 0o644)
			doc, err := html.Parse(bytes.NewReader(browse(t, bin, page, "--dump-dom")))
			if err != nil {
				t.Fatal(err)
			}
			if got := text(byID(doc, "result")); got != tt.headline {
				t.Errorf("headline %q, want %q", got, tt.headline)
			}
			summary := first(doc, func(n *html.Node) bool { return n.Data == "pre" })
			scroll, _ := strconv.Atoi(attrOf(summary, "data-scroll"))
			client, _ := strconv.Atoi(attrOf(summary, "data-client"))
			if client == 0 || scroll > client {
				t.Errorf("the summary is %dpx wide in a box %dpx wide: it scrolls sideways", scroll, client)
			}
			frame := byID(doc, "latency")
			if frame == nil {
				t.Fatal("no latency plot")
			}
			content, _ := strconv.Atoi(attrOf(frame, "data-content-height"))
			height := styleHeight(attrOf(frame, "style"))
			if content < 300 || height < content {
				t.Errorf("latency frame %dpx high for a plot %dpx high: clipped (style %q)", height, content, attrOf(frame, "style"))
			}
			charts := all(doc, func(n *html.Node) bool { return n.Data == "svg" && strings.Contains(attrOf(n, "class"), "chart") })
			if len(charts) != tt.charts {
				t.Fatalf("%d charts, want %d", len(charts), tt.charts)
			}
			for _, c := range charts {
				for _, axis := range []string{"x-axis", "y-axis"} {
					g := first(c, func(n *html.Node) bool { return strings.Contains(attrOf(n, "class"), axis) })
					ticks := all(g, func(n *html.Node) bool { return attrOf(n, "class") == "tick" })
					title := first(g, func(n *html.Node) bool { return attrOf(n, "class") == "axis-title" })
					if len(ticks) < 2 || title == nil || text(title) == "" {
						t.Errorf("%s: %s has %d ticks, title %q", attrOf(c, "aria-label"), axis, len(ticks), text(title))
					}
				}
			}
			if tt.charts == 0 {
				return
			}
			if ys := ticksOf(charts[1], "y-axis"); !strings.HasSuffix(ys[len(ys)-1], " s") {
				t.Errorf("retry chart's y ticks %v carry no unit", ys)
			}
			if first(charts[0], func(n *html.Node) bool { return attrOf(n, "class") == "changes" }) == nil {
				t.Error("no changes-sent line over the notifications per window")
			}
			values := all(charts[1], func(n *html.Node) bool { return attrOf(n, "class") == "value" })
			rows := all(byID(doc, "retry-table"), func(n *html.Node) bool { return n.Data == "tr" })
			if len(values) != 2 || !strings.HasPrefix(text(values[1]), "2.0") || len(rows) != 3 {
				t.Errorf("retry delays: %d value labels (%q…), %d table rows; want 2 and a header with 2 rows", len(values), text(values[0]), len(rows))
			}
			if tt.headline != "PASS" {
				return
			}
			shot := filepath.Join(t.TempDir(), "shot.png")
			browse(t, bin, page, "--window-size=1200,2400", "--screenshot="+shot)
			bands, blank := screenshotBands(t, shot, 1200, 2400, 100)
			if bands-blank < 15 {
				t.Errorf("screenshot: %d of %d bands of 100px hold content, want ≥ 15", bands-blank, bands)
			}
		})
	}
}

// screenshotBands decodes the PNG at path, checks its size, and counts its
// horizontal bands of h pixels and those that are blank (one colour).
func screenshotBands(t *testing.T, path string, w, ht, h int) (bands, blank int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != ht {
		t.Fatalf("screenshot %v, want %dx%d", b, w, ht)
	}
	for y0 := 0; y0 < ht; y0 += h {
		bands++
		if oneColour(img, y0, min(y0+h, ht)) {
			blank++
		}
	}
	return bands, blank
}

func oneColour(img image.Image, y0, y1 int) bool {
	r0, g0, b0, _ := img.At(0, y0).RGBA()
	for y := y0; y < y1; y += 2 {
		for x := 0; x < img.Bounds().Dx(); x += 2 {
			if r, g, b, _ := img.At(x, y).RGBA(); r != r0 || g != g0 || b != b0 {
				return false
			}
		}
	}
	return true
}

func ticksOf(chart *html.Node, axis string) []string {
	g := first(chart, func(n *html.Node) bool { return strings.Contains(attrOf(n, "class"), axis) })
	var out []string
	for _, n := range all(g, func(n *html.Node) bool { return attrOf(n, "class") == "tick" }) {
		out = append(out, text(n))
	}
	return out
}

func styleHeight(style string) int {
	for _, decl := range strings.Split(style, ";") {
		if k, v, ok := strings.Cut(decl, ":"); ok && strings.TrimSpace(k) == "height" {
			px, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "px"), 64)
			return int(px)
		}
	}
	return 0
}

func attrOf(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func all(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n == nil {
		return nil
	}
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			out = append(out, d)
		}
	}
	return out
}

func first(n *html.Node, match func(*html.Node) bool) *html.Node {
	if l := all(n, match); len(l) > 0 {
		return l[0]
	}
	return nil
}

func byID(n *html.Node, id string) *html.Node {
	return first(n, func(d *html.Node) bool { return attrOf(d, "id") == id })
}

func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.TrimSpace(b.String())
}
