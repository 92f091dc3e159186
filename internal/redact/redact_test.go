package redact

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/cucumber/godog"
)

func TestRedactor(t *testing.T) {
	r := &Redactor{}
	r.Add("s3cr3t-token", "s3cr3t", "", "abc") // too short ones are ignored
	tests := []struct{ in, want string }{
		{"Invalid access token: s3cr3t-token", "Invalid access token: " + redacted},
		{"secret=s3cr3t;", "secret=" + redacted + ";"},
		{"abc is fine", "abc is fine"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var buf bytes.Buffer
	fmt.Fprintf(r.Writer(&buf), "token s3cr3t-token here")
	if got := buf.String(); got != "token "+redacted+" here" {
		t.Errorf("writer wrote %q", got)
	}
	err := r.Error(fmt.Errorf("%w: with s3cr3t", godog.ErrSkip))
	if err.Error() != "skipped: with "+redacted || !errors.Is(err, godog.ErrSkip) {
		t.Errorf("Error() = %v (Is ErrSkip %v)", err, errors.Is(err, godog.ErrSkip))
	}
}
