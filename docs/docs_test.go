package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mdLink is a Markdown link's target: [text](target).
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestLinksStayInTheRepository: the README and every page of docs/ link
// only to files of this repository that exist (an anchor may follow), never
// outside it (a folder beside the checkout, or anything above its root).
func TestLinksStayInTheRepository(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	pages = append(pages, filepath.Join(root, "README.md"))
	checked := 0
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, page)
		if strings.Contains(string(b), "shared/") {
			t.Errorf("%s mentions shared/: the repository carries its own docs", rel)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") || strings.HasPrefix(target, "#") {
				continue
			}
			file, _, _ := strings.Cut(target, "#")
			path := filepath.Clean(filepath.Join(filepath.Dir(page), file))
			if r, err := filepath.Rel(root, path); err != nil || strings.HasPrefix(r, "..") {
				t.Errorf("%s links %s, outside the repository", rel, target)
				continue
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s links %s, which does not exist", rel, target)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("checked only %d links: is the link pattern still right?", checked)
	}
}

// TestCIRunsTheREADMEsTestCommand: .ci/run ends by running exactly the
// test command the README gives.
func TestCIRunsTheREADMEsTestCommand(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile("../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?m)^(go test [^#\n]*?)\\s*#").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README gives no `go test` command")
	}
	lines := strings.Split(strings.TrimSpace(string(ci)), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != string(m[1]) {
		t.Errorf(".ci/run ends with %q, the README's test command is %q", last, m[1])
	}
}

// TestSchemasAreEmbedded: every report schema of this folder is embedded,
// and parses as JSON.
func TestSchemasAreEmbedded(t *testing.T) {
	files, _ := filepath.Glob("*.schema.json")
	for _, f := range files {
		if f == "profile.schema.json" {
			continue
		}
		if _, err := ReportSchemas.ReadFile(f); err != nil {
			t.Errorf("%s is not embedded in ReportSchemas: %v", f, err)
		}
	}
}
