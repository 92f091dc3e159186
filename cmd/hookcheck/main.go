// Command hookcheck is a load and conformance harness for ORCID-style webhooks.
//
// With no arguments it runs the main job: the conformance suite against the
// embedded reference registry, then a short load check.
package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"
)

// Exit codes shared by every subcommand.
const (
	exitOK          = 0
	exitFail        = 1 // the target does not conform (or the run was interrupted)
	exitUsage       = 2 // bad flags or configuration
	exitUnreachable = 3 // the target could not be reached
	// exitInconclusive: the load generator fell behind, so the figures
	// measure this machine, not the target (load, load merge,
	// certify-receiver's flood): never a pass.
	exitInconclusive = 5
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
		if mainJob == nil {
			usage(stderr)
			return exitUsage
		}
		return mainJob(ctx, stdout, stderr)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "hookcheck: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "hookcheck: load and conformance harness for ORCID-style webhooks")
	fmt.Fprintln(w, "\nUsage:\n  hookcheck                 run the main job (conformance suite + short load check, embedded registry)\n  hookcheck COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'hookcheck COMMAND --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 non-conformant or interrupted, 2 usage or configuration error, 3 target unreachable, 4 a load threshold failed (load, load merge), 5 inconclusive: the load generator fell behind (load, load merge, certify-receiver).")
}

// help holds each command's --help text: synopsis, what it does, exit codes.
//
//go:embed help/*.txt
var help embed.FS

// newFlags returns a flag set for a subcommand whose usage shows its help
// text (help/NAME.txt, spaces in NAME as dashes) and its flags.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hookcheck "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	text, err := help.ReadFile("help/" + strings.ReplaceAll(name, " ", "-") + ".txt")
	if err != nil {
		text = []byte(name + " [flags]\n")
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: hookcheck %s\nFlags:\n", text)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; done is true when the caller should return code
// (after --help, 0 with the usage on stdout; after a bad flag, 2).
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, done bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK, true
		}
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, true
	case err != nil:
		return exitUsage, true
	case fs.NArg() > 0 && !takesArgs(fs):
		fmt.Fprintf(fs.Output(), "unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		fs.Usage()
		return exitUsage, true
	}
	return exitOK, false
}

// allowArgs holds the flag sets whose commands take positional arguments.
var allowArgs sync.Map

func takesArgs(fs *flag.FlagSet) bool { _, ok := allowArgs.Load(fs); return ok }

// envOr returns the environment variable key, or def when it is unset.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
