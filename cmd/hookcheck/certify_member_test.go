package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
)

// signerEnv, when set to a key, makes the test binary a member's callback
// signer: it prints BASE/ORCID.HMAC for its arguments BASE ORCID.
const signerEnv = "HOOKCHECK_TEST_SIGNER_KEY"

// signCallback is the member's signed callback URL of id: the iD with an
// HMAC of it (as itsdangerous' Signer makes "value.signature").
func signCallback(base, key, id string) string {
	return base + "/" + id + "." + hmacOf(key, id)
}

func hmacOf(key, id string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// runSigner is the signer process (see signerEnv).
func runSigner(key string, args []string) int {
	if len(args) != 2 || orcid.Validate(args[1]) != nil {
		fmt.Fprintln(os.Stderr, "usage: sign BASE ORCID")
		return 2
	}
	fmt.Println(signCallback(args[0], key, args[1]))
	return 0
}

// memberApp is a member integration as members write them (a Flask app
// in real life): configured with its ORCID API address and client
// credentials before it starts, it accepts only callbacks whose path
// carries an HMAC of the iD, and on each one reads the record with a
// /read-public token it got from the registry's /oauth/token.
type memberApp struct {
	api, clientID, clientSecret, key string
	known                            map[string]bool // the iDs of its users
	// Defects to try: no record read, no signature check.
	skipRead, skipSignature bool

	mu    sync.Mutex
	token string
	http  *http.Client
	// What it did: distinct signed callbacks accepted, record reads made.
	seen  sync.Map
	reads atomic.Int64
}

func (a *memberApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	signed, ok := strings.CutPrefix(r.URL.Path, "/orcid-webhook/")
	dot := strings.LastIndexByte(signed, '.')
	if !ok || dot < 0 {
		http.NotFound(w, r)
		return
	}
	id, sig := signed[:dot], signed[dot+1:]
	if !a.skipSignature && !hmac.Equal([]byte(sig), []byte(hmacOf(a.key, id))) {
		http.NotFound(w, r) // not a callback we registered
		return
	}
	if !a.known[id] {
		http.NotFound(w, r) // not one of our users
		return
	}
	a.seen.Store(r.URL.Path, true)
	if a.skipRead {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.WriteHeader(a.update(r.Context(), id))
}

// update reads record id and answers: 204 done, 404 gone, 503 try again
// later (the read was refused or failed), 500 a record it cannot parse.
func (a *memberApp) update(ctx context.Context, id string) int {
	tok, err := a.accessToken(ctx)
	if err != nil {
		return http.StatusServiceUnavailable
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.api+"/v2.1/"+id+"/record", nil)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := a.http.Do(req)
	if err != nil {
		return http.StatusServiceUnavailable
	}
	defer resp.Body.Close()
	a.reads.Add(1)
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return http.StatusNotFound
	case resp.StatusCode == http.StatusUnauthorized:
		a.mu.Lock()
		a.token = "" // get a new one next time
		a.mu.Unlock()
		return http.StatusServiceUnavailable
	case resp.StatusCode != http.StatusOK:
		return http.StatusServiceUnavailable
	}
	var rec struct {
		ID struct {
			Path string `json:"path"`
		} `json:"orcid-identifier"`
		Person *struct {
			Name struct {
				Family struct {
					Value string `json:"value"`
				} `json:"family-name"`
			} `json:"name"`
		} `json:"person"`
		Path string `json:"path"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rec); err != nil || rec.ID.Path != id || rec.Path != "/"+id || rec.Person == nil || rec.Person.Name.Family.Value == "" {
		return http.StatusInternalServerError // a strict app fails on a record it cannot use
	}
	return http.StatusNoContent
}

// accessToken is its /read-public token, fetched on first use.
func (a *memberApp) accessToken(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token != "" {
		return a.token, nil
	}
	form := url.Values{"client_id": {a.clientID}, "client_secret": {a.clientSecret}, "grant_type": {"client_credentials"}, "scope": {"/read-public"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, a.api+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&tok) != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("token: %d", resp.StatusCode)
	}
	a.token = tok.AccessToken
	return a.token, nil
}

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestCertifyMemberIntegration certifies a member integration that signs
// its callbacks per iD and reads each notified record from the registry
// it was configured with before it started; then the same app without its
// record reads, and without its signature check.
func TestCertifyMemberIntegration(t *testing.T) {
	t.Parallel()
	ids := make([]string, 110)
	recs := make([]map[string]string, len(ids))
	known := map[string]bool{}
	for i := range ids {
		ids[i] = orcid.FromNumber(30_000_000 + uint64(i)*7)
		recs[i] = map[string]string{"orcid": ids[i]}
		known[ids[i]] = true
	}
	records := filepath.Join(t.TempDir(), "records.json")
	b, _ := json.Marshal(map[string]any{"records": recs})
	if err := os.WriteFile(records, b, 0o600); err != nil {
		t.Fatal(err)
	}
	const clientID, clientSecret, key = "APP-MEMBERAPP00001", "member-app-secret", "the-app-signing-key"

	type outcome struct {
		code           int
		stdout, stderr string
		report         certifyReport
	}
	certifyApp := func(t *testing.T, app *memberApp, extra ...string) outcome {
		t.Helper()
		addr := freeAddr(t)
		// The app is configured with the registry before it starts, as a
		// deployed app is: nothing answers there yet.
		app.api, app.clientID, app.clientSecret, app.key, app.known = "http://"+addr, clientID, clientSecret, key, known
		app.http = &http.Client{Timeout: 5 * time.Second}
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			t.Fatalf("something already listens at %s", addr)
		}
		srv := httptest.NewServer(app)
		t.Cleanup(srv.Close)
		cmd := fmt.Sprintf("%s=%s %s %s/orcid-webhook {orcid}", signerEnv, key, os.Args[0], srv.URL)
		reportFile := filepath.Join(t.TempDir(), "report.json")
		var stdout, stderr certifyOutput
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		args := append([]string{"certify-receiver", "--callback-cmd", cmd, "--registry", "embedded", "--registry-addr", addr,
			"--registry-client-id", clientID, "--registry-client-secret", clientSecret, "--registry-records", records,
			"--rate", "200", "--duration", "1s", "--timeout", "4s", "--format", "progress", "--no-colors", "--report", reportFile}, extra...)
		out := outcome{code: run(ctx, args, &stdout, &stderr)}
		out.stdout, out.stderr = stdout.String(), stderr.String()
		if raw, err := os.ReadFile(reportFile); err == nil {
			if err := json.Unmarshal(raw, &out.report); err != nil {
				t.Fatalf("report: %v", err)
			}
		}
		if strings.Contains(out.stdout+out.stderr, clientSecret) || strings.Contains(out.stdout+out.stderr, key) {
			t.Errorf("a secret was printed")
		}
		return out
	}

	t.Run("certified", func(t *testing.T) {
		t.Parallel()
		app := &memberApp{}
		o := certifyApp(t, app)
		if o.code != exitOK || !strings.Contains(o.stdout, ": CERTIFIED") {
			t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", o.code, o.stdout, o.stderr)
		}
		r := o.report
		if !strings.Contains(o.stderr, "registry for the receiver: "+app.api+" (client "+clientID) {
			t.Errorf("the registry's URL and client were not announced:\n%s", o.stderr)
		}
		f := r.Flood
		if f == nil || f.Records != 100 || f.API.Requests < 190 || f.API.OK != f.API.Requests {
			t.Fatalf("flood %+v, want ~200 notifications over 100 callbacks, all 2xx", f)
		}
		// Every notification answered 2xx, scenarios and flood, was matched
		// to a read the app made with its client's token.
		if f.Reads == nil || f.Reads.Matched != int(f.API.OK) || f.Reads.Unmatched != 0 || f.Reads.ByAuth["client"] != f.Reads.Reads {
			t.Errorf("flood reads %+v, want every one of %d 2xx matched to a read with the client's token", f.Reads, f.API.OK)
		}
		if r.Reads == nil || r.Reads.Unmatched != 0 || r.Reads.Matched <= f.Reads.Matched {
			t.Errorf("certification reads %+v", r.Reads)
		}
		distinct := 0
		app.seen.Range(func(any, any) bool { distinct++; return true })
		if r.Callbacks < 100 || distinct < 100 || r.CallbackSource == "" || strings.Contains(r.CallbackSource, key) {
			t.Errorf("%d callbacks in the report (from %q), %d signed ones seen by the app; want ≥ 100", r.Callbacks, r.CallbackSource, distinct)
		}
		codes := map[string]map[string]int{}
		for _, c := range r.Calls {
			codes[c.ID] = c.Codes
		}
		// RCV-05 the unknown record: 404; RCV-07/08 the refused and failed
		// reads: 503; RCV-10 the forged callback: 404.
		for id, want := range map[string]string{"RCV-01": "204", "RCV-05": "404", "RCV-07": "503", "RCV-08": "503", "RCV-10": "404"} {
			if codes[id][want] != 1 {
				t.Errorf("%s answered %v, want one %s", id, codes[id], want)
			}
		}
		if r.Result != "success" || r.Counts.Failed != 0 || r.Counts.Skipped != 0 || r.Timing != nil {
			t.Errorf("report result %q counts %+v timing %v", r.Result, r.Counts, r.Timing)
		}
	})

	t.Run("reads disabled", func(t *testing.T) {
		t.Parallel()
		app := &memberApp{skipRead: true}
		o := certifyApp(t, app)
		r := o.report
		if o.code != exitOK || !strings.Contains(o.stdout, "WARNING RCV-01: the receiver answered 2xx without reading record") ||
			!strings.Contains(o.stdout, "WARNING: ") || !strings.Contains(o.stdout, "came without a read of their record") {
			t.Fatalf("exit %d, want 0 with warnings\nstdout:\n%s\nstderr:\n%s", o.code, o.stdout, o.stderr)
		}
		if r.Reads == nil || r.Reads.Matched != 0 || r.Reads.Unmatched < 200 || r.Flood == nil || r.Flood.Reads == nil || r.Flood.Reads.Unmatched != int(r.Flood.API.OK) {
			t.Errorf("reads %+v, flood %+v: want every 2xx unmatched", r.Reads, r.Flood)
		}
		// What a receiver does with a refused read cannot be judged when
		// it does not read: RCV-07 and RCV-08 are skipped, with a warning.
		if r.Counts.Skipped != 2 || r.Result != "partial" {
			t.Errorf("counts %+v result %q, want RCV-07 and RCV-08 skipped", r.Counts, r.Result)
		}
		if app.reads.Load() != 0 {
			t.Errorf("the app read %d records", app.reads.Load())
		}
	})

	t.Run("reads required", func(t *testing.T) {
		t.Parallel()
		o := certifyApp(t, &memberApp{skipRead: true}, "--require-record-read")
		if o.code != exitFail || !strings.Contains(o.stdout, "NOT CERTIFIED") || !strings.Contains(o.stdout, "--require-record-read") {
			t.Fatalf("exit %d, want 1\nstdout:\n%s", o.code, o.stdout)
		}
		for _, id := range []string{"RCV-01", "RCV-03", "RCV-04", "RCV-07", "RCV-08", "FLOOD"} {
			if !o.report.failed(id) {
				t.Errorf("%s did not fail: %+v", id, o.report.Failed)
			}
		}
	})

	t.Run("signature check broken", func(t *testing.T) {
		t.Parallel()
		o := certifyApp(t, &memberApp{skipSignature: true}, "--duration", "0")
		if o.code != exitFail || !strings.Contains(o.stdout, "NOT CERTIFIED") || !strings.Contains(o.stdout, "FAILED  RCV-10: expected a forged callback") {
			t.Fatalf("exit %d, want 1 with RCV-10 failed\nstdout:\n%s", o.code, o.stdout)
		}
		if len(o.report.Failed) != 1 {
			t.Errorf("failed %+v, want RCV-10 only", o.report.Failed)
		}
	})
}

// certifyReport is what the tests read of a certification report.
type certifyReport struct {
	Result string `json:"result"`
	Counts struct {
		Scenarios, Passed, Failed, Skipped int
	} `json:"counts"`
	Failed         []struct{ ID, Reason string } `json:"failed"`
	Timing         any                           `json:"timing"`
	Callbacks      int                           `json:"callbacks"`
	CallbackSource string                        `json:"callback_source"`
	Reads          *readMatch                    `json:"record_reads"`
	Calls          []struct {
		ID    string         `json:"id"`
		Codes map[string]int `json:"codes"`
	} `json:"scenario_calls"`
	Flood *struct {
		Records int `json:"records"`
		API     struct {
			Requests, OK uint64
		} `json:"api"`
		Reads *readMatch `json:"record_reads"`
	} `json:"flood"`
}

type readMatch struct {
	Notifications int            `json:"notifications_2xx"`
	Matched       int            `json:"matched"`
	Unmatched     int            `json:"unmatched"`
	Reads         int            `json:"reads"`
	ByAuth        map[string]int `json:"reads_by_auth"`
}

func (r certifyReport) failed(id string) bool {
	for _, f := range r.Failed {
		if f.ID == id {
			return true
		}
	}
	return false
}
