package target

import (
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/internal/testca"
)

// TestCertificateProblem refuses real servers' certificates over real TLS
// handshakes and checks what the refusal says.
func TestCertificateProblem(t *testing.T) {
	ca, err := testca.New("hookcheck test CA")
	if err != nil {
		t.Fatal(err)
	}
	rogue, err := testca.New("untrusted test CA")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	serve := func(a *testca.Authority, names []string, from, to time.Time) string {
		cert, err := a.Server(names, from, to)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewUnstartedServer(http.NotFoundHandler())
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
		srv.StartTLS()
		t.Cleanup(srv.Close)
		return srv.URL
	}
	local := []string{"127.0.0.1", "localhost"}
	tests := []struct {
		name string
		url  string
		want []string // "" url: no certificate problem
	}{
		{"unknown issuer", serve(rogue, local, now.Add(-time.Hour), now.Add(time.Hour)), []string{
			"TLS certificate not trusted: no trusted root signs it (x509: certificate signed by unknown authority)",
			`certificate "CN=127.0.0.1" for localhost, 127.0.0.1, issued by "CN=untrusted test CA"`, "SSL_CERT_FILE"}},
		{"another name", serve(ca, []string{"registry.example"}, now.Add(-time.Hour), now.Add(time.Hour)), []string{
			"TLS certificate not trusted: it is not for 127.0.0.1", `certificate "CN=registry.example" for registry.example, issued by "CN=hookcheck test CA"`}},
		{"expired", serve(ca, local, now.Add(-48*time.Hour), now.Add(-24*time.Hour)), []string{
			"TLS certificate not trusted: x509: certificate has expired or is not yet valid", "valid " + now.Add(-48 * time.Hour).UTC().Format(time.RFC3339)[:10]}},
		{"trusted", serve(ca, local, now.Add(-time.Hour), now.Add(time.Hour)), nil},
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.Get(tt.url)
			if err == nil {
				resp.Body.Close()
			}
			got, ok := CertificateProblem(err)
			if ok != (tt.want != nil) {
				t.Fatalf("CertificateProblem(%v) = %q, %v", err, got, ok)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			if ok {
				msg := unreachable(tt.url, time.Second, err).Error()
				if !strings.Contains(msg, tt.url+": TLS certificate not trusted") {
					t.Errorf("unreachable says %q", msg)
				}
			}
		})
	}
	if _, ok := CertificateProblem(nil); ok {
		t.Error("nil is a certificate problem")
	}
	_, err = client.Get("http://127.0.0.1:1/")
	if _, ok := CertificateProblem(err); ok {
		t.Errorf("a refused connection is a certificate problem: %v", err)
	}
}
