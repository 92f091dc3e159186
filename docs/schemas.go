// Package docs carries the machine-readable documents of docs/ — the JSON
// Schemas — into the binary, so that what the pages describe is what the
// code enforces.
package docs

import _ "embed"

// ProfileSchema is the JSON Schema of sender profile files
// (docs/profile.schema.json).
//
//go:embed profile.schema.json
var ProfileSchema []byte
