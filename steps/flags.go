package steps

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hookcheck/hookcheck/internal/cli"
)

// ConsoleFlags are the reporting flags of a godog run of the features
// (conformance, certify-receiver): they make its Console.
type ConsoleFlags struct {
	Concurrency                           int
	Tags, Format, JUnit, Cucumber, Report string
	NoColors                              bool
}

// AddFlags declares the flags; concurrency is --concurrency's default and
// help its description, report describes what --report holds.
func (c *ConsoleFlags) AddFlags(fs *flag.FlagSet, concurrency int, help, report string) {
	fs.IntVar(&c.Concurrency, "concurrency", concurrency, help)
	fs.StringVar(&c.Tags, "tags", "", `extra godog tag filter, e.g. "@core" or "~@extended"; one that selects no scenario is an error`)
	fs.StringVar(&c.Format, "format", "pretty", "console output: pretty or progress")
	fs.BoolVar(&c.NoColors, "no-colors", false, "no ANSI colours on the console (there are none anyway off a terminal, with NO_COLOR set or TERM=dumb)")
	fs.StringVar(&c.JUnit, "junit", "", "write JUnit XML here")
	fs.StringVar(&c.Cucumber, "cucumber", "", "write cucumber JSON here")
	fs.StringVar(&c.Report, "report", "", "write "+report+" here")
}

// Check says what is wrong with the flags' values, naming the flag, before
// anything starts: an unknown format, a report path that cannot be written.
func (c *ConsoleFlags) Check() error {
	if c.Format != "pretty" && c.Format != "progress" {
		return fmt.Errorf("--format must be pretty or progress, got %q", c.Format)
	}
	if c.Concurrency < 0 {
		return fmt.Errorf("--concurrency must be ≥ 0, got %d", c.Concurrency)
	}
	for _, p := range [][2]string{{"--junit", c.JUnit}, {"--cucumber", c.Cucumber}} {
		if strings.Contains(p[1], ",") {
			return fmt.Errorf("%s: the path may not contain a comma (godog splits formats on commas): %q", p[0], p[1])
		}
	}
	return cli.CheckWritables([2]string{"--junit", c.JUnit}, [2]string{"--cucumber", c.Cucumber}, [2]string{"--report", c.Report})
}

// Console is the run's reporting configuration, printing to out: colours
// only on a terminal.
func (c *ConsoleFlags) Console(out io.Writer) Console {
	return Console{
		Concurrency: c.Concurrency, Tags: c.Tags, Format: c.Format, Output: out, NoColors: c.NoColors || !cli.Colour(out),
		JUnitFile: c.JUnit, CukeFile: c.Cucumber,
	}
}
