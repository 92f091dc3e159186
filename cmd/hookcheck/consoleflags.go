package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hookcheck/hookcheck/internal/cli"

	"github.com/hookcheck/hookcheck/steps"
)

// consoleFlags are the reporting flags of the commands that run feature
// files with godog (conformance, certify-receiver).
type consoleFlags struct {
	concurrency                           int
	tags, format, junit, cucumber, report string
	noColors                              bool
}

// add declares the flags; concurrency is --concurrency's default and help
// its description, report describes what --report holds.
func (c *consoleFlags) add(fs *flag.FlagSet, concurrency int, help, report string) {
	fs.IntVar(&c.concurrency, "concurrency", concurrency, help)
	fs.StringVar(&c.tags, "tags", "", `extra godog tag filter, e.g. "@core" or "~@extended"`)
	fs.StringVar(&c.format, "format", "pretty", "console output: pretty or progress")
	fs.BoolVar(&c.noColors, "no-colors", false, "no ANSI colours on the console (there are none anyway off a terminal, with NO_COLOR set or TERM=dumb)")
	fs.StringVar(&c.junit, "junit", "", "write JUnit XML here")
	fs.StringVar(&c.cucumber, "cucumber", "", "write cucumber JSON here")
	fs.StringVar(&c.report, "report", "", "write "+report+" here")
}

// check says what is wrong with the flags' values, naming the flag.
func (c *consoleFlags) check() error {
	if c.format != "pretty" && c.format != "progress" {
		return fmt.Errorf("--format must be pretty or progress, got %q", c.format)
	}
	for _, p := range []struct{ name, path string }{{"--junit", c.junit}, {"--cucumber", c.cucumber}} {
		if strings.Contains(p.path, ",") {
			return fmt.Errorf("%s: the path may not contain a comma (godog splits formats on commas): %q", p.name, p.path)
		}
	}
	return nil
}

// console is the steps' reporting configuration, printing to out.
func (c *consoleFlags) console(out io.Writer) steps.Console {
	return steps.Console{
		Concurrency: c.concurrency, Tags: c.tags, Format: c.format, Output: out, NoColors: c.noColors || !cli.Colour(out),
		JUnitFile: c.junit, CukeFile: c.cucumber,
	}
}
