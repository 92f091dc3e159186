// Package dockertest skips the tests that need a Docker engine when none
// answers, and says so where go test shows it.
//
// go test prints nothing but "ok" for a package that passes, unless -v is
// given: a t.Skip there is invisible. So Main ends the package's run with
// one summary line of what was skipped and why, on stdout (shown with -v
// and on failure) and, when go test is buffering the output, on the go
// command's own stdout if that is a terminal or a pipe (a CI log).
package dockertest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/container"
)

// available is the engine check (a variable for this package's tests).
var available = container.Available

var skips struct {
	sync.Mutex
	names  []string
	reason string
}

// Need skips t when no Docker engine answers within a few seconds, and
// counts the skip for Main's summary.
func Need(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := available(ctx)
	if err == nil {
		return
	}
	skips.Lock()
	skips.names, skips.reason = append(skips.names, t.Name()), err.Error()
	skips.Unlock()
	t.Skipf("SKIPPED (needs Docker): %v", err)
}

// Main runs the package's tests, prints the skip summary and exits.
func Main(m *testing.M) {
	code := m.Run()
	if line := Summary(strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")); line != "" {
		fmt.Println(line)
		if v := flag.Lookup("test.v"); v != nil && v.Value.String() == "false" {
			toGoCommand(line)
		}
	}
	os.Exit(code)
}

// Summary is the skip summary line for pkg, or "" when nothing was skipped.
func Summary(pkg string) string {
	skips.Lock()
	defer skips.Unlock()
	if len(skips.names) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: SKIPPED %d test(s) that need Docker %v: %s", pkg, len(skips.names), skips.names, skips.reason)
}

// toGoCommand writes line to the stdout of the go command that runs this
// test binary, when that is a terminal or a pipe: a file is left alone, as
// writing at another offset would overwrite the go command's own output.
func toGoCommand(line string) {
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
	fmt.Fprintln(f, line)
}
