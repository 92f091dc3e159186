// Package redact removes a run's secrets (client secrets, tokens) from every
// text the harness prints or writes. It knows nothing of where secrets come from.
package redact

import (
	"io"
	"sort"
	"strings"
	"sync"
)

// redacted replaces every secret in output.
const redacted = "[REDACTED]"

// Redactor knows the secrets of a run (client secrets, tokens) and removes
// them from every text the harness prints or writes.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// Add registers secrets; empty and very short strings are ignored.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) >= 4 {
			r.secrets = append(r.secrets, s)
		}
	}
	// Longest first, so that a secret containing another is removed whole.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// String returns s with every known secret replaced.
func (r *Redactor) String(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// Writer wraps w so that everything written through it is redacted. Each
// Write is redacted on its own: formatters write whole lines or blocks.
func (r *Redactor) Writer(w io.Writer) io.Writer { return redactWriter{r, w} }

type redactWriter struct {
	r *Redactor
	w io.Writer
}

func (rw redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, rw.r.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// redactedError is an error whose message has been redacted; it still
// matches what it wraps with errors.Is.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// Error returns err with its message redacted (nil stays nil).
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := r.String(err.Error())
	if msg == err.Error() {
		return err
	}
	return redactedError{msg: msg, err: err}
}
