// Package bare204 is the baseline of every HTTP figure: a net/http handler
// that drains the body and answers 204, doing nothing else.
package bare204

import (
	"io"
	"net/http"
)

// Handler drains the request's body and answers 204.
var Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.WriteHeader(http.StatusNoContent)
})
