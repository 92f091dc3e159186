package judge

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// These tests are real senders written the way third-party dispatchers are
// — their own retry loop, their own backoff, jitter and queue lag — calling
// the real receiver (what `hookcheck receiver --log` serves), then judged
// from its log through AnalyzeLog, the code path of `hookcheck analyze`.

// sender is a webhook dispatcher: it POSTs an event until a 2xx, a final
// code or its maximum, sleeping delay(n) + jitter + lag after the n-th
// failure.
type sender struct {
	delay       func(n int) time.Duration
	share       float64       // each delay × U(1−share, 1+share)
	jitter      time.Duration // + U(0, jitter)
	lag         time.Duration // + lag
	final       func(status int) bool
	maxAttempts int
	rng         *rand.Rand
	mu          sync.Mutex
	client      http.Client
}

func (s *sender) wait(n int) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := float64(s.delay(n)) * (1 - s.share + 2*s.share*s.rng.Float64())
	return time.Duration(d+float64(s.jitter)*s.rng.Float64()) + s.lag
}

// deliver sends one event, an empty POST, to url with its retry loop.
func (s *sender) deliver(ctx context.Context, url string) {
	s.send(ctx, func() *http.Request {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, http.NoBody)
		return req
	})
}

// send delivers one event, each attempt a request from newReq, with the
// sender's retry loop.
func (s *sender) send(ctx context.Context, newReq func() *http.Request) {
	for n := 1; s.maxAttempts == 0 || n <= s.maxAttempts; n++ {
		req := newReq()
		status := 0
		if resp, err := s.client.Do(req); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
		if status >= 200 && status < 300 || (s.final != nil && s.final(status)) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.wait(n)):
		}
	}
}

// run serves a receiver logging to a file, delivers one event per script
// (each on its own callback, all at once), and returns the log's path.
func run(t *testing.T, s *sender, scripts ...string) string {
	t.Helper()
	return serve(t, receiver.Options{}, func(ctx context.Context, base string) {
		var wg sync.WaitGroup
		for i, sc := range scripts {
			wg.Go(func() { s.deliver(ctx, fmt.Sprintf("%s/event-%d?script=%s", base, i, sc)) })
		}
		wg.Wait()
	})
}

// serve runs a receiver with opts logging to a file while senders call it
// (at base), and returns the log's path once they are done.
func serve(t *testing.T, opts receiver.Options, senders func(ctx context.Context, base string)) string {
	t.Helper()
	log := filepath.Join(t.TempDir(), "calls.jsonl")
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.Log = f
	srv, err := receiver.Listen(context.Background(), "127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	senders(ctx, srv.URL())
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	return log
}

// analyze judges log against the built-in profile with the flags, as
// `hookcheck analyze --profile NAME FLAGS…` does: the flags parsed by
// OverrideFlags, the log read by AnalyzeLog.
func analyze(t *testing.T, log, profile string, flags ...string) *Analysis {
	t.Helper()
	p, err := LoadProfile(profile)
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	apply := OverrideFlags(fs)
	if err := fs.Parse(flags); err != nil {
		t.Fatal(err)
	}
	if p, err = apply(p); err != nil {
		t.Fatal(err)
	}
	a, err := AnalyzeLog(log, p, LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func check(a *Analysis, name string) Check {
	for _, c := range a.Checks {
		if c.Name == name {
			return c
		}
	}
	return Check{}
}

// fails is a script of n failures, then 204.
func fails(n int) string { return strings.Repeat("500,", n) + "204" }

// A backoff library's defaults — 500 ms initial, ×1.5, randomisation 0.5 —
// fail under doubling with the fit named, and pass when declared.
func TestGeometricSender(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Parallel()
			s := &sender{delay: func(n int) time.Duration { return time.Duration(500e6 * math.Pow(1.5, float64(n-1))) }, share: 0.5, rng: rand.New(rand.NewPCG(seed, 15))}
			log := run(t, s, fails(6), fails(6), fails(6), fails(6), fails(6))

			doubling := analyze(t, log, "orcid", "--retry-base", "500ms")
			c := check(doubling, "retry schedule")
			if c.Result != Fail || !strings.Contains(c.Reason, "geometric ×1.5") || doubling.Passed {
				t.Errorf("under doubling: %s: %s", c.Result, c.Reason)
			}
			if !strings.Contains(doubling.Tolerance, "derived from the declared timing: --retry-base 500ms") || !strings.Contains(doubling.Tolerance, "25%") {
				t.Errorf("tolerance used: %q", doubling.Tolerance)
			}

			declared := analyze(t, log, "orcid", "--retry", "geometric", "--retry-ratio", "1.5", "--retry-base", "500ms", "--retry-jitter", "50%")
			if c := check(declared, "retry schedule"); c.Result != Pass || !declared.Passed {
				t.Errorf("declared geometric ×1.5 ±50%%: %s: %s", c.Result, c.Reason)
			}
			t.Logf("seed %d under doubling from 500ms: %s", seed, c.Reason)
			fit := declared.Observed.Retry
			if fit.Sequences != 5 || fit.Gaps != 30 || math.Abs(fit.Ratio-1.5) > 0.2 {
				t.Errorf("observed %+v", fit)
			}
		})
	}
}

// A sender that treats 404 as final fails, naming the unretried 404.
func TestSenderThatGivesUpOn404(t *testing.T) {
	t.Parallel()
	s := &sender{delay: func(n int) time.Duration { return 100 * time.Millisecond << (n - 1) }, rng: rand.New(rand.NewPCG(4, 4)),
		final: func(status int) bool { return status == 404 }}
	log := run(t, s, "500,404,204", fails(4))
	a := analyze(t, log, "orcid", "--retry-base", "100ms")
	c := check(a, "retries")
	if c.Result != Fail || len(c.Examples) == 0 || !strings.Contains(c.Examples[0], "404 at ") || !strings.Contains(c.Examples[0], "was not retried") ||
		!strings.Contains(c.Examples[0], "stopped after 2 failed attempts without a 2xx (maximum 25)") {
		t.Errorf("retries: %s: %s %q", c.Result, c.Reason, c.Examples)
	}
	t.Logf("%s; e.g. %s", c.Reason, c.Examples[0])
	if a.Passed || a.Figures.Unretried != 1 || a.Figures.Failed != 6 {
		t.Errorf("passed %v, figures %+v", a.Passed, a.Figures)
	}
}

// Doubling with uniform jitter and a queue lag (the 2 s, 5 s and
// 1 s, scaled by 1/20) passes when the jitter is declared and fails
// without, showing the fit (ratio 2) and the spread.
func TestJitteredDoublingSender(t *testing.T) {
	t.Parallel()
	s := &sender{delay: func(n int) time.Duration { return 100 * time.Millisecond << (n - 1) }, jitter: 250 * time.Millisecond, lag: 50 * time.Millisecond,
		rng: rand.New(rand.NewPCG(5, 5))}
	scripts := make([]string, 8)
	for i := range scripts {
		scripts[i] = fails(6)
	}
	log := run(t, s, scripts...)
	with := analyze(t, log, "orcid", "--retry-base", "100ms", "--retry-jitter", "250ms")
	if c := check(with, "retry schedule"); c.Result != Pass {
		t.Errorf("with --retry-jitter 250ms: %s: %s %q", c.Result, c.Reason, c.Examples)
	}
	without := analyze(t, log, "orcid", "--retry-base", "100ms")
	c := check(without, "retry schedule")
	if c.Result != Fail || !strings.Contains(c.Reason, "doubling from") || !strings.Contains(c.Reason, "spread p50") {
		t.Errorf("without jitter: %s: %s", c.Result, c.Reason)
	}
	t.Logf("with --retry-jitter 250ms: %s", check(with, "retry schedule").Reason)
	t.Logf("without: %s", c.Reason)
	if r := without.Observed.Retry.Ratio; math.Abs(r-2) > 0.2 {
		t.Errorf("fitted ratio %v, want about 2", r)
	}
}

// Exact doubling whose first retry is late and that makes one attempt too
// many fails naming gap 1 and the attempt.
func TestLateFirstRetryAndOneAttemptTooMany(t *testing.T) {
	t.Parallel()
	s := &sender{delay: func(n int) time.Duration {
		d := 100 * time.Millisecond << (n - 1)
		if n == 1 {
			d += 1500 * time.Millisecond // 30 s late at ORCID's scale of 2 s
		}
		return d
	}, maxAttempts: 5, rng: rand.New(rand.NewPCG(6, 6))}
	log := run(t, s, fails(10))
	a := analyze(t, log, "orcid", "--retry-base", "100ms", "--max-attempts", "4")
	sched, maxed := check(a, "retry schedule"), check(a, "max attempts")
	if sched.Result != Fail || len(sched.Examples) == 0 || !strings.Contains(sched.Examples[0], "gap 1 (after failure 1) was 1.6") {
		t.Errorf("retry schedule: %s %q", sched.Reason, sched.Examples)
	}
	t.Logf("%s; e.g. %s", sched.Reason, sched.Examples[0])
	t.Logf("%s; e.g. %s", maxed.Reason, maxed.Examples[0])
	if maxed.Result != Fail || len(maxed.Examples) == 0 || !strings.Contains(maxed.Examples[0], "attempt 5, the maximum is 4") {
		t.Errorf("max attempts: %s %q", maxed.Reason, maxed.Examples)
	}
}
