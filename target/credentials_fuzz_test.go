package target

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLoadCredentials feeds arbitrary bytes to the --credentials loader.
// Properties: it never panics; an error names the file, says what is wrong
// and does not echo the file (it may hold secrets); an accepted file gives
// exactly its four strings, and resolving credentials from it alone gives
// either an error or a complete main client and a complete or no second
// client.
func FuzzLoadCredentials(f *testing.F) {
	for _, s := range []string{
		`{"client_id":"APP-1","client_secret":"s3cret"}`,
		`{"client_id":"APP-1","client_secret":"s3cret","second_client_id":"APP-2","second_client_secret":"t"}`,
		`{"client_id":"APP-1","client_secret":"s3cret","second_client_id":"APP-2"}`,
		`{"client_id":"APP-1"}`,
		`{"CLIENT_ID":"APP-1","Client_Secret":"x"}`,
		`{"client_id":1,"client_secret":"leaked-secret-value"}`,
		`{"client_secret":"leaked-secret-value" "client_id":"APP-1"}`,
		`{"client_id":"\u0000","client_secret":"\ud800"}`,
		`{"client_id":"APP-1","client_secret":"x"} {}`,
		`null`, `{}`, `[]`, `"x"`, ``, `{`, "\xff", `{"client_id":"APP-1","client_secret":"` + strings.Repeat("s", 300) + `"`,
	} {
		f.Add([]byte(s))
	}
	for _, k := range []string{"HOOKCHECK_CLIENT_ID", "HOOKCHECK_CLIENT_SECRET", "HOOKCHECK_SECOND_CLIENT_ID", "HOOKCHECK_SECOND_CLIENT_SECRET"} {
		f.Setenv(k, "")
	}
	// One file per fuzzing process, rewritten by each call (calls within a
	// process run one at a time).
	path := filepath.Join(f.TempDir(), "credentials.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		file, err := LoadCredentialsFile(path)
		if err != nil {
			msg := err.Error()
			what, ok := strings.CutPrefix(msg, "--credentials "+path+": ")
			if !ok || strings.TrimSpace(what) == "" {
				t.Fatalf("error %q does not name the file and the fault", msg)
			}
			// The message is bounded: it says what is wrong without
			// quoting the file, which may hold a secret.
			if len(what) > 200 {
				t.Fatalf("error quotes too much of the file: %q", msg)
			}
			if file != (credentialsFile{}) {
				t.Fatalf("error %q with values %+v", msg, file)
			}
			return
		}
		var direct credentialsFile
		if err := json.Unmarshal(data, &direct); err != nil || direct != file {
			t.Fatalf("accepted %q as %+v; plain decoding gives %+v, %v", data, file, direct, err)
		}
		for _, v := range []string{file.ClientID, file.ClientSecret, file.SecondClientID, file.SecondClientSecret} {
			if !utf8.ValidString(v) {
				t.Fatalf("accepted %q with invalid UTF-8 %q", data, v)
			}
		}
		main, second, err := ClientFlags{File: path}.Resolve()
		if err != nil {
			return
		}
		if main.ID != file.ClientID || main.Secret != file.ClientSecret || main.ID == "" || main.Secret == "" {
			t.Fatalf("resolved main client %+v from %+v", main, file)
		}
		if second != nil && (second.ID != file.SecondClientID || second.Secret != file.SecondClientSecret || second.ID == "" || second.Secret == "") {
			t.Fatalf("resolved second client %+v from %+v", *second, file)
		}
		if second == nil && (file.SecondClientID != "" || file.SecondClientSecret != "") {
			t.Fatalf("second client of %+v dropped", file)
		}
	})
}

// TestLoadCredentialsMissingFile: a file that cannot be read is named.
func TestLoadCredentialsMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.json")
	_, err := LoadCredentialsFile(path)
	if err == nil || !strings.HasPrefix(err.Error(), "--credentials: ") || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v does not name %s", err, path)
	}
}
