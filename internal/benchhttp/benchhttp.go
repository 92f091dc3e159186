// Package benchhttp holds what the loopback HTTP benchmarks share: a
// keep-alive client, the bare net/http baseline, and a rate metric.
package benchhttp

import (
	"io"
	"net/http"
	"testing"

	"github.com/hookcheck/hookcheck/internal/bare204"
)

// Client is a keep-alive client sized for parallel benchmarks.
func Client() *http.Client {
	return &http.Client{
		Transport:     &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Bare204 is the baseline: a net/http handler that drains the body and
// answers 204, doing nothing else.
var Bare204 = bare204.Handler

// Send does req and fails b unless the answer is want.
func Send(b *testing.B, c *http.Client, req *http.Request, want int) {
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		b.Fatalf("%s %s: %d, want %d", req.Method, req.URL.Path, resp.StatusCode, want)
	}
}

// Rate reports b.N per second of the run as unit (e.g. "calls/s").
func Rate(b *testing.B, unit string) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}
