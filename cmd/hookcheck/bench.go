package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/hookcheck/hookcheck/bench"
	"github.com/hookcheck/hookcheck/internal/cli"
)

func init() {
	register(command{name: "bench", summary: "side-by-side benchmarks: hookcheck's attack vs vegeta's (bench attack), the harness's cost per change (bench harness), flat memory over a long load run (bench soak) and a long log (bench analyze)", run: runBench})
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageError(stderr, "bench: give attack, harness, soak or analyze (hookcheck bench --help)")
	}
	switch args[0] {
	case "attack":
		return runBenchAttack(ctx, args[1:], stdout, stderr)
	case "serve": // the bare 204 server, by hand or as a child
		fs := newFlags("bench serve", stderr)
		child := fs.Bool("until-stdin-closes", false, "serve until stdin closes (how the benchmarks run it), not until interrupted")
		if code, done := parseFlags(fs, args[1:], stdout); done {
			return code
		}
		if err := bench.Serve(ctx, os.Stdin, stdout, *child); err != nil {
			fmt.Fprintf(stderr, "hookcheck bench serve: %v\n", err)
			return exitFail
		}
		return exitOK
	case "attack-one": // a child: one generator's attack
		return runBenchAttackOne(ctx, args[1:], stdout, stderr)
	case "harness":
		return runBenchHarness(ctx, args[1:], stdout, stderr)
	case "soak":
		return runBenchSoak(ctx, args[1:], stdout, stderr)
	case "analyze":
		return runBenchAnalyze(ctx, args[1:], stdout, stderr)
	case "minimum": // a child: the harness's bare minimum
		return runBenchMinimum(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help":
		for _, name := range []string{"bench attack", "bench harness", "bench soak", "bench analyze"} {
			newFlags(name, stdout).Usage()
			fmt.Fprintln(stdout)
		}
		return exitOK
	}
	return usageError(stderr, "bench: unknown benchmark %q (want attack, harness, soak or analyze)", args[0])
}

func runBenchAttack(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench attack", stderr)
	var f bench.AttackFlags
	f.AddFlags(fs)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	cfg, err := f.Config()
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	cfg.Log = stderr
	rows, err := bench.AttackTable(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck bench attack: %v\n", err)
		return exitFail
	}
	bench.WriteAttackTable(stdout, rows, cfg.Duration)
	return exitOK
}

func runBenchAttackOne(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench attack-one", stderr)
	var f bench.OneFlags
	f.AddFlags(fs, true)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if f.CPUProfile != "" {
		stop, err := cli.StartCPUProfile(f.CPUProfile)
		if err != nil {
			return usageError(stderr, "--cpuprofile: %v", err)
		}
		defer stop()
	}
	figures, err := bench.Attack(ctx, f.Gen, f.URL, f.Rate, f.Duration, f.Workers)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck bench attack-one: %v\n", err)
		return exitFail
	}
	if err := json.NewEncoder(stdout).Encode(figures); err != nil {
		return exitFail
	}
	return exitOK
}

func runBenchHarness(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench harness", stderr)
	cfg := bench.HarnessConfig{Log: stderr}
	cfg.AddFlags(fs)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if err := cfg.Check(); err != nil {
		return usageError(stderr, "%v", err)
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
	var f bench.OneFlags
	f.AddFlags(fs, false)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if err := bench.Minimum(ctx, os.Stdin, stdout, f.URL, f.Rate, f.Duration, f.Workers); err != nil {
		fmt.Fprintf(stderr, "hookcheck bench minimum: %v\n", err)
		return exitFail
	}
	return exitOK
}

func runBenchSoak(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench soak", stderr)
	cfg := bench.SoakConfig{Log: stderr}
	cfg.AddFlags(fs)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if err := cfg.Check(); err != nil {
		return usageError(stderr, "%v", err)
	}
	s, err := bench.Soak(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck bench soak: %v\n", err)
		return exitFail
	}
	bench.WriteSoak(stdout, s, cfg)
	if !s.Held() {
		return exitFail
	}
	return exitOK
}

func runBenchAnalyze(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench analyze", stderr)
	cfg := bench.AnalyzeConfig{Log: stderr}
	cfg.AddFlags(fs)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if err := cfg.Check(); err != nil {
		return usageError(stderr, "%v", err)
	}
	a, err := bench.Analyze(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck bench analyze: %v\n", err)
		return exitFail
	}
	bench.WriteAnalyze(stdout, a)
	if a.Usage.MaxRSS > bench.MaxAnalyzeRSS || !a.Analysis.Passed || a.Analysis.Figures.Calls != uint64(a.Lines) {
		return exitFail
	}
	return exitOK
}
