package features

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"
)

// factPage is the fact page, relative to this package.
const factPage = "../docs/orcid-behaviour.md"

// fact is one row of the fact page.
type fact struct {
	id, emulated string
	checkedBy    []string // scenario IDs; empty when the cell gives a reason
	reason       string
	line         int
}

var (
	factRow    = regexp.MustCompile(`^\| F\d{3} \|`)
	scenarioID = regexp.MustCompile(`^[A-Z]{3}-\d{2}$`)
	countsLine = regexp.MustCompile(`(?s)<!-- counts -->\n(.*?)\n<!-- /counts -->`)
)

// splitRow splits a Markdown table row into its cells; a "|" inside
// backticks stays in its cell.
func splitRow(line string) []string {
	var cells []string
	var cur strings.Builder
	code := false
	for _, r := range strings.TrimSpace(line) {
		switch {
		case r == '`':
			code = !code
			cur.WriteRune(r)
		case r == '|' && !code:
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	cells = append(cells, strings.TrimSpace(cur.String()))
	return cells[1 : len(cells)-1] // drop what is outside the outer pipes
}

// readFacts parses the fact tables of the page.
func readFacts(t *testing.T) ([]fact, string) {
	t.Helper()
	b, err := os.ReadFile(factPage)
	if err != nil {
		t.Fatal(err)
	}
	var facts []fact
	for i, line := range strings.Split(string(b), "\n") {
		if !factRow.MatchString(line) {
			continue
		}
		cells := splitRow(line)
		if len(cells) != 6 {
			t.Fatalf("%s:%d: %d cells, want 6 (ID, fact, source, registry, emulated, checked by)", factPage, i+1, len(cells))
		}
		f := fact{id: cells[0], emulated: cells[4], line: i + 1}
		if !slices.Contains([]string{"Y", "P", "W", "N", "n/a"}, f.emulated) {
			t.Errorf("%s:%d: %s: emulated %q, want Y, P, W, N or n/a", factPage, f.line, f.id, f.emulated)
		}
		for _, c := range cells[1:4] {
			if c == "" {
				t.Errorf("%s:%d: %s has an empty cell", factPage, f.line, f.id)
			}
		}
		if reason, ok := strings.CutPrefix(cells[5], "—"); ok {
			f.reason = strings.TrimSpace(reason)
		} else {
			for _, id := range strings.Split(cells[5], ",") {
				f.checkedBy = append(f.checkedBy, strings.TrimSpace(id))
			}
		}
		facts = append(facts, f)
	}
	return facts, string(b)
}

// featureScenarios maps each scenario ID of the feature files (an outline's
// ID without its placeholder, e.g. "ACC-01") to the facts its tags cite.
func featureScenarios(t *testing.T) map[string][]string {
	t.Helper()
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, f := range files {
		b, err := FS.ReadFile(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(b), (&messages.Incrementing{}).NewId)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		var scenarios []*messages.Scenario
		for _, c := range doc.Feature.Children {
			if c.Scenario != nil {
				scenarios = append(scenarios, c.Scenario)
			}
			if c.Rule != nil {
				for _, rc := range c.Rule.Children {
					if rc.Scenario != nil {
						scenarios = append(scenarios, rc.Scenario)
					}
				}
			}
		}
		featureTags := tagNames(doc.Feature.Tags)
		if len(Facts(featureTags)) > 0 {
			t.Errorf("%s: fact tags belong on scenarios, not on the Feature", f.Name)
		}
		for _, sc := range scenarios {
			id, _, _ := strings.Cut(sc.Name, " ")
			id, _, _ = strings.Cut(id, "-<")
			tags := tagNames(sc.Tags)
			for _, ex := range sc.Examples {
				tags = append(tags, tagNames(ex.Tags)...)
			}
			if _, dup := out[id]; dup {
				t.Errorf("%s: scenario ID %s is used twice", f.Name, id)
			}
			for _, tag := range tags {
				if strings.HasPrefix(tag, "@F") && !factTag.MatchString(tag) {
					t.Errorf("%s: %s: tag %s looks like a fact but is not @Fnnn", f.Name, id, tag)
				}
			}
			out[id] = Facts(tags)
		}
	}
	return out
}

func tagNames(tags []*messages.Tag) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.Name
	}
	return out
}

// TestFactsAndFeatures checks the fact page against the feature files:
// every scenario the page cites exists, every fact a feature cites is on
// the page, and each fact's "Checked by" lists exactly the scenarios tagged
// with it.
func TestFactsAndFeatures(t *testing.T) {
	facts, _ := readFacts(t)
	scenarios := featureScenarios(t)
	byID := map[string]fact{}
	for i, f := range facts {
		if want := fmt.Sprintf("F%03d", i+1); f.id != want {
			t.Fatalf("%s:%d: fact %s out of order, want %s", factPage, f.line, f.id, want)
		}
		byID[f.id] = f
		if len(f.checkedBy) == 0 && f.reason == "" {
			t.Errorf("%s:%d: %s is checked by no scenario and says not why", factPage, f.line, f.id)
		}
		for _, sid := range f.checkedBy {
			if !scenarioID.MatchString(sid) {
				t.Errorf("%s:%d: %s: %q is not a scenario ID (like REG-01)", factPage, f.line, f.id, sid)
			} else if _, ok := scenarios[sid]; !ok {
				t.Errorf("%s:%d: %s cites scenario %s, which no feature file has", factPage, f.line, f.id, sid)
			}
		}
	}
	tagged := map[string][]string{} // fact → scenarios tagged with it
	for sid, fs := range scenarios {
		for _, fid := range fs {
			if _, ok := byID[fid]; !ok {
				t.Errorf("scenario %s cites fact %s, which %s lacks", sid, fid, factPage)
			}
			tagged[fid] = append(tagged[fid], sid)
		}
	}
	for _, f := range facts {
		want := slices.Clone(f.checkedBy)
		got := tagged[f.id]
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s:%d: %s is checked by %v on the page, but the scenarios tagged @%s are %v", factPage, f.line, f.id, want, f.id, got)
		}
	}
}

// auditedFacts is how many facts the fidelity audit judged: F001–F107.
// Facts found later are numbered on from there.
const auditedFacts = 107

// TestFactCounts prints the page's counts and fails when the page records
// others.
func TestFactCounts(t *testing.T) {
	facts, page := readFacts(t)
	if len(facts) < auditedFacts {
		t.Fatalf("%s has %d facts, want at least the %d audited ones", factPage, len(facts), auditedFacts)
	}
	n := map[string]int{}
	judged, asserted, further, furtherAsserted := 0, 0, 0, 0
	for i, f := range facts {
		if i >= auditedFacts {
			further++
			if len(f.checkedBy) > 0 {
				furtherAsserted++
			}
			continue
		}
		n[f.emulated]++
		if f.emulated != "n/a" {
			judged++
			if len(f.checkedBy) > 0 {
				asserted++
			}
		}
	}
	got := fmt.Sprintf("audited facts F001–F%03d: %d; judged (not n/a): %d; emulated: Y %d, P %d, W %d, N %d; asserted in full by a scenario: %d; further facts: %d, asserted: %d",
		auditedFacts, auditedFacts, judged, n["Y"], n["P"], n["W"], n["N"], asserted, further, furtherAsserted)
	t.Log(got)
	m := countsLine.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("%s has no <!-- counts --> block", factPage)
	}
	if m[1] != got {
		t.Errorf("%s records\n  %s\nbut the table gives\n  %s", factPage, m[1], got)
	}
}
