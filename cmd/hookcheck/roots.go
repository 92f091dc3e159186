package main

// The image is FROM scratch: it has no CA certificates. These roots (the
// Mozilla set) are used only when the system has none, so SSL_CERT_FILE or
// SSL_CERT_DIR, when set, still decide what is trusted.
import _ "golang.org/x/crypto/x509roots/fallback"
