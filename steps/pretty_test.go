package steps

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/target"
)

var (
	featureHeading = regexp.MustCompile(`^Feature: .*  # (\S+\.feature)$`)
	scenarioLine   = regexp.MustCompile(`^  Scenario(?: Outline)?: (\S+) .*  # (\S+\.feature):\d+$`)
	stepLine       = regexp.MustCompile(`^    (Given|When|Then|And|But) .*  # (\S+\.go):\d+$`)
)

// TestPrettyGroupsConcurrentScenarios runs the token and access scenarios
// eight at a time in the pretty format and checks that every scenario is
// printed whole under a heading of its own feature, every step with the
// file:line of the steps file that binds it (not the redacting wrapper).
func TestPrettyGroupsConcurrentScenarios(t *testing.T) {
	p := profileForTest(t, "orcid")
	declared := target.EmbeddedTiming(p.Timing())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tgt, err := target.StartEmbedded(ctx, target.RegistryConfig(declared))
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	var out bytes.Buffer
	res, err := Run(ctx, Config{Target: tgt, Profile: p, Timing: declared,
		Console: Console{Concurrency: 8, Format: "pretty", Tags: "@token,@access", Output: &out, NoColors: true}})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	feature, scenarios, steps := "", map[string]bool{}, 0
	files := map[string]bool{}
	for _, l := range strings.Split(out.String(), "\n") {
		if m := featureHeading.FindStringSubmatch(l); m != nil {
			feature = m[1]
		} else if m := scenarioLine.FindStringSubmatch(l); m != nil {
			if m[2] != feature {
				t.Errorf("scenario %s of %s printed under %s", m[1], m[2], feature)
			}
			scenarios[m[1]] = true
		} else if m := stepLine.FindStringSubmatch(l); m != nil {
			steps++
			files[m[2]] = true
		} else if strings.HasPrefix(l, "    ") && !strings.HasPrefix(l, "      ") {
			t.Errorf("a step line without its definition's file:line: %q", l)
		}
	}
	if len(scenarios) != res.Counts.Scenarios || res.Counts.Scenarios < 20 {
		t.Errorf("%d scenarios printed, %d run", len(scenarios), res.Counts.Scenarios)
	}
	if steps == 0 || files["stepwrap.go"] || !files["steps_token.go"] || !files["steps_api.go"] {
		t.Errorf("%d steps, located in %v", steps, files)
	}
	if strings.Contains(out.String(), "makeFuncStub") {
		t.Error("locations name reflect's stub")
	}
}
