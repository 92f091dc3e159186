package deploy

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/container"
	"github.com/hookcheck/hookcheck/fixtures/container/dockertest"
	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/internal/testca"
	"github.com/hookcheck/hookcheck/report"
)

// tlsTiming is the HTTPS registry's timing, scaled down 600× from ORCID's
// (wide enough for a harness in a container on a busy machine); the
// harness is told the same.
var tlsTiming = timing.Timing{
	Window:          500 * time.Millisecond,
	Retry:           timing.Retry{Kind: timing.Doubling, Base: 500 * time.Millisecond, MaxAttempts: 4},
	CallbackTimeout: 400 * time.Millisecond,
	Tolerance:       250 * time.Millisecond,
}

const tlsClientID, tlsSecret = "APP-HOOKCHECKTLS001", "tls-secret-7c0ffee1234"

// httpsRegistry serves a reference registry over HTTPS with cert.
func httpsRegistry(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	reg, err := registry.New(registry.Config{Timing: tlsTiming, Clients: []registry.Client{{ID: tlsClientID, Secret: tlsSecret}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	return testca.Serve(t, reg.Handler(), cert)
}

// TestImageTLS runs the harness image against the reference registry over
// HTTPS, with no network beyond the loopback: a certificate from a CA the
// image trusts through SSL_CERT_FILE passes conformance and load; one no
// trusted root signs, one for another name and an expired one are refused
// with exit 3, naming the certificate's problem.
func TestImageTLS(t *testing.T) {
	dockertest.Need(t)
	image, err := container.BuildImage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	set, err := testca.NewSet([]string{"127.0.0.1", "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	certs := t.TempDir()
	if err := os.WriteFile(filepath.Join(certs, "ca.pem"), set.CA.PEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	trusted := httpsRegistry(t, set.Trusted)
	targets := map[string]string{
		"unknown issuer": httpsRegistry(t, set.UnknownIssuer),
		"another name":   httpsRegistry(t, set.AnotherName),
		"expired":        httpsRegistry(t, set.Expired),
	}
	timingArgs := []string{"--window", tlsTiming.Window.String(), "--retry-base", tlsTiming.Retry.Base.String(), "--max-attempts", "4",
		"--callback-timeout", tlsTiming.CallbackTimeout.String(), "--tolerance", tlsTiming.Tolerance.String()}
	conformance := func(url string) []string {
		return append([]string{"conformance", "--target", url, "--format", "progress", "--no-colors", "--connect-timeout", "5s", "--report", "report.json"}, timingArgs...)
	}
	load := func(url string) []string {
		return append([]string{"load", "--target", url, "--records", "50", "--rate", "50", "--duration", "1s", "--fail-ratio", "0", "--quiet", "--json", "/out/load.json"}, timingArgs...)
	}
	trustCA := []string{"SSL_CERT_FILE=/certs/ca.pem"}
	tests := []struct {
		name    string
		args    []string
		env     []string
		code    int64
		want    []string // in stderr (refusals) or stdout
		figures bool     // load.json must hold the run
	}{
		{"conformance, trusted CA", conformance(trusted), trustCA, 0, []string{"CONFORMANCE: PASS"}, false},
		{"load, trusted CA", load(trusted), trustCA, 0, []string{"lost 0"}, true},
		{"conformance, CA not given", conformance(trusted), nil, 3, []string{"TLS certificate not trusted: no trusted root signs it", `issued by "CN=hookcheck test CA"`, "SSL_CERT_FILE"}, false},
		{"conformance, unknown issuer", conformance(targets["unknown issuer"]), trustCA, 3, []string{"TLS certificate not trusted: no trusted root signs it", `issued by "CN=untrusted test CA"`}, false},
		{"load, unknown issuer", load(targets["unknown issuer"]), trustCA, 3, []string{"TLS certificate not trusted: no trusted root signs it", `issued by "CN=untrusted test CA"`}, false},
		{"conformance, another name", conformance(targets["another name"]), trustCA, 3, []string{"TLS certificate not trusted: it is not for 127.0.0.1", `certificate "CN=registry.example" for registry.example`}, false},
		{"load, another name", load(targets["another name"]), trustCA, 3, []string{"TLS certificate not trusted: it is not for 127.0.0.1"}, false},
		{"conformance, expired", conformance(targets["expired"]), trustCA, 3, []string{"TLS certificate not trusted: x509: certificate has expired"}, false},
		{"load, expired", load(targets["expired"]), trustCA, 3, []string{"TLS certificate not trusted: x509: certificate has expired"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			if err := os.Chmod(out, 0o777); err != nil {
				t.Fatal(err)
			}
			env := append([]string{"HOOKCHECK_CLIENT_ID=" + tlsClientID, "HOOKCHECK_CLIENT_SECRET=" + tlsSecret}, tt.env...)
			p, err := container.Run(context.Background(), container.Spec{Image: image, Cmd: tt.args, Env: env,
				Binds: []string{certs + ":/certs:ro", out + ":/out"}})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			code, err := p.Wait(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			stdout, stderr, err := p.Output(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			text := string(stdout) + string(stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tt.code, text)
			}
			if code != 0 {
				t.Logf("exit %d: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, tlsSecret) {
				t.Errorf("the client secret was printed")
			}
			if tt.figures {
				var s struct {
					Records int                `json:"records"`
					Sends   struct{ Sent int } `json:"sends"`
				}
				if err := report.ValidateFile(report.SchemaLoad, filepath.Join(out, "load.json")); err != nil {
					t.Error(err)
				}
				b, err := os.ReadFile(filepath.Join(out, "load.json"))
				if err != nil || json.Unmarshal(b, &s) != nil || s.Records != 50 || s.Sends.Sent != 50 {
					t.Errorf("load.json: %v %+v", err, s)
				}
			}
		})
	}
}
