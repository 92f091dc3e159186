package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func testFlags(out io.Writer) *flag.FlagSet {
	fs := NewFlags("load", []byte("load [flags]\n\nFloods a registry.\n\nExit codes: 0 ok.\n"), out)
	fs.Float64("rate", 1, "rate")
	fs.Duration("duration", time.Second, "duration")
	fs.String("callback-base", "", "base")
	fs.String("callback-host", "", "host")
	fs.String("junit", "", "junit")
	return fs
}

// TestParseTypo: a typo gets the error, the nearest flag and one line
// pointing at --help, not the flag list; --help gets the whole usage.
func TestParseTypo(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // the whole stderr
	}{
		{[]string{"--rat", "5"}, ExitUsage, "hookcheck load: flag provided but not defined: --rat\nDid you mean --rate?\nRun 'hookcheck load --help' for its flags.\n"},
		{[]string{"-junt", "x"}, ExitUsage, "hookcheck load: flag provided but not defined: --junt\nDid you mean --junit?\nRun 'hookcheck load --help' for its flags.\n"},
		{[]string{"--callback"}, ExitUsage, "hookcheck load: flag provided but not defined: --callback\nDid you mean --callback-base?\nRun 'hookcheck load --help' for its flags.\n"},
		{[]string{"--zebra"}, ExitUsage, "hookcheck load: flag provided but not defined: --zebra\nRun 'hookcheck load --help' for its flags.\n"},
		{[]string{"--duration", "10"}, ExitUsage, "hookcheck load: invalid value \"10\" for flag --duration: parse error\nRun 'hookcheck load --help' for its flags.\n"},
		{[]string{"stray"}, ExitUsage, "hookcheck load: unexpected arguments: stray (every input is a flag)\nRun 'hookcheck load --help' for its flags.\n"},
		{[]string{"--rate", "5"}, ExitOK, ""},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		fs := testFlags(&stderr)
		code, _ := Parse(fs, tt.args, io.Discard)
		if code != tt.code || stderr.String() != tt.want {
			t.Errorf("%v: exit %d, stderr\n%q\nwant exit %d,\n%q", tt.args, code, stderr.String(), tt.code, tt.want)
		}
	}
	var stdout bytes.Buffer
	if code, done := Parse(testFlags(io.Discard), []string{"--rate", "5", "--help"}, &stdout); code != ExitOK || !done {
		t.Errorf("--help: exit %d, done %v", code, done)
	}
	for _, want := range []string{"Usage: hookcheck load [flags]", "Exit codes: 0 ok.", "Flags:\n  --callback-base string", "\n  --callback-host"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, stdout.String())
		}
	}
}

// TestColourAndProgressOffATerminal: a file is no terminal, so no colour,
// and live "\r" lines become plain lines, at most one per interval.
func TestColourAndProgressOffATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if Colour(f) || Colour(&bytes.Buffer{}) || IsTerminal(f) {
		t.Error("a file or buffer counts as a terminal")
	}
	var log bytes.Buffer
	p := Progress(&log, time.Hour)
	io.WriteString(p, "\rload: 1s/3s  sent 10   ")
	io.WriteString(p, "\rload: 2s/3s  sent 20   ") // within the hour: held
	io.WriteString(p, "\rload: 3s/3s  sent 30   ")
	io.WriteString(p, "\n")
	io.WriteString(p, "load: done\n")
	want := "load: 1s/3s  sent 10\nload: 3s/3s  sent 30\nload: done\n"
	if log.String() != want {
		t.Errorf("progress off a terminal:\n%q\nwant\n%q", log.String(), want)
	}
	if Progress(nil, time.Second) != nil {
		t.Error("no progress writer must stay none")
	}
}

// TestProgressTicksALittleEarly: progress ticking every second, each tick
// a little early, still comes out every second, not every other.
func TestProgressTicksALittleEarly(t *testing.T) {
	var log bytes.Buffer
	clock := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	p := &lines{w: &log, every: time.Second, now: func() time.Time { return clock }}
	for i := range 4 {
		io.WriteString(p, fmt.Sprintf("\rload: %ds", i))
		clock = clock.Add(995 * time.Millisecond)
	}
	clock = clock.Add(-500 * time.Millisecond)
	io.WriteString(p, "\rload: 3.5s") // half a second after the last: held
	if strings.Contains(log.String(), "3.5s") {
		t.Errorf("a line half a second after the last was written at once:\n%s", log.String())
	}
	io.WriteString(p, "\n") // the end of the live line writes what is held
	if want := "load: 0s\nload: 1s\nload: 2s\nload: 3s\nload: 3.5s\n"; log.String() != want {
		t.Errorf("progress every second off a terminal:\n%q\nwant\n%q", log.String(), want)
	}
}

// TestColourHonoursNoColorAndDumb: NO_COLOR and TERM=dumb turn colour off
// even on a terminal (/dev/tty when the test has one).
func TestColourHonoursNoColorAndDumb(t *testing.T) {
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no terminal to test on: %v", err)
	}
	defer tty.Close()
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	if !Colour(tty) {
		t.Error("no colour on a terminal")
	}
	t.Setenv("NO_COLOR", "1")
	if Colour(tty) {
		t.Error("colour despite NO_COLOR")
	}
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "dumb")
	if Colour(tty) {
		t.Error("colour on TERM=dumb")
	}
}

// TestCheckWritable: a missing directory or a directory is refused, a
// new file is not left behind, an existing one is kept as it was.
func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	existing := dir + "/kept.json"
	os.WriteFile(existing, []byte("old"), 0o644)
	tests := []struct {
		path, err string
	}{
		{dir + "/new.json", ""}, {existing, ""}, {dir, "is a directory"}, {dir + "/no/such/x.json", "cannot write"}, {"", ""},
	}
	for _, tt := range tests {
		err := CheckWritable("--json", tt.path)
		if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%q: %v, want %q", tt.path, err, tt.err)
		}
	}
	if _, err := os.Stat(dir + "/new.json"); err == nil {
		t.Error("the check left new.json behind")
	}
	if b, _ := os.ReadFile(existing); string(b) != "old" {
		t.Errorf("the check changed an existing file: %q", b)
	}
}
