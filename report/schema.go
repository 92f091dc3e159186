package report

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/hookcheck/hookcheck/docs"
)

// The report files and the JSON Schema (in docs/) each follows.
const (
	SchemaConformance   = "conformance.schema.json"   // conformance --report
	SchemaCertification = "certification.schema.json" // certify --report
	SchemaLoad          = "load.schema.json"          // load, load merge and flood --json
	SchemaAnalysis      = "analysis.schema.json"      // analyze --json
)

var schemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	names, err := fs.Glob(docs.ReportSchemas, "*.schema.json")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		b, err := docs.ReportSchemas.ReadFile(n)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("docs/%s: %w", n, err)
		}
		if err := c.AddResource(docs.SchemaBase+n, doc); err != nil {
			return nil, fmt.Errorf("docs/%s: %w", n, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, n := range names {
		if out[n], err = c.Compile(docs.SchemaBase + n); err != nil {
			return nil, fmt.Errorf("docs/%s: %w", n, err)
		}
	}
	return out, nil
})

// ValidateFile checks the report file at path against its JSON Schema
// (SchemaLoad …): tests call it on every report they write, so that the
// schemas in docs/ describe what the harness really writes.
func ValidateFile(schema, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	all, err := schemas()
	if err != nil {
		return err
	}
	s, ok := all[schema]
	if !ok {
		return fmt.Errorf("no report schema %q", schema)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: not JSON: %w", path, err)
	}
	if err := s.Validate(doc); err != nil {
		return fmt.Errorf("%s against docs/%s: %w", path, schema, err)
	}
	return nil
}
