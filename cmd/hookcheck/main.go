// Command hookcheck is a load and conformance harness for ORCID-style webhooks.
//
// With no arguments it runs the main job: the conformance suite against the
// embedded reference registry, then a short load check.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/hookcheck/hookcheck/internal/cli"
)

// Exit codes shared by every subcommand (see cli).
const (
	exitOK           = cli.ExitOK
	exitFail         = cli.ExitFail
	exitUsage        = cli.ExitUsage
	exitUnreachable  = cli.ExitUnreachable
	exitThreshold    = cli.ExitThreshold
	exitInconclusive = cli.ExitInconclusive
)

// command is one subcommand; each lives in its own file and registers itself.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// mainJob is what hookcheck does without arguments; set by the file that owns it.
var mainJob func(ctx context.Context, stdout, stderr io.Writer) int

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return mainJob(ctx, stdout, stderr)
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case "-version", "--version":
		return runVersion(ctx, nil, stdout, stderr)
	case "help": // hookcheck help [COMMAND [SUBCOMMAND]]
		if len(args) == 1 {
			usage(stdout)
			return exitOK
		}
		return run(ctx, append(args[1:], "--help"), stdout, stderr)
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "hookcheck: unknown command %q%s\nRun 'hookcheck --help' for the commands.\n", args[0], suggestCommand(args[0]))
		return exitUsage
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

// suggestCommand is ": did you mean X?" for the command nearest to name.
func suggestCommand(name string) string {
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	for n := range commands {
		fs.Bool(n, false, "")
	}
	if s := cli.Suggest(fs, fmt.Errorf("flag provided but not defined: -%s", name)); s != "" {
		return "; did you mean " + s + "?"
	}
	return ""
}

func usage(w io.Writer) {
	summaries := map[string]string{}
	for n, c := range commands {
		summaries[n] = c.summary
	}
	cli.Usage(w, summaries)
}

// help holds each command's --help text: synopsis, what it does, exit codes.
//
//go:embed help/*.txt
var help embed.FS

// newFlags returns a flag set for a subcommand whose usage shows its help
// text (help/NAME.txt, spaces in NAME as dashes) and its flags.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	text, _ := help.ReadFile("help/" + strings.ReplaceAll(name, " ", "-") + ".txt")
	return cli.NewFlags(name, text, stderr)
}

// parseFlags parses args (see cli.Parse).
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, done bool) {
	return cli.Parse(fs, args, stdout)
}

// envOr returns the environment variable key, or def when it is unset.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
