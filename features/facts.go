package features

import (
	"regexp"
	"slices"
	"strings"
)

// factTag matches a tag citing a fact of docs/orcid-behaviour.md, e.g. "@F012".
var factTag = regexp.MustCompile(`^@F\d{3}$`)

// Facts returns the fact IDs cited by tags ("F012" for "@F012"), sorted and
// without duplicates: the facts of ORCID's behaviour a scenario checks.
func Facts(tags []string) []string {
	var out []string
	for _, t := range tags {
		if factTag.MatchString(t) {
			out = append(out, strings.TrimPrefix(t, "@"))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
