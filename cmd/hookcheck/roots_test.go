package main

import (
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hookcheck/hookcheck/internal/testca"
)

// rootsChildEnv makes the test binary report on its trusted roots.
const rootsChildEnv = "HOOKCHECK_TEST_ROOTS"

// TestTrustedRoots: with no system roots (as in the FROM scratch image),
// the built-in roots are trusted; SSL_CERT_FILE, when it holds certificates,
// replaces them. Each case runs in a fresh process: roots load once.
func TestTrustedRoots(t *testing.T) {
	if want := os.Getenv(rootsChildEnv); want != "" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			t.Fatal(err)
		}
		ca, _ := os.ReadFile(os.Getenv("SSL_CERT_FILE"))
		only := x509.NewCertPool()
		only.AppendCertsFromPEM(ca)
		switch {
		case want == "built-in" && (pool.Equal(x509.NewCertPool()) || len(ca) > 0):
			t.Fatal("no roots although the built-in ones should be used")
		case want == "file" && !pool.Equal(only):
			t.Fatal("SSL_CERT_FILE's CA is not the only root")
		}
		return
	}
	dir := t.TempDir()
	empty, caFile := filepath.Join(dir, "empty.pem"), filepath.Join(dir, "ca.pem")
	ca, err := testca.New("hookcheck test CA")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(empty, nil, 0o644)
	os.WriteFile(caFile, ca.PEM(), 0o644)
	for _, tt := range []struct{ want, file string }{{"built-in", empty}, {"file", caFile}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTrustedRoots$")
		cmd.Env = append(os.Environ(), rootsChildEnv+"="+tt.want, "SSL_CERT_FILE="+tt.file, "SSL_CERT_DIR="+filepath.Join(dir, "none"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s roots: %v\n%s", tt.want, err, out)
		}
	}
}
