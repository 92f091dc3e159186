package judge

import (
	"encoding/base64"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// This file is where the judge reads what a receiver recorded beyond the
// arrival, the method and the answer: headers, the body's digest and first
// bytes, and the signature check. A log that records less leaves the checks
// that need it skipped, never failed.

// header is the named request header of o ("" when absent or unrecorded).
func header(o *receiver.Observation, name string) string { return o.Header(name) }

// headersRecorded reports whether o carries its request headers.
func headersRecorded(o *receiver.Observation) bool { return len(o.Headers) > 0 }

// digest is the hex SHA-256 of o's body ("" when unknown).
func digest(o *receiver.Observation) string { return o.BodySHA256 }

// bodyHead is the first bytes of o's body and whether they are all of it.
func bodyHead(o *receiver.Observation) (head []byte, whole bool) {
	head = []byte(o.BodyHead)
	if o.BodyHeadBase64 != "" {
		b, err := base64.StdEncoding.DecodeString(o.BodyHeadBase64)
		if err != nil {
			return nil, false
		}
		head = b
	}
	return head, int64(len(head)) == o.BodyLen && o.BodySHA256 != ""
}

// recordedSignature is the receiver's verification result for o ("" when
// it did not verify).
func recordedSignature(o *receiver.Observation) string { return string(o.Signature) }

// signatureDetail is what the receiver said about o's signature, for
// messages.
func signatureDetail(o *receiver.Observation) string {
	if o.SignatureDetail == "" {
		return ""
	}
	return ": " + o.SignatureDetail
}
