package loadgen

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/hookcheck/hookcheck/target"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TokenTargeter asks for a /webhook token with client credentials, forever.
func TokenTargeter(tokenURL, id, secret string) vegeta.Targeter {
	body := []byte(url.Values{"client_id": {id}, "client_secret": {secret}, "grant_type": {"client_credentials"}, "scope": {"/webhook"}}.Encode())
	hdr := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"}}
	return func(t *vegeta.Target) error {
		*t = vegeta.Target{Method: http.MethodPost, URL: tokenURL, Body: body, Header: hdr}
		return nil
	}
}

// HookTargeter sends method (PUT registers, DELETE unregisters) once for
// each record's callback, then ends the attack.
func HookTargeter(method, base, token string, records []target.Record, callback func(i int) string) vegeta.Targeter {
	var next atomic.Int64
	hdr := http.Header{"Authorization": {"Bearer " + token}, "Accept": {"application/json"}}
	return func(t *vegeta.Target) error {
		i := int(next.Add(1) - 1)
		if i >= len(records) {
			return vegeta.ErrNoTargets
		}
		*t = vegeta.Target{Method: method, URL: target.HookURL(base, records[i].ORCID, callback(i)), Header: hdr}
		return nil
	}
}

// ChangeTargeter changes the records round-robin: through the reference
// registry's control API when member is false, else through the Member API
// (a work added with the record's update token).
func ChangeTargeter(base string, records []target.Record, member bool) vegeta.Targeter {
	base = strings.TrimRight(base, "/")
	var next atomic.Uint64
	work := []byte(`{"title":{"title":{"value":"hookcheck load"}},"type":"journal-article"}`)
	return func(t *vegeta.Target) error {
		r := records[(next.Add(1)-1)%uint64(len(records))]
		if !member {
			*t = vegeta.Target{Method: http.MethodPost, URL: base + "/_hookcheck/records/" + r.ORCID + "/changes"}
			return nil
		}
		*t = vegeta.Target{Method: http.MethodPost, URL: fmt.Sprintf("%s/v3.0/%s/work", base, r.ORCID), Body: work,
			Header: http.Header{"Authorization": {"Bearer " + r.UpdateToken}, "Content-Type": {"application/vnd.orcid+json"}}}
		return nil
	}
}
