package loadgen

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

// TestLiveJudgementEqualsTheBatchJudgeOnARecordedRun records a load run
// (the receiver's log, rotated, and the vegeta results) and judges the
// recording again in one batch, as the harness did before it judged live:
// the verdicts and every count must be the same.
func TestLiveJudgementEqualsTheBatchJudgeOnARecordedRun(t *testing.T) {
	cfg := loadConfig(startRegistry(t, timing.Doubling), Shard{})
	cfg.NRecords, cfg.Pacing.Rate, cfg.Pacing.Duration = 300, 400, 3*time.Second
	cfg.FailRatio, cfg.FailScript = 0.15, "500,503,204"
	logPath := filepath.Join(t.TempDir(), "calls.jsonl")
	log, err := receiver.OpenLogFile(logPath, 64<<10) // rotated: the batch reads every part
	if err != nil {
		t.Fatal(err)
	}
	var results bytes.Buffer
	cfg.Log, cfg.Results = log, vegeta.NewJSONEncoder(&results)
	var interims []*report.Summary
	cfg.InterimEvery = time.Second
	cfg.Interim = func(s *report.Summary) { interims = append(interims, s) }
	s, _, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	liveOK, _ := Judge(s, nil)

	resultsPath := filepath.Join(t.TempDir(), "results.json")
	if err := os.WriteFile(resultsPath, results.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if parts, _ := receiver.LogFiles(logPath); len(parts) < 2 {
		t.Fatalf("the log was not rotated (%d parts): the test would not read a directory of parts", len(parts))
	}
	batch, err := JudgeRecorded(logPath, resultsPath, cfg.profile())
	if err != nil {
		t.Fatal(err)
	}
	b := *s
	b.Notify = batch
	batchOK, _ := Judge(&b, nil)

	if !liveOK || liveOK != batchOK {
		t.Fatalf("live verdict %v (%+v), batch verdict %v (%+v)", liveOK, s.Checks, batchOK, b.Checks)
	}
	if got, want := verdicts(s.Checks), verdicts(b.Checks); !slices.Equal(got, want) {
		t.Errorf("checks differ:\nlive  %v\nbatch %v", got, want)
	}
	if diff := s.Notify.Diff(batch); diff != "" {
		t.Errorf("live and batch figures differ: %s", diff)
	}
	if s.Notify.Calls != batch.Calls || s.Notify.Changes != s.API.OK || s.Notify.RetryGaps == 0 || s.Notify.Lost != 0 {
		t.Errorf("live: %d calls of %d logged, %d changes of %d accepted, %d retry gaps, %d lost", s.Notify.Calls, batch.Calls, s.Notify.Changes, s.API.OK, s.Notify.RetryGaps, s.Notify.Lost)
	}
	// Interim reports came while the run went on, each partial, interim
	// and no further along than the final one.
	if len(interims) < 3 {
		t.Fatalf("%d interim reports in a run of %s with one due every %s", len(interims), cfg.Pacing.Duration, cfg.InterimEvery)
	}
	for i, in := range interims {
		if !in.Partial || !in.Interim || in.Notify == nil || in.Notify.Calls > s.Notify.Calls || in.Sends.Sent > s.Sends.Sent {
			t.Fatalf("interim %d: partial %v interim %v, calls %d (final %d), sent %d (final %d)", i, in.Partial, in.Interim, in.Notify.Calls, s.Notify.Calls, in.Sends.Sent, s.Sends.Sent)
		}
		if i > 0 && in.Notify.Calls < interims[i-1].Notify.Calls {
			t.Errorf("interim %d has fewer calls (%d) than the one before (%d)", i, in.Notify.Calls, interims[i-1].Notify.Calls)
		}
	}
	// the judge holds calls back for its reordering horizon (a second
	// and the slowest answer): the first report may show sends only
	if first, last := interims[0], interims[len(interims)-1]; first.Sends.Sent == 0 || last.Notify.Calls == 0 || last.Notify.Covered == 0 {
		t.Errorf("interim reports show no progress: first %d sent, last %d calls, %d changes covered", first.Sends.Sent, last.Notify.Calls, last.Notify.Covered)
	}
}

func verdicts(cs []judge.Check) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name+"="+string(c.Result))
	}
	return out
}
