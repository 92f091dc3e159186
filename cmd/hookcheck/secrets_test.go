package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// issuedSecret is the shape of every token and generated client secret the
// reference registry hands out (a random UUID, fixtures/registry newSecret).
var issuedSecret = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)

// embeddedSecret is the shape of the embedded target's client secret
// (target.StartEmbedded: 16 random bytes in hex).
var embeddedSecret = regexp.MustCompile(`\b[0-9a-f]{32}\b`)

// secretRecorder sits in front of a registry and keeps every secret the
// registry hands out: access and refresh tokens, and the secrets of
// clients made through the control API.
type secretRecorder struct {
	mu      sync.Mutex
	secrets []string
	kinds   map[string]int // how many of each: access_token, refresh_token, client_secret
}

func (s *secretRecorder) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.secrets...)
}

func (s *secretRecorder) keep(resp *http.Response) error {
	p := resp.Request.URL.Path
	if p != "/oauth/token" && p != "/_hookcheck/clients" {
		return nil
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range []string{"access_token", "refresh_token", "client_secret"} {
		if v, ok := m[k].(string); ok && v != "" {
			s.secrets = append(s.secrets, v)
			s.kinds[k]++
		}
	}
	return nil
}

// requestToken asks the registry at base for a /webhook token.
func requestToken(t *testing.T, base, id, secret string) (access, refresh string) {
	t.Helper()
	form := url.Values{"client_id": {id}, "client_secret": {secret}, "grant_type": {"client_credentials"}, "scope": {"/webhook"}}
	resp, err := http.PostForm(base+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		Access  string `json:"access_token"`
		Refresh string `json:"refresh_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != http.StatusOK || tok.Access == "" || tok.Refresh == "" {
		t.Fatalf("token request: %d %+v %v", resp.StatusCode, tok, err)
	}
	return tok.Access, tok.Refresh
}

// scanForSecrets fails t when any output holds one of secrets or a match
// of one of patterns; every output must be non-empty, so that the scan
// could find something.
func scanForSecrets(t *testing.T, outputs map[string][]byte, secrets []string, patterns ...*regexp.Regexp) {
	t.Helper()
	for name, b := range outputs {
		if len(bytes.TrimSpace(b)) == 0 {
			t.Errorf("%s is empty: nothing to scan", name)
			continue
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds the secret %q", name, s)
			}
		}
		for _, p := range patterns {
			if m := p.Find(b); m != nil {
				t.Errorf("%s holds %q, shaped like a registry secret (%s)", name, m, p)
			}
		}
	}
}

// runConformanceOutputs runs hookcheck conformance with args plus every
// output file and returns stdout, stderr and the files' contents.
func runConformanceOutputs(t *testing.T, args []string, wantCode int) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"--junit": "j.xml", "--cucumber": "c.json", "--report": "r.json"}
	for flag, name := range files {
		files[flag] = filepath.Join(dir, name)
		args = append(args, flag, files[flag])
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"conformance", "--no-colors"}, args...), &stdout, &stderr)
	if code != wantCode {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, stdout.String(), stderr.String())
	}
	out := map[string][]byte{"stdout": stdout.Bytes(), "stderr": stderr.Bytes()}
	for flag, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%s: %v", flag, err)
		}
		out[flag+" file"] = b
	}
	return out
}

// TestSecretsNeverLeakEmbedded runs the suite against the embedded target
// with every console format and output file, and scans them all for
// anything shaped like the secrets the registry generates: its client
// secret (32 hex digits) and the tokens it issues (random UUIDs). The
// test first checks on a registry of its own that issued tokens really
// have that shape, so that the scan can find them.
func TestSecretsNeverLeakEmbedded(t *testing.T) {
	srv, err := registry.Listen(context.Background(), "127.0.0.1:0", registry.Config{
		Timing:  registry.Defaults(),
		Clients: []registry.Client{{ID: "APP-SHAPECHECK", Secret: "shape-check-secret"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	access, refresh := requestToken(t, srv.URL(), "APP-SHAPECHECK", "shape-check-secret")
	srv.Close()
	if !issuedSecret.MatchString(access) || !issuedSecret.MatchString(refresh) {
		t.Fatalf("issued tokens %q, %q do not have the shape the scan looks for", access, refresh)
	}
	if !embeddedSecret.MatchString("client_secret=0123456789abcdef0123456789abcdef.") {
		t.Fatal("the secret pattern does not match a secret")
	}

	for _, format := range []string{"pretty", "progress"} {
		t.Run(format, func(t *testing.T) {
			out := runConformanceOutputs(t, []string{"--format", format}, exitOK)
			if !strings.Contains(string(out["stdout"]), "CONFORMANCE: PASS") {
				t.Errorf("no verdict on stdout:\n%s", out["stdout"])
			}
			scanForSecrets(t, out, nil, issuedSecret, embeddedSecret)
		})
	}
}

// TestSecretsNeverLeakSeparateRegistry runs the suite against a registry
// with a known client, behind a proxy that records every token and client
// secret the registry issues, with every console format and output file
// and the registry's debug log; none of them may hold any of those
// secrets.
func TestSecretsNeverLeakSeparateRegistry(t *testing.T) {
	scanSeparateRegistryRuns(t, []separateRun{
		{"pretty", "pretty", false, false, exitOK},
		{"progress", "progress", false, false, exitOK},
	})
}

// TestSecretsNeverLeakWhenScenariosFail does the same against a defective
// registry ("failing", so that failure messages are scanned) and against
// one whose error answers quote the bearer token back ("echoing"), which
// the harness must redact wherever it reports them.
func TestSecretsNeverLeakWhenScenariosFail(t *testing.T) {
	scanSeparateRegistryRuns(t, []separateRun{
		{"failing", "pretty", true, false, exitFail},
		{"echoing", "progress", false, true, exitFail},
	})
}

// separateRun is one conformance run of scanSeparateRegistryRuns.
type separateRun struct {
	name, format string
	defective    bool // the registry answers 200 for a new hook
	echo         bool // the target refuses hooks, quoting the caller's Authorization header
	code         int  // expected exit code
}

func scanSeparateRegistryRuns(t *testing.T, runs []separateRun) {
	const id, secret = "APP-SECRETSCAN0001", "SCAN-ME-client-secret-7f3a9c21e5"
	tm := timing.Timing{
		Window:          200 * time.Millisecond,
		Retry:           timing.Retry{Kind: timing.Doubling, Base: 200 * time.Millisecond, MaxAttempts: 4},
		CallbackTimeout: 150 * time.Millisecond,
	}
	timingFlags := []string{"--window", "200ms", "--retry-base", "200ms", "--max-attempts", "4", "--callback-timeout", "150ms", "--tolerance", "100ms"}
	for _, tt := range runs {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			var logMu sync.Mutex
			logger := slog.New(slog.NewTextHandler(lockedWriter{&logMu, &log}, &slog.HandlerOptions{Level: slog.LevelDebug}))
			srv, err := registry.Listen(context.Background(), "127.0.0.1:0", registry.Config{
				Timing: tm, Clients: []registry.Client{{ID: id, Secret: secret}}, Logger: logger,
				AnswerCreatedWith200: tt.defective,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			up, err := url.Parse(srv.URL())
			if err != nil {
				t.Fatal(err)
			}
			rec := &secretRecorder{kinds: map[string]int{}}
			proxy := httputil.NewSingleHostReverseProxy(up)
			proxy.ModifyResponse = rec.keep
			var front *httptest.Server
			if tt.echo {
				front = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/webhook/") {
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusInternalServerError)
						fmt.Fprintf(w, `{"error":"echo","error_description":"you sent %s"}`, r.Header.Get("Authorization"))
						return
					}
					proxy.ServeHTTP(w, r)
				}))
			} else {
				front = httptest.NewServer(proxy)
			}
			defer front.Close()

			args := append([]string{"--target", front.URL, "--client-id", id, "--client-secret", secret,
				"--trigger", "control", "--format", tt.format}, timingFlags...)
			out := runConformanceOutputs(t, args, tt.code)
			if tt.code == exitFail && !bytes.Contains(out["stdout"], []byte("FAILED ")) {
				t.Errorf("the defective registry failed no scenario:\n%s", out["stdout"])
			}
			srv.Close()
			if !tt.echo { // the echoing registry delivers nothing, so logs nothing
				logMu.Lock()
				out["registry debug log"] = bytes.Clone(log.Bytes())
				logMu.Unlock()
			}
			if tt.echo { // the quoted tokens reached every output, redacted
				for _, name := range []string{"stdout", "--junit file", "--cucumber file", "--report file"} {
					if !bytes.Contains(out[name], []byte("[REDACTED]")) {
						t.Errorf("%s quotes no redacted answer: the echo was not reported", name)
					}
				}
			}

			issued := rec.all()
			rec.mu.Lock()
			kinds := rec.kinds
			rec.mu.Unlock()
			// Tokens for the main client and the clients scenarios make.
			if kinds["access_token"] < 2 || kinds["refresh_token"] < 2 || (kinds["client_secret"] < 1 && !tt.echo) {
				t.Fatalf("the registry issued too few secrets to scan for: %v", kinds)
			}
			t.Logf("scanning for %d issued secrets %v", len(issued), kinds)
			for _, s := range issued {
				if !issuedSecret.MatchString(s) {
					t.Errorf("issued secret %q does not have the UUID shape", s)
				}
			}
			scanForSecrets(t, out, append(issued, secret), issuedSecret)
		})
	}
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestRegistryCommandVerboseKeepsSecrets serves "hookcheck registry -v"
// with the secret from HOOKCHECK_CLIENT_SECRET, gets a token, registers a
// hook and has it notified; the verbose output holds neither the secret
// nor the tokens. (TestRegistryCommandServesUntilCancelled covers the
// start-up lines without traffic.)
func TestRegistryCommandVerboseKeepsSecrets(t *testing.T) {
	const id, secret = "APP-ENVVERBOSE", "env-verbose-secret-never-shown"
	t.Setenv("HOOKCHECK_CLIENT_ID", id)
	t.Setenv("HOOKCHECK_CLIENT_SECRET", secret)
	var mu sync.Mutex
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"registry", "-v", "--addr", "127.0.0.1:0", "--window", "50ms", "--retry-base", "50ms"},
			lockedWriter{&mu, &stdout}, lockedWriter{&mu, &stderr})
	}()
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		if _, rest, ok := strings.Cut(stdout.String(), "registry listening on "); ok {
			base, _, _ = strings.Cut(rest, "\n")
		}
		mu.Unlock()
	}
	if base == "" {
		t.Fatal("the registry did not print its URL")
	}

	access, refresh := requestToken(t, base, id, secret)
	notified := make(chan struct{}, 8)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
		notified <- struct{}{}
	}))
	defer cb.Close()
	resp, err := http.Post(base+"/_hookcheck/records", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var rec registry.RecordInfo
	err = json.NewDecoder(resp.Body).Decode(&rec)
	resp.Body.Close()
	if err != nil || rec.ORCID == "" {
		t.Fatalf("record: %+v %v", rec, err)
	}
	req, _ := http.NewRequest(http.MethodPut, base+"/"+rec.ORCID+"/webhook/"+url.PathEscape(cb.URL+"/hook"), nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Post(base+"/_hookcheck/records/"+rec.ORCID+"/changes", "", nil)
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("change: %v %v", resp, err)
	}
	resp.Body.Close()
	select {
	case <-notified:
	case <-time.After(5 * time.Second):
		t.Fatal("no notification")
	}
	// Let the registry log the answer, then stop it.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		logged := strings.Contains(stderr.String(), "callback answered")
		mu.Unlock()
		if logged {
			break
		}
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(stderr.String(), "callback answered") {
		t.Fatalf("-v logged no notification:\n%s", stderr.String())
	}
	scanForSecrets(t, map[string][]byte{"stdout": stdout.Bytes(), "stderr": stderr.Bytes()}, []string{secret, access, refresh}, issuedSecret)
}
