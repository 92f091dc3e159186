// Package docs carries the machine-readable documents of docs/ — the JSON
// Schemas — into the binary, so that what the pages describe is what the
// code enforces.
package docs

import "embed"

// ProfileSchema is the JSON Schema of sender profile files
// (docs/profile.schema.json).
//
//go:embed profile.schema.json
var ProfileSchema []byte

// ReportSchemas are the JSON Schemas of the report files, by file name:
// conformance.schema.json, certification.schema.json, load.schema.json,
// analysis.schema.json, and report-defs.schema.json, the parts they share.
//
//go:embed conformance.schema.json certification.schema.json load.schema.json analysis.schema.json report-defs.schema.json
var ReportSchemas embed.FS

// SchemaBase is the URL the schemas' $id and $ref resolve against.
const SchemaBase = "https://github.com/hookcheck/hookcheck/docs/"
