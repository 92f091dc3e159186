package target

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
)

// FuzzLoadRecords feeds arbitrary bytes to LoadRecords as a records file.
// Properties: it never panics; an error names the file and says what is
// wrong; an accepted file gives at least one record, every iD valid and
// listed once, exactly as the JSON says.
func FuzzLoadRecords(f *testing.F) {
	for _, s := range []string{
		`{"records":[{"orcid":"0000-0002-1825-0097","update_token":"tok-1"}]}`,
		`{"records":[{"orcid":"0000-0002-1825-0097"},{"orcid":"0000-0001-5109-3700","update_token":"t"}]}`,
		`{"records":[{"orcid":"0000-0002-1694-233X"}]}`,
		`{"records":[{"orcid":"0000-0002-1825-0097"},{"orcid":"0000-0002-1825-0097"}]}`, // listed twice
		`{"records":[{"orcid":"0000-0002-1825-0098"}]}`,                                 // bad checksum
		`{"records":[{"orcid":"0000-0002-1825-009x"}]}`,
		`{"records":[{"orcid":"https://orcid.org/0000-0002-1825-0097"}]}`,
		`{"records":[null]}`,
		`{"records":[]}`,
		`{"records":{}}`,
		`{"records":null}`,
		`{"RECORDS":[{"ORCID":"0000-0002-1825-0097"}]}`,
		`{"records":[{"orcid":7}]}`,
		`{"records":[{"orcid":"0000-0002-1825-0097"}]} trailing`,
		`null`, `[]`, `""`, `{}`, ``, `{`, "\xff\xfe", `{"records":[{"orcid":"0000-0002-1825-0097","update_token":"\ud800"}]}`,
	} {
		f.Add([]byte(s))
	}
	// One file per fuzzing process, rewritten by each call (calls within a
	// process run one at a time).
	path := filepath.Join(f.TempDir(), "records.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		recs, err := LoadRecords(path)
		if err != nil {
			msg := err.Error()
			what, ok := strings.CutPrefix(msg, "records file "+path+": ")
			if !ok || strings.TrimSpace(what) == "" {
				t.Fatalf("error %q does not name the file and the fault", msg)
			}
			if recs != nil {
				t.Fatalf("error %q with records %v", msg, recs)
			}
			return
		}
		if len(recs) == 0 {
			t.Fatalf("accepted %q with no records", data)
		}
		seen := map[string]bool{}
		for _, r := range recs {
			if err := orcid.Validate(r.ORCID); err != nil {
				t.Fatalf("accepted %q with record %+v: %v", data, r, err)
			}
			if seen[r.ORCID] {
				t.Fatalf("accepted %q with %s twice", data, r.ORCID)
			}
			seen[r.ORCID] = true
		}
		// The records are what the file says, nothing added or lost.
		var direct struct {
			Records []Record `json:"records"`
		}
		if err := json.Unmarshal(data, &direct); err != nil || len(direct.Records) != len(recs) {
			t.Fatalf("accepted %q as %v; plain decoding gives %v, %v", data, recs, direct.Records, err)
		}
		for i := range recs {
			if recs[i] != direct.Records[i] {
				t.Fatalf("record %d: %+v, file says %+v", i, recs[i], direct.Records[i])
			}
		}
		// A pool over them leases each record once.
		trig, err := NewCommandTrigger("true {orcid}", recs)
		if err != nil {
			t.Fatal(err)
		}
		if trig.Capacity() != len(recs) {
			t.Fatalf("command trigger over %v: capacity %d", recs, trig.Capacity())
		}
	})
}

// TestLoadRecordsMissingFile: a file that cannot be read is named.
func TestLoadRecordsMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.json")
	_, err := LoadRecords(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.HasPrefix(err.Error(), "records file") {
		t.Fatalf("error %v does not name %s", err, path)
	}
}
