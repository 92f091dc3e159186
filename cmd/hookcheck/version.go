package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/internal/version"
)

func init() {
	register(command{name: "version", summary: "print the harness and reference registry versions", run: runVersion})
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", stderr)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	fmt.Fprintln(stdout, version.Harness())
	fmt.Fprintln(stdout, registry.Version)
	return exitOK
}
