// Package skiptest makes the tests skipped for want of something (a Docker
// engine, a Chromium) visible where go test shows it.
//
// go test prints nothing but "ok" for a package that passes, unless -v is
// given: a t.Skip there is invisible. So Main ends the package's run with
// one summary line per missing thing of what was skipped and why, on stdout
// (shown with -v and on failure) and, when go test is buffering the output,
// on the go command's own stdout if that is a terminal or a pipe (a CI log).
package skiptest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

var skips struct {
	sync.Mutex
	names   map[string][]string // by what was missing
	reasons map[string]string
}

// Skip skips t, which needs what (e.g. "Docker") and cannot have it
// because of err, and counts the skip for Main's summary.
func Skip(t testing.TB, what string, err error) {
	t.Helper()
	skips.Lock()
	if skips.names == nil {
		skips.names, skips.reasons = map[string][]string{}, map[string]string{}
	}
	skips.names[what] = append(skips.names[what], t.Name())
	skips.reasons[what] = err.Error()
	skips.Unlock()
	t.Skipf("SKIPPED (needs %s): %v", what, err)
}

// Main runs the package's tests, prints the skip summary and exits.
func Main(m *testing.M) {
	code := m.Run()
	if s := Summary(strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")); s != "" {
		fmt.Print(s)
		if v := flag.Lookup("test.v"); v != nil && v.Value.String() == "false" {
			toGoCommand(s)
		}
	}
	os.Exit(code)
}

// Summary is the skip summary of pkg, a line per missing thing, or ""
// when nothing was skipped.
func Summary(pkg string) string {
	skips.Lock()
	defer skips.Unlock()
	whats := make([]string, 0, len(skips.names))
	for w := range skips.names {
		whats = append(whats, w)
	}
	sort.Strings(whats)
	var b strings.Builder
	for _, w := range whats {
		fmt.Fprintf(&b, "%s: SKIPPED %d test(s) that need %s %v: %s\n", pkg, len(skips.names[w]), w, skips.names[w], skips.reasons[w])
	}
	return b.String()
}

// toGoCommand writes s to the stdout of the go command that runs this test
// binary, when that is a terminal or a pipe: a file is left alone, as
// writing at another offset would overwrite the go command's own output.
func toGoCommand(s string) {
	path := fmt.Sprintf("/proc/%d/fd/1", os.Getppid())
	if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", os.Getppid())); err != nil || filepath.Base(exe) != "go" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode()&(os.ModeNamedPipe|os.ModeCharDevice) == 0 {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprint(f, s)
}
