package target

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	idA = "0000-0002-1825-0097"
	idB = "0000-0001-5109-3700"
)

func TestLoadCallbacks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, content string
		wantErr             string
	}{
		{"json list", "cb.json", `[{"orcid":"` + idA + `","url":"https://m.example/h/a"},{"orcid":"unknown","url":"https://m.example/h/u"}]`, ""},
		{"json object", "cb.json", `{"callbacks":[{"orcid":"` + idA + `","url":"https://m.example/h/a"},{"orcid":"unknown","url":"https://m.example/h/u"}]}`, ""},
		{"csv with header", "cb.csv", "orcid,url\n" + idA + ",https://m.example/h/a\nunknown,https://m.example/h/u\n", ""},
		{"csv without header", "cb.csv", idA + ", https://m.example/h/a\nunknown,https://m.example/h/u", ""},
		{"no unknown row", "cb.csv", idA + ",https://m.example/h/a\n", `no "unknown" row`},
		{"two unknown rows", "cb.csv", idA + ",https://m.example/h/a\nunknown,https://m.example/h/u\nunknown,https://m.example/h/v\n", `a second "unknown" row`},
		{"no records", "cb.csv", "unknown,https://m.example/h/u\n", "no record rows"},
		{"bad iD", "cb.csv", "0000-0002-1825-0098,https://m.example/h/a\nunknown,https://m.example/h/u\n", "row 1"},
		{"duplicate", "cb.csv", idA + ",https://m.example/h/a\n" + idA + ",https://m.example/h/b\nunknown,https://m.example/h/u\n", "more than once"},
		{"relative URL", "cb.csv", idA + ",/h/a\nunknown,https://m.example/h/u\n", "not an absolute http(s) URL"},
		{"three columns", "cb.csv", idA + ",https://m.example/h/a,x\n", "CSV"},
		{"bad JSON", "cb.json", `[{"orcid":1}]`, "JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			cb, err := LoadCallbacks(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			u, err := cb.URL(context.Background(), idA)
			if err != nil || u != "https://m.example/h/a" {
				t.Errorf("URL = %q, %v", u, err)
			}
			if _, err := cb.URL(context.Background(), idB); err == nil {
				t.Errorf("a record without a row has a URL")
			}
			if _, u, _ := cb.Unknown(context.Background()); u != "https://m.example/h/u" {
				t.Errorf("Unknown = %q", u)
			}
			if got := cb.Records(); len(got) != 1 || got[0] != idA || !cb.PerRecord() {
				t.Errorf("Records %v, PerRecord %v", got, cb.PerRecord())
			}
		})
	}
}

func TestCommandCallbacks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if _, err := CommandCallbacks("sign"); err == nil || !strings.Contains(err.Error(), "{orcid}") {
		t.Fatalf("a command without {orcid}: %v", err)
	}
	cb, err := CommandCallbacks(`printf 'https://m.example/hook/%s.sig\nignored\n' {orcid}`)
	if err != nil {
		t.Fatal(err)
	}
	urls, err := CallbackURLs(ctx, cb, []string{idA, idB})
	if err != nil || urls[0] != "https://m.example/hook/"+idA+".sig" || urls[1] != "https://m.example/hook/"+idB+".sig" {
		t.Fatalf("URLs %v, %v", urls, err)
	}
	id, u, err := cb.Unknown(ctx)
	if err != nil || id == idA || !strings.Contains(u, id) {
		t.Errorf("Unknown = %q %q %v", id, u, err)
	}
	if _, err := cb.URL(ctx, "0000-0002-1825-0097; rm -rf /"); err == nil {
		t.Errorf("an odd iD went to the shell")
	}
	for _, bad := range []struct{ cmd, want string }{
		{"echo not-a-url {orcid}", "not an absolute http(s) URL"},
		{"echo oops >&2; exit 3 # {orcid}", "oops"},
	} {
		cb, _ := CommandCallbacks(bad.cmd)
		if _, err := cb.URL(ctx, idA); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v, want %q", bad.cmd, err, bad.want)
		}
	}
	if n := cb.Name(); strings.Contains(n, "m.example") {
		t.Errorf("Name shows the command line: %q", n)
	}
	for cmd, want := range map[string]string{
		"KEY=s3cret OTHER=x /usr/bin/sign --key k {orcid}": "command /usr/bin/sign …",
		"python3 sign.py {orcid}":                          "command python3 …",
	} {
		if got := commandName(cmd); got != want {
			t.Errorf("commandName(%q) = %q, want %q", cmd, got, want)
		}
	}
}

func TestForge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url, want string
		ok        bool
	}{
		{"https://m.example/orcid-webhook/" + idA + ".9f3c", "https://m.example/orcid-webhook/" + idB + ".9f3c", true},
		{"https://m.example/orcid-webhook/eyJvcmNpZCI6Ij.abcZ", "https://m.example/orcid-webhook/eyJvcmNpZCI6Ij.abcA", true},
		{"https://m.example/cb/k9/updated?o=1", "https://m.example/cb/k9/updatee?o=1", true},
		{"https://m.example/---", "", false},
	}
	for _, tt := range tests {
		got, ok := Forge(tt.url, idA, idB)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Forge(%q) = %q %v, want %q %v", tt.url, got, ok, tt.want, tt.ok)
		}
	}
	// Tampering leaves the iD alone.
	if got, _ := Forge("https://m.example/s3cr3t/"+idA, idA, idA); got != "https://m.example/s3cr3u/"+idA {
		t.Errorf("tampered %q", got)
	}
}

func TestOpenCertifyRegistry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	client := Credentials{ID: "APP-MEMBER0000001", Secret: "member-secret"}
	reg, err := OpenCertifyRegistry(ctx, CertifyRegistry{Addr: addr, Client: client, Records: []Record{{ORCID: idA, UpdateToken: "token-the-member-holds"}, {ORCID: idB}}, Tokens: []string{"client-token-kept-from-last-run"}})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	if reg.URL != "http://"+addr {
		t.Fatalf("registry at %s, want %s", reg.URL, addr)
	}
	api := reg.API(nil)
	tok, _, err := api.Token(ctx, client, "/read-public")
	if err != nil {
		t.Fatalf("the configured client gets no token: %v", err)
	}
	cursor, err := api.ReadCursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := api.SetReadScript(ctx, idA, "403"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id, token string
		want      int
	}{{idA, tok, 403}, {idA, tok, 200}, {idB, "token-the-member-holds", 200}, {idB, "client-token-kept-from-last-run", 200}, {"0000-0003-1415-9269", tok, 404}} {
		req, _ := http.NewRequest(http.MethodGet, reg.URL+"/v2.1/"+tc.id+"/record", nil)
		req.Header.Set("Authorization", "Bearer "+tc.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("read %s: %d, want %d", tc.id, resp.StatusCode, tc.want)
		}
	}
	reads, dropped, err := api.Reads(ctx, cursor)
	if err != nil || dropped || len(reads) != 5 || reads[0].ClientID != client.ID || reads[2].Auth != "record" || reads[3].ClientID != client.ID {
		t.Fatalf("reads %+v dropped %v %v", reads, dropped, err)
	}
	// Leases hand out the given records, each to one scenario at a time.
	ls := NewLeaser([]string{idA, idB})
	seen := map[string]bool{}
	for range 2 {
		id, _, err := ls.Lease(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen[id] = true
	}
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, _, err := ls.Lease(short); err == nil || !seen[idA] || !seen[idB] || ls.Capacity() != 2 {
		t.Errorf("leased %v, then %v", seen, err)
	}
	// A running hookcheck registry is reached by URL; the records are put there.
	other, err := OpenCertifyRegistry(ctx, CertifyRegistry{URL: reg.URL, Records: []Record{{ORCID: "0000-0003-1415-9269"}}})
	if err != nil {
		t.Fatal(err)
	}
	if reads, _, _ := other.API(nil).Reads(ctx, 0); len(reads) != 5 {
		t.Errorf("the same registry by URL has %d reads, want 5", len(reads))
	}
	if _, err := OpenCertifyRegistry(ctx, CertifyRegistry{URL: reg.URL, Tokens: []string{"x"}}); err == nil || !strings.Contains(err.Error(), "in-process") {
		t.Errorf("tokens planted in a running registry: %v", err)
	}
	if _, err := OpenCertifyRegistry(ctx, CertifyRegistry{URL: "http://" + addr + "/nothing-here"}); err == nil {
		t.Errorf("a URL without the control API was accepted")
	}
}
