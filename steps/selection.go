package steps

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/features"
	"github.com/hookcheck/hookcheck/judge"
)

// CheckConformanceTags fails, naming --tags, unless extra selects some
// scenario of the conformance suite under profile p: said before anything
// starts, rather than after an empty run.
func CheckConformanceTags(p judge.Profile, extra string) error {
	if strings.TrimSpace(extra) == "" {
		return nil
	}
	paths, err := conformancePaths()
	if err != nil {
		return err
	}
	return checkTags(paths, conformanceTags(TagFilter(p, "")), extra, "the conformance suite (profile "+p.Name+")")
}

// CheckReceiverTags fails, naming --tags, unless extra selects some
// scenario of the receiver certification.
func CheckReceiverTags(extra string) error {
	if strings.TrimSpace(extra) == "" {
		return nil
	}
	paths, err := receiverPaths()
	if err != nil {
		return err
	}
	return checkTags(paths, features.ReceiverTag, extra, "the receiver certification")
}

// conformancePaths are the feature files of the conformance suite, in
// name order (the receiver's feature is left out by its tag).
func conformancePaths() ([]string, error) {
	paths, err := fs.Glob(features.FS, "*.feature")
	if err != nil {
		return nil, fmt.Errorf("steps: features: %w", err)
	}
	sort.Strings(paths)
	return paths, nil
}

// receiverPaths are the feature files of the receiver certification.
func receiverPaths() ([]string, error) {
	files, err := features.Receiver()
	if err != nil {
		return nil, fmt.Errorf("certify: %w", err)
	}
	paths := make([]string, 0, len(files))
	for _, f := range files {
		paths = append(paths, f.Name)
	}
	return paths, nil
}

// checkTags fails unless the filter base and extra together select a
// scenario of paths; the error names extra (the --tags value) and the tags
// base selects from (but those citing facts: too many to list).
func checkTags(paths []string, base, extra, what string) error {
	var facts bool // some scenario cites a fact
	parse := func(tags string) ([]string, int, error) {
		feats, err := godog.TestSuite{Options: &godog.Options{FS: features.FS, Paths: paths, Tags: tags}}.RetrieveFeatures()
		if err != nil {
			return nil, 0, fmt.Errorf("steps: features: %w", err)
		}
		var known []string
		n := 0
		facts = false
		for _, f := range feats {
			n += len(f.Pickles)
			for _, p := range f.Pickles {
				for _, t := range p.Tags {
					switch {
					case len(features.Facts([]string{t.Name})) > 0:
						facts = true
					case !slices.Contains(known, t.Name):
						known = append(known, t.Name)
					}
				}
			}
		}
		return known, n, nil
	}
	_, n, err := parse(andTags(base, extra))
	if err != nil || n > 0 {
		return err
	}
	known, _, err := parse(base)
	if err != nil {
		return err
	}
	sort.Strings(known)
	if facts {
		known = append(known, "and @F… (the facts each scenario proves)")
	}
	return fmt.Errorf("--tags %q selects no scenario of %s: nothing would be checked; its tags are %s",
		extra, what, strings.Join(known, " "))
}
