package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/bench"
	"github.com/hookcheck/hookcheck/internal/cli"
	"github.com/hookcheck/hookcheck/loadgen"
)

func init() {
	register(command{name: "bench", summary: "side-by-side benchmarks: hookcheck's attack vs vegeta's (bench attack), the harness's cost per change (bench harness)", run: runBench})
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageError(stderr, "bench: give attack or harness (hookcheck bench --help)")
	}
	switch args[0] {
	case "attack":
		return runBenchAttack(ctx, args[1:], stdout, stderr)
	case "serve": // a child: the bare 204 server
		if err := bench.Serve(ctx, os.Stdin, stdout); err != nil {
			fmt.Fprintf(stderr, "hookcheck bench serve: %v\n", err)
			return exitFail
		}
		return exitOK
	case "attack-one": // a child: one generator's attack
		return runBenchAttackOne(ctx, args[1:], stdout, stderr)
	case "harness":
		return runBenchHarness(ctx, args[1:], stdout, stderr)
	case "minimum": // a child: the harness's bare minimum
		return runBenchMinimum(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help":
		for _, name := range []string{"bench attack", "bench harness"} {
			newFlags(name, stdout).Usage()
			fmt.Fprintln(stdout)
		}
		return exitOK
	}
	return usageError(stderr, "bench: unknown benchmark %q (want attack or harness)", args[0])
}

func runBenchAttack(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench attack", stderr)
	rates := fs.String("rates", "5000,10000,20000,40000", "offered rates, comma-separated (requests/s)")
	d := fs.Duration("duration", 5*time.Second, "each attack's duration")
	workers := fs.Int("workers", loadgen.DefaultWorkers, "most workers and connections of every generator (each starts with hookcheck's initial pool for the rate)")
	repeat := fs.Int("repeat", 1, "measure each generator at each rate this many times (ratios are medians)")
	vegetaCLI := fs.String("vegeta", "", "vegeta's binary, for a third column (go install github.com/tsenart/vegeta/v12@v12.13.0)")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	cfg := bench.AttackConfig{Duration: *d, Workers: *workers, VegetaCLI: *vegetaCLI, Repeat: *repeat, Log: stderr}
	for _, s := range strings.Split(*rates, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || r <= 0 {
			return usageError(stderr, "--rates: %q is not a positive rate", s)
		}
		cfg.Rates = append(cfg.Rates, r)
	}
	if *d <= 0 {
		return usageError(stderr, "--duration must be positive, got %s", *d)
	}
	if *repeat < 1 {
		return usageError(stderr, "--repeat must be at least 1, got %d", *repeat)
	}
	if *workers < 1 {
		return usageError(stderr, "--workers must be at least 1, got %d", *workers)
	}
	if *vegetaCLI != "" {
		if _, err := os.Stat(*vegetaCLI); err != nil {
			return usageError(stderr, "--vegeta: %v", err)
		}
	}
	rows, err := bench.AttackTable(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck bench attack: %v\n", err)
		return exitFail
	}
	bench.WriteAttackTable(stdout, rows, *d)
	return exitOK
}

func runBenchAttackOne(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench attack-one", stderr)
	gen := fs.String("gen", bench.GenHookcheck, "generator: hookcheck or vegeta")
	url := fs.String("url", "", "target URL")
	rate := fs.Float64("rate", 1000, "requests per second")
	d := fs.Duration("duration", 5*time.Second, "duration")
	workers := fs.Int("workers", loadgen.DefaultWorkers, "most workers and connections")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the attack here")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if *profile != "" {
		stop, err := cli.StartCPUProfile(*profile)
		if err != nil {
			return usageError(stderr, "--cpuprofile: %v", err)
		}
		defer stop()
	}
	f, err := bench.Attack(ctx, *gen, *url, *rate, *d, *workers)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck bench attack-one: %v\n", err)
		return exitFail
	}
	if err := json.NewEncoder(stdout).Encode(f); err != nil {
		return exitFail
	}
	return exitOK
}

func runBenchHarness(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench harness", stderr)
	cfg := bench.HarnessConfig{Log: stderr}
	fs.IntVar(&cfg.Records, "records", 10000, "records (one hook each)")
	fs.Float64Var(&cfg.Rate, "rate", 8000, "record changes per second")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "attack duration")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	switch {
	case cfg.Records < 1:
		return usageError(stderr, "--records must be at least 1, got %d", cfg.Records)
	case !(cfg.Rate > 0):
		return usageError(stderr, "--rate must be positive, got %v", cfg.Rate)
	case cfg.Duration <= 0:
		return usageError(stderr, "--duration must be positive, got %s", cfg.Duration)
	}
	h, err := bench.Harness(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck bench harness: %v\n", err)
		return exitFail
	}
	bench.WriteHarness(stdout, h, cfg)
	return exitOK
}

func runBenchMinimum(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench minimum", stderr)
	url := fs.String("url", "", "where the vegeta sends go")
	rate := fs.Float64("rate", 1000, "sends per second")
	d := fs.Duration("duration", 10*time.Second, "duration")
	workers := fs.Int("workers", 64, "workers and connections of the sends")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if err := bench.Minimum(ctx, os.Stdin, stdout, *url, *rate, *d, *workers); err != nil {
		fmt.Fprintf(stderr, "hookcheck bench minimum: %v\n", err)
		return exitFail
	}
	return exitOK
}
