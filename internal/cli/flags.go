// Package cli holds what every hookcheck command's command line shares: flag
// sets that show a command's help text, parsing that answers a typo with a
// "did you mean" instead of every flag, and the terminal checks that decide
// colour and live progress. It knows no command.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Exit codes every command shares.
const (
	ExitOK           = 0
	ExitFail         = 1 // a verdict failed, or the run was interrupted
	ExitUsage        = 2 // bad flags or configuration, refused credentials
	ExitUnreachable  = 3 // the target could not be reached
	ExitThreshold    = 4 // only a load threshold failed
	ExitInconclusive = 5 // the load generator fell behind: never a pass
)

// NewFlags returns the flag set of command name ("load", "load merge")
// whose usage shows help (the synopsis and description) and then the flags.
func NewFlags(name string, help []byte, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hookcheck "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if len(help) == 0 {
		help = []byte(name + " [flags]\n")
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: hookcheck %s\n", help)
		if hasFlags(fs) {
			// Flags are shown as the README writes them, --name (one dash works too).
			out := fs.Output()
			var b strings.Builder
			fs.SetOutput(&b)
			fs.PrintDefaults()
			fs.SetOutput(out)
			fmt.Fprint(out, "Flags:\n"+strings.ReplaceAll("\n"+b.String(), "\n  -", "\n  --")[1:])
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// takesArgs holds the flag sets whose commands take positional arguments.
var takesArgs sync.Map

// AllowArgs lets fs's command take positional arguments.
func AllowArgs(fs *flag.FlagSet) { takesArgs.Store(fs, true) }

// Parse parses args; done is true when the caller should return code:
// after --help, 0 with the usage on stdout; after a bad flag or stray
// argument, 2 with the error, a "did you mean" when a flag is near, and one
// line pointing at --help.
func Parse(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, done bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return ExitOK, true
		}
	}
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	if err == nil && fs.NArg() > 0 {
		if _, ok := takesArgs.Load(fs); !ok {
			err = fmt.Errorf("unexpected arguments: %s (every input is a flag)", strings.Join(fs.Args(), " "))
		}
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		return ExitOK, true
	case err != nil:
		msg := strings.NewReplacer("defined: -", "defined: --", "for flag -", "for flag --", "flag needs an argument: -", "flag needs an argument: --").Replace(err.Error())
		fmt.Fprintf(out, "%s: %s\n", fs.Name(), msg)
		if s := Suggest(fs, err); s != "" {
			fmt.Fprintf(out, "Did you mean --%s?\n", s)
		}
		fmt.Fprintf(out, "Run '%s --help' for its flags.\n", fs.Name())
		return ExitUsage, true
	}
	return ExitOK, false
}

// Suggest names the flag of fs nearest to the undefined one err names
// ("" when none is near: at most a third of its letters differ).
func Suggest(fs *flag.FlagSet, err error) string {
	const prefix = "flag provided but not defined: -"
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return ""
	}
	typo := strings.TrimLeft(strings.TrimPrefix(msg, prefix), "-")
	best, bestD := "", len(typo)/3+1
	fs.VisitAll(func(f *flag.Flag) {
		d := distance(typo, f.Name)
		if strings.HasPrefix(f.Name, typo) && len(typo) >= 3 {
			d = min(d, 1)
		}
		if d < bestD || (d == bestD && best != "" && f.Name < best) {
			best, bestD = f.Name, d
		}
	})
	return best
}

// distance is the edit distance (Levenshtein) between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// IsSet reports whether the flag name was given on fs's command line.
func IsSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}
