package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/judge"
)

// AnalyzeConfig is hookcheck analyze of a long receiver log, written first
// into a temporary directory of rotated parts.
type AnalyzeConfig struct {
	Lines int
	// Log receives a line per step (nil: none).
	Log io.Writer
}

// MaxAnalyzeRSS is the most a streamed analyze of a long log may hold.
const MaxAnalyzeRSS = 200 << 20

// AnalyzeRun is what analyze of the log cost and found.
type AnalyzeRun struct {
	Lines, Bytes int64
	Parts        int
	Write        time.Duration // writing the log (not measured against the limit)
	Usage        Usage         // the analyze process
	Analysis     judge.Analysis
}

// Analyze writes the log and runs hookcheck analyze --log DIR on it in its
// own process.
func Analyze(ctx context.Context, cfg AnalyzeConfig) (AnalyzeRun, error) {
	self, dir, err := selfAndDir("hookcheck-analyze-")
	if err != nil {
		return AnalyzeRun{}, err
	}
	defer os.RemoveAll(dir)
	var run AnalyzeRun
	began := time.Now()
	if run.Bytes, err = writeORCIDLog(filepath.Join(dir, "calls.jsonl"), cfg.Lines); err != nil {
		return run, err
	}
	run.Write, run.Lines = time.Since(began), int64(cfg.Lines)
	parts, err := receiver.LogFiles(dir)
	if err != nil {
		return run, err
	}
	run.Parts = len(parts)
	logf(cfg.Log, "bench: analyze: wrote %d lines, %.1f GB in %d parts in %s", run.Lines, float64(run.Bytes)/1e9, run.Parts, run.Write.Round(time.Second))
	out := filepath.Join(dir, "analysis.json")
	if run.Usage, err = runChild(ctx, self, "analyze", "--log", dir, "--profile", "orcid", "--json", out); err != nil {
		return run, err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return run, fmt.Errorf("bench: analyze (exit %d) wrote no --json: %w", run.Usage.Exit, err)
	}
	return run, json.Unmarshal(b, &run.Analysis)
}

// runChild runs a child to its end, reading nothing of its output.
func runChild(ctx context.Context, name string, args ...string) (Usage, error) {
	c, err := start(ctx, name, args...)
	if err != nil {
		return Usage{}, err
	}
	return c.wait()
}

// The generated log's shape: ORCID-style empty POSTs on logCallbacks
// callbacks, each called once a logRound (longer than the orcid profile's
// 5-minute window), one callback in ten answering 500 and called again
// after the profile's first retry delay.
const (
	logCallbacks = 100_000
	logRound     = 10 * time.Minute
	logPartSize  = 256 << 20
)

// writeORCIDLog writes n calls, in arrival order, as the receiver logs them
// (JSON lines, rotated at logPartSize between lines) and returns the bytes
// written.
func writeORCIDLog(path string, n int) (int64, error) {
	lf, err := receiver.OpenLogFile(path, logPartSize)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(lf, 1<<20)
	retry := judge.ORCID().Retry.Delay(1)
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var (
		written int64
		part    int64 // bytes in the current part
		seq     uint64
		retries []receiver.Observation // FIFO: every retry comes one delay later
	)
	emit := func(o receiver.Observation) error {
		seq++
		o.Seq = seq
		b, err := json.Marshal(&o)
		if err != nil {
			return err
		}
		if part+int64(len(b)+1) > logPartSize { // rotate between lines
			if err := w.Flush(); err != nil {
				return err
			}
			if err := lf.Rotate(); err != nil {
				return err
			}
			part = 0
		}
		written, part = written+int64(len(b)+1), part+int64(len(b)+1)
		_, err = w.Write(append(b, '\n'))
		return err
	}
	headers := func(host string) receiver.Header {
		return receiver.Header{"Host": {host}, "User-Agent": {"Apache-HttpClient/4.5.14 (Java/17.0.9)"}, "Content-Length": {"0"}, "Accept-Encoding": {"gzip,deflate"}, "Connection": {"keep-alive"}}
	}
	for round := 0; int(seq) < n; round++ {
		for h := 0; h < logCallbacks && int(seq) < n; h++ {
			at := t0.Add(time.Duration(round)*logRound + time.Duration(h)*time.Minute/logCallbacks)
			for len(retries) > 0 && !retries[0].At.After(at) && int(seq) < n {
				if err := emit(retries[0]); err != nil {
					return written, err
				}
				retries = retries[1:]
			}
			if int(seq) >= n {
				break
			}
			id := orcid.FromNumber(uint64(20_000_000 + h))
			o := receiver.Observation{Callback: "/" + id + "/updated", Record: id, At: at, Method: "POST", Proto: "HTTP/1.1", ContentLength: "0",
				UserAgent: "Apache-HttpClient/4.5.14 (Java/17.0.9)", Headers: headers("members.example.org"),
				BodySHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Status: 204, Answer: "204", Elapsed: 180 * time.Microsecond}
			if h%10 == 0 {
				o.Status, o.Answer = 500, "500"
				r := o
				r.At, r.Status, r.Answer = at.Add(retry), 204, "204"
				retries = append(retries, r)
			}
			if err := emit(o); err != nil {
				return written, err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return written, err
	}
	return written, lf.Close()
}

// WriteAnalyze writes the analyze run's figures as Markdown.
func WriteAnalyze(w io.Writer, a AnalyzeRun) {
	f := a.Analysis.Figures
	fmt.Fprintf(w, "hookcheck analyze --log DIR --profile orcid: %d lines (%.1f GB in %d rotated parts, %d callbacks, one in ten failing once and retried)\n\n",
		a.Lines, float64(a.Bytes)/1e9, a.Parts, logCallbacks)
	fmt.Fprintln(w, "| wall | CPU | lines/s | peak RSS | limit |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	fmt.Fprintf(w, "| %.1f s | %.1f s | %s | %d MB | %d MB |\n\n", a.Usage.Wall.Seconds(), a.Usage.CPU.Seconds(), thousands(float64(a.Lines)/a.Usage.Wall.Seconds()), a.Usage.MaxRSS>>20, MaxAnalyzeRSS>>20)
	if f != nil {
		fmt.Fprintf(w, "- judged %d calls on %d callbacks: %d failed, %d retry gaps (fit: %s); passed %v\n", f.Calls, f.Hooks, f.Failed, f.RetryGaps, a.Analysis.Observed.Retry, a.Analysis.Passed)
	}
}
