// Package random makes the harness's random names and secrets.
package random

import (
	"crypto/rand"
	"encoding/hex"
)

// Hex returns 2n hex characters from crypto/rand.
func Hex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
