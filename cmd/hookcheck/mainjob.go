package main

import (
	"context"
	"fmt"
	"io"
)

// mainJobStep is one part of the main job (hookcheck with no arguments).
type mainJobStep struct {
	name string
	run  func(ctx context.Context, stdout, stderr io.Writer) int
}

// mainJobSteps run in order when hookcheck is started without arguments:
// the conformance suite against the embedded target first. Later parts
// (the short load check) append themselves from their own file:
//
//	func init() { mainJobSteps = append(mainJobSteps, mainJobStep{name: "load", run: …}) }
var mainJobSteps = []mainJobStep{
	{name: "conformance", run: func(ctx context.Context, stdout, stderr io.Writer) int {
		return runConformance(ctx, []string{"--format", "progress", "--progress-every", "1s"}, stdout, stderr)
	}},
}

func init() { mainJob = runMainJob }

// runMainJob runs every main-job step, even after one fails, and returns
// the first non-zero exit code.
func runMainJob(ctx context.Context, stdout, stderr io.Writer) int {
	code := exitOK
	for _, s := range mainJobSteps {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(stderr, "hookcheck: main job: %s\n", s.name)
		c := s.run(ctx, stdout, stderr)
		fmt.Fprintf(stderr, "hookcheck: main job: %s exited %d\n", s.name, c)
		if code == exitOK {
			code = c
		}
	}
	return code
}
