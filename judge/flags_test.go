package judge

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// TestOverrideFlags parses each command's profile flags and checks the
// profile they make, or that a bad value is refused naming its flag.
func TestOverrideFlags(t *testing.T) {
	tests := []struct {
		args  []string
		check func(Profile) bool
		err   string
	}{
		{args: nil, check: func(p Profile) bool { return p.Name == "orcid" && p.Tolerance.Abs == time.Minute }},
		{args: []string{"--retry", "geometric", "--retry-ratio", "1.5", "--retry-base", "2s"}, check: func(p Profile) bool {
			return p.Retry.Kind == timing.Geometric && p.Retry.Ratio == 1.5 && p.Retry.Base == 2*time.Second && p.Tolerance.Derived()
		}},
		{args: []string{"--retry-jitter", "50%", "--retry-lag", "1s", "--event-key", "header:webhook-id"}, check: func(p Profile) bool {
			return p.Retry.Jitter.Share == 0.5 && p.Retry.Lag == time.Second && p.EventKey == EventKey{From: KeyHeader, Name: "webhook-id"}
		}},
		{args: []string{"--window", "none", "--retry-delays", "0s,5s,5m"}, check: func(p Profile) bool {
			return p.Window == 0 && p.Retry.Kind == timing.List && len(p.Retry.Delays) == 3
		}},
		{args: []string{"--max-attempts", "0", "--tolerance", "5s"}, check: func(p Profile) bool {
			return p.Retry.MaxAttempts == 0 && p.Tolerance.Abs == 5*time.Second && strings.Contains(p.Name, "--max-attempts 0")
		}},
		{args: []string{"--window", "0s"}, err: "--window must be positive"},
		{args: []string{"--window", "soon"}, err: "--window must be positive"},
		{args: []string{"--retry-base", "0s"}, err: "--retry-base must be positive"},
		{args: []string{"--retry-lag", "-1s"}, err: "--retry-lag must be positive"},
		{args: []string{"--tolerance", "0s"}, err: "--tolerance must be positive"},
		{args: []string{"--callback-timeout", "-2s"}, err: "--callback-timeout must be positive"},
		{args: []string{"--retry-ratio", "0"}, err: "--retry-ratio must be ≥ 1"},
		{args: []string{"--max-attempts", "-5"}, err: "--max-attempts must be ≥ 0"},
		{args: []string{"--retry-delays", "1s,later"}, err: "--retry-delays"},
		{args: []string{"--retry", "sometimes"}, err: "--retry: unknown retry policy"},
		{args: []string{"--retry-jitter", "soon"}, err: "--retry-jitter"},
		{args: []string{"--event-key", "cookie"}, err: "--event-key"},
		{args: []string{"--retry", "geometric"}, err: "needs a ratio"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			apply := OverrideFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			p, err := apply(ORCID())
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one naming %q", err, tt.err)
				}
				return
			}
			if err != nil || !tt.check(p) {
				t.Fatalf("profile %+v, error %v", p, err)
			}
		})
	}
}
