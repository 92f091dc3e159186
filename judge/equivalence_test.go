package judge

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// recordedRun is a load run's input as the batch judge took it: hooks,
// changes and calls of a registry that batches, retries by doubling, and
// now and then misbehaves (a late call, a call too soon, a lost change, a
// duplicate, a wrong method, a redirect).
func recordedRun(seed uint64) (hooks map[string]string, changes map[string][]time.Time, obs []receiver.Observation) {
	rng := rand.New(rand.NewPCG(seed, 99))
	hooks, changes = map[string]string{}, map[string][]time.Time{}
	for h := range 200 {
		cb, rec := fmt.Sprintf("/%04d/updated", h), fmt.Sprintf("r%04d", h)
		hooks[cb] = rec
		t := rng.IntN(500)
		for range 1 + rng.IntN(4) {
			changes[rec] = append(changes[rec], at(t))
			deliver := t + 1000 + rng.IntN(50)
			switch rng.IntN(12) {
			case 0: // lost
				t += 3000
				continue
			case 1: // late
				deliver += 900
			case 2: // too soon after the previous: a batching violation
				deliver = t - 1000 + rng.IntN(300)
			}
			fails := 0
			if rng.IntN(4) == 0 {
				fails = 1 + rng.IntN(5) // up to past the maximum (4)
			}
			for k := 0; ; k++ {
				status := 204
				if k < fails {
					status = 500
				}
				o := call(cb, deliver, status)
				o.Record = rec
				if rng.IntN(40) == 0 {
					o.Method = "PUT"
				}
				obs = append(obs, o)
				if status == 204 {
					break
				}
				deliver += int(loadTiming.Retry.Delay(k+1)/time.Millisecond) + rng.IntN(600) - 300
			}
			if rng.IntN(15) == 0 { // a duplicate
				obs = append(obs, call(cb, deliver+1100, 204))
			}
			t = deliver + 1200 + rng.IntN(2000)
		}
	}
	obs = append(obs, receiver.Observation{Callback: receiver.RedirectPath, At: at(100), Method: "POST", ContentLength: "0", Status: 204})
	rng.Shuffle(len(obs), func(a, b int) { obs[a], obs[b] = obs[b], obs[a] })
	return hooks, changes, obs
}

// The streaming judge gives the batch judge's counts and histograms on the
// same input, whatever order the calls come in.
func TestStreamEqualsBatch(t *testing.T) {
	for seed := range uint64(8) {
		hooks, changes, obs := recordedRun(seed)
		end := at(60000)
		batch := Analyse(Input{Timing: loadTiming, Changes: changes, Hooks: hooks, Observations: obs, End: end})
		j, err := New(Config{Profile: loadProfile(), ChangesKnown: true, Horizon: 100 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		for cb, rec := range hooks {
			j.Hook(cb, rec)
		}
		for rec, cs := range changes {
			for _, c := range cs {
				j.Change(rec, c)
			}
		}
		for _, o := range obs {
			j.Observe(o)
		}
		stream := j.Finish(end)
		for _, f := range []struct {
			name        string
			batch, strm uint64
		}{
			{"calls", batch.Calls, stream.Calls}, {"hooks", batch.Hooks, stream.Hooks}, {"changes", batch.Changes, stream.Changes},
			{"failed", batch.Failed, stream.Failed}, {"not POST", batch.NotPOST, stream.NotPOST}, {"not empty", batch.NotEmpty, stream.NotEmpty},
			{"redirected", batch.Redirected, stream.Redirected}, {"covered", batch.Covered, stream.Covered}, {"late", batch.Late, stream.Late},
			{"lost", batch.Lost, stream.Lost}, {"pending", batch.Pending, stream.Pending}, {"duplicates", batch.Duplicates, stream.Duplicates},
			{"batching", batch.Batching, stream.Batching}, {"retry off", batch.RetryOff, stream.RetryOff},
			{"retry gaps", batch.RetryGaps, stream.RetryGaps}, {"over attempts", batch.OverAttempts, stream.OverAttempts},
			{"latency n", batch.Latency.Count(), stream.Latency.Count()},
		} {
			if f.batch != f.strm {
				t.Errorf("seed %d: %s: batch %d, stream %d", seed, f.name, f.batch, f.strm)
			}
		}
		for _, q := range []float64{0.5, 0.99, 1} {
			if b, s := batch.Latency.Quantile(q), stream.Latency.Quantile(q); b != s {
				t.Errorf("seed %d: latency q%v: batch %s, stream %s", seed, q, b, s)
			}
		}
		if len(batch.Gaps) != len(stream.Gaps) {
			t.Fatalf("seed %d: gap histograms: batch %d, stream %d", seed, len(batch.Gaps), len(stream.Gaps))
		}
		for i := range batch.Gaps {
			if b, s := batch.Gaps[i].Quantile(0.5), stream.Gaps[i].Quantile(0.5); b != s || batch.Gaps[i].Count() != stream.Gaps[i].Count() {
				t.Errorf("seed %d: gaps after failure %d: batch median %s of %d, stream %s of %d", seed, i+1, b, batch.Gaps[i].Count(), s, stream.Gaps[i].Count())
			}
		}
		if batch.Lost == 0 || batch.Late == 0 || batch.Batching == 0 || batch.Duplicates == 0 || batch.OverAttempts == 0 || batch.RetryOff == 0 {
			t.Errorf("seed %d: the recorded run has no misbehaviour to compare", seed)
		}
	}
}
