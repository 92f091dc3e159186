package judge

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
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

// The streaming judge gives the figures the batch judge gave on the same
// recorded runs (testdata/batch-judge.json, written by the batch judge
// before it was removed), whatever order the calls come in.
func TestStreamEqualsBatch(t *testing.T) {
	b, err := os.ReadFile("testdata/batch-judge.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden []goldenCounts
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	for _, want := range golden {
		hooks, changes, obs := recordedRun(want.Seed)
		r, err := All(Input{Profile: loadProfile(), Changes: changes, Hooks: hooks, Observations: obs, End: at(60000)})
		if err != nil {
			t.Fatal(err)
		}
		if got := countsOf(want.Seed, r); !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d:\nstream %+v\nbatch  %+v", want.Seed, got, want)
		}
		if want.Lost == 0 || want.Late == 0 || want.Batching == 0 || want.Duplicates == 0 || want.OverAttempts == 0 || want.RetryOff == 0 {
			t.Errorf("seed %d: the recorded run has no misbehaviour of some kind to compare", want.Seed)
		}
	}
}
