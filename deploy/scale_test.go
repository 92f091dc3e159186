package deploy

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/container/dockertest"
)

// BenchmarkJobShards runs deploy/'s Jobs on this machine with 1, 2 and 4
// shards at one total rate, and reports the rate the merged run reached,
// how late the generator's sends left, and the merge's exit code (0: every
// verdict and threshold passed). Each run takes about 20 s:
//
//	go test -run '^$' -bench JobShards -benchtime 1x ./deploy/
//
// HOOKCHECK_JOB_RATE sets the total rate in changes/s (default 1000).
func BenchmarkJobShards(b *testing.B) {
	dockertest.Need(b)
	rate := 1000
	if v := os.Getenv("HOOKCHECK_JOB_RATE"); v != "" {
		var err error
		if rate, err = strconv.Atoi(v); err != nil || rate <= 0 {
			b.Fatalf("HOOKCHECK_JOB_RATE=%q: want a positive number of changes per second", v)
		}
	}
	lc := newLocalCluster(b, jobLoad{records: 4000, rate: rate, duration: 10 * time.Second})
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("shards=%d", n), func(b *testing.B) {
			for range b.N {
				r := lc.run(b, n, -1)
				s := r.merged
				if s == nil {
					b.Fatalf("no merged summary; merge exit %d:\n%s", r.mergeCode, r.mergeOut)
				}
				b.ReportMetric(float64(s.Sends.Sent)/s.Pacing.Duration.Seconds(), "changes/s")
				b.ReportMetric(float64(s.Sends.Dropped), "dropped")
				b.ReportMetric(ms(s.Sends.Lateness.Quantile(0.99)), "send-lag-p99-ms")
				b.ReportMetric(ms(s.API.Latency.Quantile(0.99)), "p99-ms")
				b.ReportMetric(ms(s.Notify.Latency.Quantile(0.99)), "notify-p99-ms")
				b.ReportMetric(float64(r.mergeCode), "merge-exit")
				verdict := "PASS"
				if r.mergeCode != 0 {
					verdict = fmt.Sprintf("exit %d", r.mergeCode)
				}
				b.Logf("%d shard(s) at %d changes/s: merged verdict %s; lost %d, late %d, calls %d; warnings: %s",
					n, rate, verdict, s.Notify.Lost, s.Notify.Late, s.Notify.Calls, strings.Join(s.Warnings, "; "))
			}
		})
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
