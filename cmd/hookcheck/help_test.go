package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// helpCommands are every command line whose --help the user can ask for.
var helpCommands = [][]string{
	{"registry"}, {"receiver"}, {"conformance"}, {"load"}, {"load", "merge"}, {"analyze"},
	{"certify-receiver"}, {"version"}, {"bench", "attack"}, {"bench", "harness"},
	{"bench", "attack-one"}, {"bench", "minimum"}, {"bench", "serve"}, {"bench", "soak"}, {"bench", "analyze"},
}

// timingGroup are the flags of the timing and profile group, whose help
// texts live with that group (timingflags.go, profileflags.go).
var timingGroup = map[string]bool{"window": true, "retry": true, "retry-base": true, "retry-ratio": true, "retry-jitter": true, "retry-delays": true, "max-attempts": true, "tolerance": true, "callback-timeout": true}

var (
	flagLine    = regexp.MustCompile(`^  --(\S+)`)
	defaultTail = regexp.MustCompile(`\(default (.+)\)$`)
	proseClaim  = regexp.MustCompile(`--([a-z][a-z-]+) \(default ([^)]+)\)`)
)

// TestEveryHelp: every command's --help (and hookcheck help CMD) says what
// it does, how it is used and its exit codes; a flag's text does not claim
// a default besides the one the flag has, and the description's "--flag
// (default X)" claims match the flags' real defaults.
func TestEveryHelp(t *testing.T) {
	for n := range commands {
		if n != "bench" && !containsCmd(helpCommands, n) {
			t.Errorf("command %q has no entry in helpCommands", n)
		}
	}
	for _, c := range helpCommands {
		name := strings.Join(c, " ")
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), append(append([]string{}, c...), "--help"), &stdout, &stderr); code != exitOK || stderr.Len() > 0 {
				t.Fatalf("--help: exit %d, stderr %q", code, stderr.String())
			}
			out := stdout.String()
			var viaHelp bytes.Buffer
			if run(context.Background(), append([]string{"help"}, c...), &viaHelp, &stderr); viaHelp.String() != out {
				t.Errorf("hookcheck help %s differs from --help", name)
			}
			desc, flags, _ := strings.Cut(out, "\nFlags:\n")
			if !strings.HasPrefix(desc, "Usage: hookcheck "+name) || strings.Count(desc, "\n\n") < 2 {
				t.Errorf("no synopsis and description:\n%s", desc)
			}
			if !strings.Contains(desc, "\nExit codes: 0") {
				t.Errorf("no exit codes section:\n%s", desc)
			}
			defaults := map[string]string{}
			lines := strings.Split(flags, "\n")
			for i := 0; i < len(lines); i++ {
				m := flagLine.FindStringSubmatch(lines[i])
				if m == nil {
					continue
				}
				usage := ""
				for i+1 < len(lines) && strings.HasPrefix(lines[i+1], "    \t") {
					i++
					usage += strings.TrimPrefix(lines[i], "    \t") + " "
				}
				usage = strings.TrimSpace(usage)
				def := ""
				if d := defaultTail.FindStringSubmatch(usage); d != nil {
					def = strings.Trim(d[1], `"`)
					if !timingGroup[m[1]] && strings.Contains(strings.TrimSuffix(usage, d[0]), "(default") {
						t.Errorf("--%s claims two defaults: %s", m[1], usage)
					}
				}
				defaults[m[1]] = def
			}
			for _, claim := range proseClaim.FindAllStringSubmatch(desc, -1) {
				real, ok := defaults[claim[1]]
				if !ok {
					t.Errorf("the description names --%s, which %s has not", claim[1], name)
				} else if real != claim[2] {
					t.Errorf("the description says --%s defaults to %s; the flag's default is %q", claim[1], claim[2], real)
				}
			}
		})
	}
}

// TestTopLevelHelpAndVersion: hookcheck --help lists every command with a
// gap after its name; --version prints the version; an unknown command is
// named with the nearest one.
func TestTopLevelHelpAndVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &out, &errOut); code != exitOK {
		t.Fatalf("--help: exit %d", code)
	}
	for n := range commands {
		if !regexp.MustCompile(`\n  ` + regexp.QuoteMeta(n) + `  +\S`).MatchString(out.String()) {
			t.Errorf("top-level help lists %q without a gap before its summary:\n%s", n, out.String())
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"--version"}, &out, &errOut); code != exitOK || !strings.HasPrefix(out.String(), "hookcheck ") {
		t.Errorf("--version: exit %d, %q", code, out.String())
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"lod"}, &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), `unknown command "lod"; did you mean load?`) || strings.Count(errOut.String(), "\n") > 2 {
		t.Errorf("unknown command: exit %d, %q", code, errOut.String())
	}
}

func containsCmd(cmds [][]string, name string) bool {
	for _, c := range cmds {
		if c[0] == name {
			return true
		}
	}
	return false
}
