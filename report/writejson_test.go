package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteJSON(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.json")
	os.WriteFile(existing, []byte(`{"old": true, "padding": "longer than what replaces it"}`), 0o600)
	tests := []struct {
		name, path, err string
	}{
		{"new file", filepath.Join(dir, "new.json"), ""},
		{"replaced whole", existing, ""},
		{"a device, written in place", os.DevNull, ""},
		{"missing directory", filepath.Join(dir, "absent", "x.json"), "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := writeJSON(tt.path, map[string]int{"n": 1})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.path == os.DevNull {
				return
			}
			b, _ := os.ReadFile(tt.path)
			var got map[string]int
			if err := json.Unmarshal(b, &got); err != nil || got["n"] != 1 {
				t.Fatalf("%s holds %q (%v)", tt.path, b, err)
			}
			if fi, _ := os.Stat(tt.path); fi.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644", fi.Mode().Perm())
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
