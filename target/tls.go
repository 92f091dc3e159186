package target

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CertificateProblem says why the TLS certificate in err was not trusted,
// naming the certificate (subject, names, issuer, validity) and what to
// do; ok is false when err is no certificate refusal.
func CertificateProblem(err error) (problem string, ok bool) {
	var (
		verify  *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
		cert    *x509.Certificate
		what    string
		hint    string
	)
	hasVerify := errors.As(err, &verify)
	if hasVerify && len(verify.UnverifiedCertificates) > 0 {
		cert = verify.UnverifiedCertificates[0]
	}
	switch {
	case errors.As(err, &unknown):
		what, hint = "no trusted root signs it ("+unknown.Error()+")", "; if you trust its issuer, give the issuer's CA certificate (PEM) in SSL_CERT_FILE"
		cert = first(cert, unknown.Cert)
	case errors.As(err, &host):
		cert = first(cert, host.Certificate)
		what = fmt.Sprintf("it is not for %s (%s)", host.Host, host.Error())
	case errors.As(err, &invalid):
		cert = first(cert, invalid.Cert)
		what = invalid.Error()
	case hasVerify:
		what = verify.Err.Error()
	default:
		return "", false
	}
	problem = "TLS certificate not trusted: " + what
	if cert != nil {
		problem += "; " + describe(cert)
	}
	return problem + hint, true
}

func first(a, b *x509.Certificate) *x509.Certificate {
	if a != nil {
		return a
	}
	return b
}

// describe names a certificate: subject, the names it is for, issuer and
// validity.
func describe(c *x509.Certificate) string {
	names := append([]string{}, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	for _, u := range c.URIs {
		names = append(names, u.String())
	}
	forNames := "no names"
	if len(names) > 0 {
		forNames = strings.Join(names, ", ")
	}
	return fmt.Sprintf("certificate %q for %s, issued by %q, valid %s to %s", c.Subject.String(), forNames, c.Issuer.String(),
		c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
}
