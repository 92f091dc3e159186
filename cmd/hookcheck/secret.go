package main

import (
	"crypto/rand"
	"encoding/hex"
)

// randomSecret returns 32 hex characters from crypto/rand.
func randomSecret() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
