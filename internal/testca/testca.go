// Package testca issues certificates for tests (a certificate authority and
// the server certificates it signs) and serves HTTPS with them on the
// loopback.
package testca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Authority is a test certificate authority.
type Authority struct {
	Cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// New makes an authority whose certificate's common name is name, valid for
// a day around now.
func New(name string) (*Authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("testca: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Authority{Cert: cert, key: key}, nil
}

// PEM is the authority's certificate as the contents of a PEM file (what
// SSL_CERT_FILE names).
func (a *Authority) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.Cert.Raw})
}

// Pool is a pool holding only the authority's certificate.
func (a *Authority) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(a.Cert)
	return p
}

// Server issues a server certificate for names (IP addresses or DNS
// names; the first is also the common name), valid from notBefore to
// notAfter.
func (a *Authority) Server(names []string, notBefore, notAfter time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.Cert, &key.PublicKey, a.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("testca: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

// Set is a trusted authority and the server certificates a client trusting
// only it must accept (Trusted) and refuse: issued by another authority,
// for another name, expired.
type Set struct {
	CA, Rogue                                    *Authority
	Trusted, UnknownIssuer, AnotherName, Expired tls.Certificate
}

// NewSet issues a Set for names; AnotherName is for registry.example.
func NewSet(names []string) (*Set, error) {
	s := &Set{}
	var err error
	if s.CA, err = New("hookcheck test CA"); err != nil {
		return nil, err
	}
	if s.Rogue, err = New("untrusted test CA"); err != nil {
		return nil, err
	}
	now := time.Now()
	for _, c := range []struct {
		cert     *tls.Certificate
		by       *Authority
		names    []string
		from, to time.Time
	}{
		{&s.Trusted, s.CA, names, now.Add(-time.Hour), now.Add(time.Hour)},
		{&s.UnknownIssuer, s.Rogue, names, now.Add(-time.Hour), now.Add(time.Hour)},
		{&s.AnotherName, s.CA, []string{"registry.example"}, now.Add(-time.Hour), now.Add(time.Hour)},
		{&s.Expired, s.CA, names, now.Add(-48 * time.Hour), now.Add(-24 * time.Hour)},
	} {
		if *c.cert, err = c.by.Server(c.names, c.from, c.to); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Serve serves h over HTTPS with cert on the loopback until the test ends,
// and returns its URL. The refused handshakes are not logged.
func Serve(t testing.TB, h http.Handler, cert tls.Certificate) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}
