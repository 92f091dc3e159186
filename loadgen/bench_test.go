package loadgen

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/internal/benchhttp"
)

// The ceiling of the generator itself: a bare vegeta attack, unpaced, on a
// bare net/http 204 server, over loopback. Compare with hookcheck load's
// sustained change rate (docs/performance.md):
//
//	go test -run '^$' -bench Vegeta -benchtime 3s ./loadgen/
func BenchmarkVegetaBare204(b *testing.B) {
	srv := httptest.NewServer(benchhttp.Bare204)
	defer srv.Close()
	var left atomic.Int64
	left.Store(int64(b.N))
	tr := func(t *vegeta.Target) error {
		if left.Add(-1) < 0 {
			return vegeta.ErrNoTargets
		}
		*t = vegeta.Target{Method: http.MethodPost, URL: srv.URL + "/cb"}
		return nil
	}
	atk := vegeta.NewAttacker(vegeta.Workers(64), vegeta.MaxWorkers(64), vegeta.KeepAlive(true))
	b.ResetTimer()
	bad := 0
	for r := range atk.Attack(tr, vegeta.Rate{Freq: 0}, 0, "bare") {
		if r.Code != http.StatusNoContent && r.Error != vegeta.ErrNoTargets.Error() {
			bad++
		}
	}
	if bad > 0 {
		b.Fatalf("%d hits not answered 204", bad)
	}
	benchhttp.Rate(b, "hits/s")
}
