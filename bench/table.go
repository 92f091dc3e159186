package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/loadgen"
)

// AttackConfig is the side-by-side table of paced attacks on a bare 204
// server: each generator at each rate in its own process, against its own
// bare server process, one after the other in one run.
type AttackConfig struct {
	Rates    []float64
	Duration time.Duration
	// Workers bounds every generator's workers and connections alike (0:
	// hookcheck's default); each starts with hookcheck's initial pool for
	// the rate.
	Workers int
	// VegetaCLI, when set, is vegeta's own binary, run as a third column
	// (its -workers, -max-workers, -connections, -max-connections alike).
	VegetaCLI string
	// Repeat measures each generator at each rate this many times, the
	// order of the generators turning each time (0: once).
	Repeat int
	// Log receives a line per measurement (nil: none).
	Log io.Writer
}

// The generators of the table, in the order they run at each rate.
const (
	RowVegetaCLI = "vegeta CLI"
	RowVegetaLib = "vegeta attacker"
	RowHookcheck = "hookcheck"
)

// AttackRow is one generator at one rate.
type AttackRow struct {
	Rate    float64
	Row     string
	Workers int
	Figures
	Usage
	Served   Served
	TimeWait int // TIME_WAIT sockets on the server's port after the run
}

// Achieved is the rate the attack reached: sends over its duration, or
// over its span when it ran longer.
func (r AttackRow) Achieved(d time.Duration) float64 {
	return float64(r.Sent) / max(d, r.Span).Seconds()
}

// CPUPerRequest is the generator's CPU time per request sent.
func (r AttackRow) CPUPerRequest() time.Duration {
	if r.Sent == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Sent)
}

// AttackTable measures every generator at every rate.
func AttackTable(ctx context.Context, cfg AttackConfig) ([]AttackRow, error) {
	self, err := Self()
	if err != nil {
		return nil, err
	}
	rows := []string{RowVegetaLib, RowHookcheck}
	if cfg.VegetaCLI != "" {
		rows = append([]string{RowVegetaCLI}, rows...)
	}
	var out []AttackRow
	for _, rate := range cfg.Rates {
		workers := cfg.Workers
		if workers == 0 {
			workers = loadgen.DefaultWorkers
		}
		for i := range max(cfg.Repeat, 1) * len(rows) {
			n := len(rows)
			row := rows[(i%n+i/n)%n] // each round starts one further on
			r, err := measureAttack(ctx, self, cfg, row, rate, workers)
			if err != nil {
				return out, fmt.Errorf("%s at %.0f/s: %w", row, rate, err)
			}
			if cfg.Log != nil {
				fmt.Fprintf(cfg.Log, "bench: %-16s %6.0f/s: sent %d of %d, CPU %s, peak RSS %d MB, %d connections, %d TIME_WAIT\n",
					row, rate, r.Sent, r.Planned, r.CPU.Round(time.Millisecond), r.MaxRSS>>20, r.Served.Conns, r.TimeWait)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// measureAttack runs one generator against a fresh bare server process.
func measureAttack(ctx context.Context, self string, cfg AttackConfig, row string, rate float64, workers int) (AttackRow, error) {
	var at Served
	srv, err := startJSON(ctx, &at, self, "bench", "serve", "--until-stdin-closes")
	if err != nil {
		return AttackRow{}, err
	}
	before, err := TimeWait(at.Port)
	if err != nil {
		srv.wait()
		return AttackRow{}, err
	}
	r := AttackRow{Rate: rate, Row: row, Workers: workers}
	if row == RowVegetaCLI {
		r.Figures, r.Usage, err = attackCLI(ctx, cfg.VegetaCLI, at.URL, rate, cfg.Duration, workers)
	} else {
		gen := GenHookcheck
		if row == RowVegetaLib {
			gen = GenVegeta
		}
		r.Usage, err = run(ctx, &r.Figures, self, "bench", "attack-one", "--gen", gen, "--url", at.URL,
			"--rate", fmt.Sprint(rate), "--duration", cfg.Duration.String(), "--workers", strconv.Itoa(workers))
	}
	if err != nil {
		srv.wait()
		return r, err
	}
	time.Sleep(200 * time.Millisecond) // the closing handshakes of the generator's exit
	after, err := TimeWait(at.Port)
	if err != nil {
		srv.wait()
		return r, err
	}
	r.TimeWait = after - before
	srv.stdin.Close() // the server prints what it served and stops
	if err := srv.json(&r.Served); err != nil {
		srv.wait()
		return r, err
	}
	_, err = srv.wait()
	return r, err
}

// attackCLI runs vegeta's own binary and reads its results file.
func attackCLI(ctx context.Context, bin, url string, rate float64, d time.Duration, workers int) (Figures, Usage, error) {
	dir, err := os.MkdirTemp("", "hookcheck-bench-")
	if err != nil {
		return Figures{}, Usage{}, err
	}
	defer os.RemoveAll(dir)
	targets, results := filepath.Join(dir, "targets.txt"), filepath.Join(dir, "results.bin")
	if err := os.WriteFile(targets, []byte("POST "+url+"\n"), 0o644); err != nil {
		return Figures{}, Usage{}, err
	}
	w := strconv.Itoa(workers)
	u, err := run(ctx, nil, bin, "attack", "-targets", targets, "-rate", fmt.Sprintf("%.0f/1s", rate), "-duration", d.String(),
		"-workers", strconv.Itoa(initialWorkers(rate, workers)), "-max-workers", w, "-connections", w, "-max-connections", w,
		"-timeout", attackTimeout.String(), "-redirects", "-1", "-output", results)
	if err != nil {
		return Figures{}, u, err
	}
	if u.Exit != 0 {
		return Figures{}, u, fmt.Errorf("vegeta attack exited %d", u.Exit)
	}
	t := newTally(RowVegetaCLI, rate, d)
	// two passes: the start from every result, then the figures
	for _, pass := range []func(*vegeta.Result){t.earliest, t.add} {
		if err := eachResult(results, pass); err != nil {
			return Figures{}, u, err
		}
	}
	return t.figures(), u, nil
}

// eachResult decodes a vegeta results file, handing each result to f.
func eachResult(path string, f func(*vegeta.Result)) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	dec := vegeta.NewDecoder(file)
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading vegeta's results: %w", err)
		}
		f(&r)
	}
}
