// Package features holds the conformance suite's Gherkin feature files, one
// per area, embedded so that the hookcheck binary carries its own suite.
//
// Every scenario name starts with a stable ID (e.g. "REG-01"); tags name the
// area (@token, @register, …), the level (@core or @extended) and, for
// scenarios that only one spec version defines, the profile
// (@profile-orcid, @profile-orcid-2013).
package features

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
)

// FS holds the feature files at its root.
//
//go:embed *.feature
var FS embed.FS

// File is one embedded feature file and the SHA-256 digest of its bytes.
type File struct {
	Name   string `json:"file"`
	SHA256 string `json:"sha256"`
}

// Files lists the embedded feature files in name order with their digests.
func Files() ([]File, error) {
	names, err := fs.Glob(FS, "*.feature")
	if err != nil {
		return nil, fmt.Errorf("features: list: %w", err)
	}
	sort.Strings(names)
	out := make([]File, 0, len(names))
	for _, n := range names {
		b, err := FS.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("features: read %s: %w", n, err)
		}
		sum := sha256.Sum256(b)
		out = append(out, File{Name: n, SHA256: hex.EncodeToString(sum[:])})
	}
	return out, nil
}
