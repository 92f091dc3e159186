package layers

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/hookcheck/hookcheck/"

// TestImportsFlowOneWay lists every package of the module with go list and
// checks each import of another module package (tests' imports included)
// against Rules.
func TestImportsFlowOneWay(t *testing.T) {
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,TestImports,XTestImports", module+"...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	n := 0
	for dec.More() {
		var p struct {
			ImportPath                         string
			Imports, TestImports, XTestImports []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		from := strings.TrimPrefix(p.ImportPath, module)
		if !Covered(from) {
			t.Errorf("package %s is in no layer: add it to layers.Rules", from)
			continue
		}
		n++
		for _, list := range [][]string{p.Imports, p.TestImports, p.XTestImports} {
			for _, imp := range list {
				to, ok := strings.CutPrefix(imp, module)
				if !ok || to == from {
					continue
				}
				if !Allowed(from, to) {
					t.Errorf("%s imports %s: against the layering (internal/layers.Rules)", from, to)
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("checked %d packages; go list found too few", n)
	}
}

// TestRules: the rules forbid what the layering forbids.
func TestRules(t *testing.T) {
	for _, c := range []struct {
		from, to string
		ok       bool
	}{
		{"cmd/hookcheck", "steps", true},
		{"steps", "report", true},
		{"report", "judge", true},
		{"fixtures/registry", "fixtures/timing", true},
		{"fixtures/registry", "judge", false},
		{"judge", "report", false},
		{"judge", "target", false},
		{"target", "steps", false},
		{"report", "loadgen", false},
		{"loadgen", "steps", false},
		{"steps", "certify", false},
		{"internal/redact", "target", false},
		{"newpkg", "internal/redact", false},
	} {
		if got := Allowed(c.from, c.to); got != c.ok {
			t.Errorf("Allowed(%s → %s) = %v, want %v", c.from, c.to, got, c.ok)
		}
	}
}
