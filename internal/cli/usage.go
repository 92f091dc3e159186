package cli

import (
	"fmt"
	"io"
	"sort"
)

// Usage prints hookcheck's top-level help: the main job, the commands
// with their summaries, where each command's help is, the exit codes.
func Usage(w io.Writer, commands map[string]string) {
	fmt.Fprintln(w, "hookcheck: load and conformance harness for ORCID-style webhooks")
	fmt.Fprintln(w, "\nUsage:\n  hookcheck                  run the main job (conformance suite + short load check, embedded registry)\n  hookcheck COMMAND [flags]\n  hookcheck help COMMAND     a command's help (the same as hookcheck COMMAND --help)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-18s %s\n", n, commands[n])
	}
	fmt.Fprintln(w, "\nRun 'hookcheck COMMAND --help' for what a command does, its flags and its exit codes.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 non-conformant or interrupted, 2 usage or configuration error, 3 target unreachable, 4 a load threshold failed (load, load merge), 5 inconclusive: the load generator fell behind (load, load merge, certify-receiver).")
}
