package loadgen

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Config is one load run (or one shard of it).
type Config struct {
	// Target is the registry's base URL; TokenURL defaults to
	// Target/oauth/token.
	Target, TokenURL string
	ClientID         string
	ClientSecret     string
	// Control says the target serves the reference registry's /_hookcheck/
	// API: records are created and changed there. Without it, Records are
	// changed through the Member API with their update tokens.
	Control bool
	Records []target.Record
	// NRecords is how many records (hooks) to create with the control API,
	// over all shards.
	NRecords int
	Pacing   Pacing // of record changes, over all shards
	Shard    Shard
	// FailRatio of the hooks answer by FailScript (e.g. "500,500,204").
	FailRatio  float64
	FailScript string
	Timing     timing.Timing
	// Profile is what the sender promises (jitter, lag, event key …),
	// judged with Timing's durations; the zero value is the orcid profile.
	Profile judge.Profile
	// ReceiverAddr is where the receiver listens; CallbackBase is the URL
	// the target reaches it at (default its loopback URL). CallbackHost,
	// instead, names only the host: the URL is http://HOST:PORT with the
	// port the receiver got (e.g. a pod's IP, the receiver on ":0").
	ReceiverAddr, CallbackBase, CallbackHost string
	// Drain is how long to keep observing after the attack (0: computed
	// from the timing and the fail script).
	Drain time.Duration
	// Results, when set, receives every vegeta result of the change attack.
	Results vegeta.Encoder
	// RegistryLag, for the embedded target, is how late the registry in
	// this process started its calls (nil for another target).
	RegistryLag func() registry.Lag
	// Progress receives a live progress line with the running verdicts
	// (nil: none).
	Progress io.Writer
	// Interim, when set, receives every InterimEvery a report of the run
	// so far, marked partial and interim (load --json-every).
	Interim      func(*report.Summary)
	InterimEvery time.Duration
	// Log, when set, receives every call the receiver sees as a JSON line
	// (a *receiver.LogFile rotates by size): analyze reads it.
	Log    io.Writer
	Logger *slog.Logger
	// KeepResults keeps results in memory for the HTML latency plot.
	KeepResults bool
	// Workers bounds the requests in flight and the connections to the
	// target (0: DefaultWorkers); the pool starts smaller (see
	// Pacing.InitialWorkers) and grows while sends wait for a worker.
	Workers int
}

// Validate names what is wrong with c.
func (c *Config) Validate() error {
	if c.Target == "" {
		return fmt.Errorf("no target URL")
	}
	if err := c.Pacing.Validate(); err != nil {
		return err
	}
	if err := c.Timing.Validate(); err != nil {
		return err
	}
	if c.InterimEvery < 0 {
		return fmt.Errorf("interim report interval must be positive, got %s", c.InterimEvery)
	}
	if c.Workers < 0 {
		return fmt.Errorf("workers must be positive (0: from the rate), got %d", c.Workers)
	}
	if sends := c.Pacing.Rate * c.Pacing.Duration.Seconds(); sends < float64(c.Shard.N) {
		return fmt.Errorf("%.0f planned sends cannot be split over %d shards: raise the rate or the duration", sends, c.Shard.N)
	}
	if !(c.FailRatio >= 0 && c.FailRatio <= 1) { // NaN too
		return fmt.Errorf("fail ratio must be in [0, 1], got %v", c.FailRatio)
	}
	if c.CallbackBase != "" && c.CallbackHost != "" {
		return fmt.Errorf("give a callback base URL or a callback host, not both")
	}
	if _, err := receiver.ParseScript(c.FailScript); err != nil {
		return fmt.Errorf("fail script: %w", err)
	}
	if c.Control && c.NRecords < c.Shard.N {
		return fmt.Errorf("need at least one record per shard: %d records, %d shards", c.NRecords, c.Shard.N)
	}
	if !c.Control && len(c.Records) == 0 {
		return fmt.Errorf("no records to change: the target has no control API, so give records with update tokens")
	}
	return nil
}

// DrainTime is how long after the last change a notification may still
// come (Drain when set): a window, the retries the fail script causes, a
// callback timeout, and tolerance on each.
func (c *Config) DrainTime() time.Duration {
	if c.Drain > 0 {
		return c.Drain
	}
	t := c.Timing
	d := t.Window + t.CallbackTimeout + 2*t.Tolerance
	if sc, err := receiver.ParseScript(c.FailScript); err == nil && c.FailRatio > 0 {
		for n := 1; n < len(sc) && sc[n-1].Code/100 != 2; n++ {
			d += t.Retry.Delay(n) + t.Tolerance
		}
	}
	return d
}

// shardPacing is this shard's share of the pacing.
func (c *Config) shardPacing() Pacing {
	p, sh := c.Pacing, c.Shard
	if sh.N == 0 {
		sh.N = 1
	}
	p.Rate, p.Amp = sh.Rate(p.Rate), sh.Rate(p.Amp)
	return p
}

// workers is the most workers of this shard's attack: Workers, else
// DefaultWorkers.
func (c *Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return DefaultWorkers
}

// quiet is how long the drain goes on once every change was notified: a
// duplicate after a 2xx would come by the first retry delay.
func (c *Config) quiet() time.Duration {
	return c.Timing.Retry.Delay(1) + c.Timing.Tolerance
}

// Shard is part i (from 0) of n of a run.
type Shard struct{ I, N int }

// ParseShard parses "i/n".
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 0 ≤ i < n, e.g. 0/4", s)
	}
	return Shard{i, n}, nil
}

// String is "i/n".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// Count is this shard's share of total: total/n, the first total%n shards
// taking one more.
func (s Shard) Count(total int) int {
	n := total / s.N
	if s.I < total%s.N {
		n++
	}
	return n
}

// Plan keeps this shard's sends of the whole run's plan: every n-th, so
// the shards' sends add up to the run's exactly.
func (s Shard) Plan(all []time.Duration) []time.Duration {
	out := make([]time.Duration, 0, len(all)/s.N+1)
	for k := s.I; k < len(all); k += s.N {
		out = append(out, all[k])
	}
	return out
}

// Rate is this shard's share of a rate.
func (s Shard) Rate(r float64) float64 { return r / float64(s.N) }

// Owns reports whether the record at global index k belongs to this shard.
func (s Shard) Owns(k int) bool { return k%s.N == s.I }

// failing reports whether the hook at global index k fails by script: the
// hooks are spread evenly, k failing when ⌊(k+1)·ratio⌋ > ⌊k·ratio⌋.
func failing(k int, ratio float64) bool {
	return int((float64(k)+1)*ratio) > int(float64(k)*ratio)
}

// profile is the profile the run is judged by: Profile (the orcid profile
// when unset) with Timing's durations.
func (c Config) profile() judge.Profile {
	p := c.Profile
	if p.Name == "" {
		p = judge.ORCID()
	}
	return judge.WithTiming(p, c.Timing)
}
