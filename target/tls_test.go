package target

import (
	"crypto/tls"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/internal/testca"
)

// TestCertificateProblem refuses real servers' certificates over real TLS
// handshakes and checks what the refusal says.
func TestCertificateProblem(t *testing.T) {
	local := []string{"127.0.0.1", "localhost"}
	set, err := testca.NewSet(local)
	if err != nil {
		t.Fatal(err)
	}
	serve := func(cert tls.Certificate) string { return testca.Serve(t, http.NotFoundHandler(), cert) }
	tests := []struct {
		name string
		url  string
		want []string // "" url: no certificate problem
	}{
		{"unknown issuer", serve(set.UnknownIssuer), []string{
			"TLS certificate not trusted: no trusted root signs it (x509: certificate signed by unknown authority)",
			`certificate "CN=127.0.0.1" for localhost, 127.0.0.1, issued by "CN=untrusted test CA"`, "SSL_CERT_FILE"}},
		{"another name", serve(set.AnotherName), []string{
			"TLS certificate not trusted: it is not for 127.0.0.1", `certificate "CN=registry.example" for registry.example, issued by "CN=hookcheck test CA"`}},
		{"expired", serve(set.Expired), []string{
			"TLS certificate not trusted: x509: certificate has expired or is not yet valid", "valid " + time.Now().Add(-48 * time.Hour).UTC().Format(time.RFC3339)[:10]}},
		{"trusted", serve(set.Trusted), nil},
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: set.CA.Pool()}}}
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
