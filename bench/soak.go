package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/report"
)

// SoakConfig is a long load run against the embedded registry, in its own
// process, its peak RSS read at a tenth, half and the end of the attack,
// and its live verdicts compared with the batch judge on its recording.
type SoakConfig struct {
	Records   int
	Rate      float64
	Duration  time.Duration
	FailRatio float64
	// Compare records the run (the receivers' log and the vegeta results)
	// and judges the recording again in one batch.
	Compare bool
	// Log receives a line per mark (nil: none).
	Log io.Writer
}

// MaxGrowth is how much the peak RSS may grow from half the attack to its
// end: flat memory, allowing for the heap's sawtooth.
const MaxGrowth = 0.10

// SoakRun is what a soak found.
type SoakRun struct {
	// Marks are when the peak RSS was read, from the process's start;
	// RSS[i] the peak until Marks[i].
	Marks   []time.Duration
	RSS     []int64
	Usage   Usage
	Summary report.Summary
	// Batch is the verdict and figures of the batch judge on the
	// recording (nil without Compare); Differs what disagrees with the
	// live judgement ("": nothing).
	Batch   *report.Summary
	Differs string
}

// Growth is the peak RSS's growth from the middle mark to the last.
func (s SoakRun) Growth() float64 {
	if len(s.RSS) < 3 || s.RSS[1] == 0 {
		return 0
	}
	return float64(s.RSS[2]-s.RSS[1]) / float64(s.RSS[1])
}

// Held reports whether the soak held: every verdict green, memory flat,
// and the batch judge agreeing.
func (s SoakRun) Held() bool {
	return s.Summary.Verdict == report.LoadPass && s.Growth() <= MaxGrowth && s.Differs == "" && (s.Batch == nil || s.Batch.Verdict == report.LoadPass)
}

// Soak runs hookcheck load against the embedded registry for the
// configured duration and reads its peak RSS as it goes.
func Soak(ctx context.Context, cfg SoakConfig) (SoakRun, error) {
	self, dir, err := selfAndDir("hookcheck-soak-")
	if err != nil {
		return SoakRun{}, err
	}
	defer os.RemoveAll(dir)
	out, logPath, results := filepath.Join(dir, "load.json"), filepath.Join(dir, "calls.jsonl"), filepath.Join(dir, "results.gob")
	args := []string{"load", "--records", strconv.Itoa(cfg.Records), "--rate", fmt.Sprint(cfg.Rate), "--duration", cfg.Duration.String(),
		"--fail-ratio", fmt.Sprint(cfg.FailRatio), "--quiet", "--json", out}
	if cfg.Compare {
		args = append(args, "--log", logPath, "--log-max-size", "256MiB", "--results", results)
	}
	c, err := start(ctx, self, args...)
	if err != nil {
		return SoakRun{}, err
	}
	run := SoakRun{Marks: []time.Duration{cfg.Duration / 10, cfg.Duration / 2, cfg.Duration}}
	status := fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for _, m := range run.Marks {
		// until the mark, unless the run ends early (a zombie has no VmHWM)
		for time.Since(c.start) < m && vmHWM(status) > 0 && ctx.Err() == nil {
			<-tick.C
		}
		if time.Since(c.start) < m {
			break
		}
		run.RSS = append(run.RSS, c.hwm.Load())
		logf(cfg.Log, "bench: soak: peak RSS %d MB after %s", c.hwm.Load()>>20, m)
	}
	if run.Usage, err = c.wait(); err != nil {
		return run, err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return run, fmt.Errorf("bench: the load run (exit %d) wrote no --json: %w; stderr: %s", run.Usage.Exit, err, c.stderr())
	}
	if err := json.Unmarshal(b, &run.Summary); err != nil {
		return run, fmt.Errorf("bench: the load run's --json: %w", err)
	}
	if len(run.RSS) < len(run.Marks) {
		return run, fmt.Errorf("bench: the load run ended (exit %d) after %s, before the %s mark; stderr: %s", run.Usage.Exit, run.Usage.Wall.Round(time.Second), run.Marks[len(run.RSS)], c.stderr())
	}
	if run.Summary.Notify == nil {
		return run, fmt.Errorf("bench: the load run (exit %d) was not judged; stderr: %s", run.Usage.Exit, c.stderr())
	}
	logf(cfg.Log, "bench: soak: verdict %s, %d changes, %d notifications; peak RSS %d MB", run.Summary.Verdict, run.Summary.API.OK, run.Summary.Notify.Calls, run.Usage.MaxRSS>>20)
	if !cfg.Compare {
		return run, nil
	}
	batch, err := loadgen.JudgeRecorded(logPath, results, loadgen.ProfileOf(&run.Summary))
	if err != nil {
		return run, err
	}
	bs := run.Summary
	bs.Notify, bs.Checks, bs.Limits = batch, nil, nil
	loadgen.Judge(&bs, nil)
	run.Batch = &bs
	if d := run.Summary.Notify.Diff(batch); d != "" {
		run.Differs = d
	} else if lv, bv := checkResults(run.Summary.Checks), checkResults(bs.Checks); !slices.Equal(lv, bv) {
		run.Differs = fmt.Sprintf("checks: live %v, batch %v", lv, bv)
	}
	return run, nil
}

func checkResults(cs []judge.Check) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name+" "+string(c.Result))
	}
	return out
}

// WriteSoak writes the soak's figures as Markdown.
func WriteSoak(w io.Writer, s SoakRun, cfg SoakConfig) {
	sum := s.Summary
	fmt.Fprintf(w, "hookcheck load --records %d --rate %s --duration %s --fail-ratio %v against the embedded registry: %d changes, %d notifications, verdict %s\n\n",
		cfg.Records, thousands(cfg.Rate), cfg.Duration, cfg.FailRatio, sum.API.OK, sum.Notify.Calls, sum.Verdict)
	fmt.Fprintln(w, "| peak RSS after | MB |")
	fmt.Fprintln(w, "| --- | --- |")
	for i, m := range s.Marks {
		fmt.Fprintf(w, "| %s | %d |\n", m, s.RSS[i]>>20)
	}
	fmt.Fprintf(w, "| the whole run (drain and final judgement too) | %d |\n\n", s.Usage.MaxRSS>>20)
	fmt.Fprintf(w, "- growth from %s to %s: %+.1f %% (limit %.0f %%); CPU %.1f s\n", s.Marks[1], s.Marks[2], 100*s.Growth(), 100*MaxGrowth, s.Usage.CPU.Seconds())
	fmt.Fprintf(w, "- checks (live): %v\n", checkResults(sum.Checks))
	if s.Batch != nil {
		same := "the same verdicts and figures"
		if s.Differs != "" {
			same = "DIFFERENT: " + s.Differs
		}
		fmt.Fprintf(w, "- batch judge on the recorded run (%d calls, %d changes): verdict %s, %s\n", s.Batch.Notify.Calls, s.Batch.Notify.Changes, s.Batch.Verdict, same)
	}
	held := "held"
	if !s.Held() {
		held = "DID NOT HOLD"
	}
	fmt.Fprintf(w, "- soak %s\n", held)
}
