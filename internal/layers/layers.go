// Package layers declares the direction imports flow in: which of the
// module's packages each package may import. Its test checks the real
// imports (go list) against the rules, so that the layering stays true.
//
//	cmd → (certify → steps, loadgen; bench → loadgen) → (report → judge, target) → fixtures → internal
package layers

import "strings"

// Rules maps a package (its path in the module; a trailing "/" covers a
// folder) to the module packages it may import, by the same patterns.
var Rules = map[string][]string{
	"internal/":     {"internal/"},
	"features":      {},
	"docs":          {},
	"fixtures/":     {"fixtures/", "internal/"},
	"judge":         {"docs", "fixtures/", "internal/"},
	"target":        {"fixtures/", "internal/"},
	"report":        {"docs", "judge", "target", "features", "fixtures/", "internal/"},
	"steps":         {"report", "judge", "target", "features", "fixtures/", "internal/"},
	"loadgen":       {"report", "judge", "target", "fixtures/", "internal/"},
	"certify":       {"steps", "loadgen", "report", "judge", "target", "features", "fixtures/", "internal/"},
	"deploy":        {"loadgen", "report", "fixtures/", "internal/"},
	"bench":         {"certify", "loadgen", "report", "judge", "target", "fixtures/", "internal/"},
	"cmd/hookcheck": {"certify", "bench", "steps", "loadgen", "report", "judge", "target", "features", "fixtures/", "internal/"},
}

// match reports whether pkg is covered by pattern.
func match(pattern, pkg string) bool {
	if strings.HasSuffix(pattern, "/") {
		return strings.HasPrefix(pkg, pattern)
	}
	return pkg == pattern
}

// rule returns the patterns pkg may import and whether any rule covers it;
// the longest matching key wins.
func rule(pkg string) ([]string, bool) {
	best, found := "", false
	for k := range Rules {
		if match(k, pkg) && len(k) >= len(best) {
			best, found = k, true
		}
	}
	return Rules[best], found
}

// Allowed reports whether module package from may import module package to.
func Allowed(from, to string) bool {
	pats, ok := rule(from)
	if !ok {
		return false
	}
	for _, p := range pats {
		if match(p, to) {
			return true
		}
	}
	return false
}

// Covered reports whether some rule covers pkg: a new package must be placed
// in the layering before it may import anything.
func Covered(pkg string) bool { _, ok := rule(pkg); return ok }
