package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/hookcheck/hookcheck/fixtures/registry"
)

func init() {
	register(command{name: "version", summary: "print the harness and reference registry versions", run: runVersion})
}

// harnessVersion is the module version, or the VCS revision of a source build.
func harnessVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "hookcheck (unknown build)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += "+dirty"
		}
	}
	return "hookcheck " + v
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "version", stderr)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	fmt.Fprintln(stdout, harnessVersion())
	fmt.Fprintln(stdout, registry.Version)
	return exitOK
}
