package judge

import (
	"encoding/json"
	"strings"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// shape judges what one call looks like against the profile's delivery:
// method, body, required headers and signature.
func (j *Judge) shape(o *receiver.Observation) {
	r, d := j.r, j.p.Delivery
	if want := d.Method; want != "" && o.Method != want {
		r.NotPOST++
		r.example("delivery", "%s at %s was a %s, not a %s", o.Callback, stamp(o.At), o.Method, want)
		return
	}
	switch d.Body {
	case BodyEmpty:
		if o.BodyLen > 0 || o.ContentLength != "0" {
			r.NotEmpty++
			r.example("delivery", "%s to %s at %s had a %d-byte body, Content-Length %q (want an empty body, Content-Length: 0)", o.Method, o.Callback, stamp(o.At), o.BodyLen, o.ContentLength)
		}
	case BodyJSON:
		if why := notJSON(o); why != "" {
			r.NotJSON++
			r.example("delivery", "%s to %s at %s: %s", o.Method, o.Callback, stamp(o.At), why)
		}
	}
	if len(d.Headers) > 0 && headersRecorded(o) {
		var missing []string
		for _, h := range d.Headers {
			if strings.TrimSpace(header(o, h)) == "" {
				missing = append(missing, h)
			}
		}
		if len(missing) > 0 {
			r.NoHeader++
			r.example("delivery", "%s to %s at %s lacked %s", o.Method, o.Callback, stamp(o.At), strings.Join(missing, ", "))
		}
	}
	if j.p.Signature.Scheme != "" {
		res := recordedSignature(o)
		if j.cfg.Signature != nil {
			res = j.cfg.Signature(o)
		}
		if res == "" {
			res = "unverified"
		}
		if r.Signatures == nil {
			r.Signatures = map[string]uint64{}
		}
		r.Signatures[res]++
		if res != "valid" && res != "unverified" {
			r.example("signature", "%s at %s: signature %s%s", o.Callback, stamp(o.At), res, signatureDetail(o))
		}
	}
}

// notJSON says why o's body is not a JSON document ("" when it is, or
// cannot be told from what was recorded).
func notJSON(o *receiver.Observation) string {
	if o.BodyLen == 0 {
		return "no body (want JSON)"
	}
	if ct := strings.ToLower(o.ContentType); ct != "" && !strings.Contains(ct, "json") {
		return "Content-Type " + o.ContentType + " (want JSON)"
	}
	if head, whole := bodyHead(o); whole && !json.Valid(head) {
		return "the body is not valid JSON"
	}
	return ""
}

// eventKey is o's event key under k; ok is false when k names a key o does
// not carry (it is then judged with its callback's keyless calls).
func eventKey(o *receiver.Observation, k EventKey) (key string, ok bool) {
	switch k.From {
	case "":
		return "", true
	case KeyHeader:
		if !headersRecorded(o) {
			return "", false
		}
		key = strings.TrimSpace(header(o, k.Name))
	case KeyBody:
		key = digest(o)
	case KeyJSON:
		head, whole := bodyHead(o)
		if !whole {
			return "", false
		}
		var doc map[string]any
		if json.Unmarshal(head, &doc) == nil {
			if v, found := lookupField(doc, k.Name); found {
				key = v
			}
		}
	}
	return key, key != ""
}

// lookupField finds a dotted field ("data.id") in a JSON object and writes
// its value as text.
func lookupField(doc map[string]any, name string) (string, bool) {
	var v any = doc
	for part := range strings.SplitSeq(name, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		if v, ok = m[part]; !ok {
			return "", false
		}
	}
	switch t := v.(type) {
	case string:
		return t, t != ""
	case nil:
		return "", false
	default:
		b, _ := json.Marshal(t)
		return string(b), true
	}
}
