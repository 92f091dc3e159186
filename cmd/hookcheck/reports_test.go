package main

import (
	"os"
	"testing"

	"github.com/hookcheck/hookcheck/report"
)

// readValid reads the report file at path, failing the test unless it
// follows its JSON Schema in docs/ (report.SchemaLoad …).
func readValid(t *testing.T, schema, path string) []byte {
	t.Helper()
	if err := report.ValidateFile(schema, path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
