package steps

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hookcheck/hookcheck/target"
)

// orcidErrorNS and orcidErrorFields are ORCID's API v2.0 error body: the
// namespace of its XML root and its fields, in order (F037, F038).
const orcidErrorNS = "http://www.orcid.org/ns/error"

var orcidErrorFields = []string{"response-code", "developer-message", "user-message", "error-code", "more-info"}

// orcidMoreInfo is the more-info of every ORCID error body (F040).
const orcidMoreInfo = "https://members.orcid.org/api/resources/troubleshooting"

// orcidTexts are the developer-message texts of the webhook path's codes
// and the user-message where it is known (F041). A developer message is
// the text, then " Full validation error: " and a detail, if any (F039);
// 9028's text has placeholders and is checked by its own step.
var orcidTexts = map[int]struct{ developer, user string }{
	9011: {"404 Not Found: The ORCID record or item was not found.", "The resource was not found."},
	9012: {"The client application made a bad request to the ORCID API.", ""},
	9014: {"The client application is forbidden to perform the action.", ""},
	9028: {"No webhook found for orcid=", ""},
	9038: {"409 Conflict: The item has a limited or private visibility and your request doesn't have the required scope.", ""},
}

// orcidError is an ORCID error body as read, and its format.
type orcidError struct {
	ResponseCode     int
	DeveloperMessage string
	UserMessage      string
	ErrorCode        int
	MoreInfo         string
	Format           string // "JSON" or "XML"
}

// parseORCIDError reads an ORCID error body, JSON or XML, and reports what
// is not ORCID's shape: other or missing fields, another root or
// namespace, another order.
func parseORCIDError(body []byte) (orcidError, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return orcidError{}, fmt.Errorf("the body is empty")
	}
	if b[0] == '{' {
		return parseORCIDErrorJSON(b)
	}
	return parseORCIDErrorXML(b)
}

func parseORCIDErrorJSON(b []byte) (orcidError, error) {
	e := orcidError{Format: "JSON"}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return e, fmt.Errorf("not JSON: %w", err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := slices.Sorted(slices.Values(orcidErrorFields))
	if !slices.Equal(keys, want) {
		return e, fmt.Errorf("keys %v, expected exactly %v", keys, want)
	}
	for k, dst := range map[string]any{
		"response-code": &e.ResponseCode, "developer-message": &e.DeveloperMessage, "user-message": &e.UserMessage,
		"error-code": &e.ErrorCode, "more-info": &e.MoreInfo,
	} {
		if err := json.Unmarshal(m[k], dst); err != nil {
			return e, fmt.Errorf("%s: %w", k, err)
		}
	}
	return e, nil
}

func parseORCIDErrorXML(b []byte) (orcidError, error) {
	e := orcidError{Format: "XML"}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root *xml.StartElement
	var order []string
	values := map[string]string{}
	depth := 0
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return e, fmt.Errorf("not XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				r := t.Copy()
				root = &r
			case 2:
				if t.Name.Space != orcidErrorNS {
					return e, fmt.Errorf("<%s> is in namespace %q, expected %q", t.Name.Local, t.Name.Space, orcidErrorNS)
				}
				order = append(order, t.Name.Local)
				text.Reset()
			default:
				return e, fmt.Errorf("unexpected nested element <%s>", t.Name.Local)
			}
		case xml.CharData:
			if depth == 2 {
				text.Write(t)
			}
		case xml.EndElement:
			if depth == 2 {
				values[t.Name.Local] = text.String()
			}
			depth--
		}
	}
	switch {
	case root == nil:
		return e, fmt.Errorf("no root element")
	case root.Name.Local != "error" || root.Name.Space != orcidErrorNS:
		return e, fmt.Errorf("root <%s> in namespace %q, expected <error xmlns=%q>", root.Name.Local, root.Name.Space, orcidErrorNS)
	case !slices.Equal(order, orcidErrorFields):
		return e, fmt.Errorf("elements %v, expected exactly %v in that order", order, orcidErrorFields)
	}
	if _, err := fmt.Sscan(values["response-code"], &e.ResponseCode); err != nil {
		return e, fmt.Errorf("response-code %q: %w", values["response-code"], err)
	}
	if _, err := fmt.Sscan(values["error-code"], &e.ErrorCode); err != nil {
		return e, fmt.Errorf("error-code %q: %w", values["error-code"], err)
	}
	e.DeveloperMessage, e.UserMessage, e.MoreInfo = values["developer-message"], values["user-message"], values["more-info"]
	return e, nil
}

// checkORCIDError checks r as ORCID's error answer with status and code:
// the shape, the response code, more-info, and the texts ORCID's sources
// give.
func checkORCIDError(r *target.Response, status, code int) (orcidError, error) {
	e, err := parseORCIDError(r.Body)
	if err != nil {
		return e, fmt.Errorf("expected ORCID's error body (%s): %w; %s", strings.Join(orcidErrorFields, ", "), err, r.Describe())
	}
	var problems []string
	if e.ErrorCode != code {
		problems = append(problems, fmt.Sprintf("error-code %d, expected %d", e.ErrorCode, code))
	}
	if e.ResponseCode != status {
		problems = append(problems, fmt.Sprintf("response-code %d, expected the status %d", e.ResponseCode, status))
	}
	if e.MoreInfo != orcidMoreInfo {
		problems = append(problems, fmt.Sprintf("more-info %q, expected %q", e.MoreInfo, orcidMoreInfo))
	}
	if t, ok := orcidTexts[code]; ok {
		if rest, ok := strings.CutPrefix(e.DeveloperMessage, t.developer); !ok {
			problems = append(problems, fmt.Sprintf("developer-message %q, expected it to start %q", e.DeveloperMessage, t.developer))
		} else if code != 9028 && rest != "" && !strings.HasPrefix(rest, " Full validation error: ") {
			problems = append(problems, fmt.Sprintf("developer-message %q: after the text, expected nothing or \" Full validation error: …\"", e.DeveloperMessage))
		}
		if t.user != "" && e.UserMessage != t.user {
			problems = append(problems, fmt.Sprintf("user-message %q, expected %q", e.UserMessage, t.user))
		}
	}
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	if !strings.Contains(ct, strings.ToLower(e.Format)) {
		problems = append(problems, fmt.Sprintf("Content-Type %q for a %s body", r.Header.Get("Content-Type"), e.Format))
	}
	if len(problems) > 0 {
		return e, fmt.Errorf("ORCID error body: %s; %s", strings.Join(problems, "; "), r.Describe())
	}
	return e, nil
}

// checkOAuthError checks r as an OAuth error answer: JSON with exactly
// "error" and "error_description" (F072, F044), error want, and the
// description as describe says ("" for any).
func checkOAuthError(r *target.Response, want string, describe func(string) error) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &m); err != nil {
		return fmt.Errorf("expected an OAuth error as JSON {\"error\",\"error_description\"}: %w; %s", err, r.Describe())
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	if !slices.Equal(keys, []string{"error", "error_description"}) {
		return fmt.Errorf("expected exactly the keys error and error_description, got %v; %s", keys, r.Describe())
	}
	var code, desc string
	if json.Unmarshal(m["error"], &code) != nil || json.Unmarshal(m["error_description"], &desc) != nil {
		return fmt.Errorf("expected string error and error_description; %s", r.Describe())
	}
	if code != want {
		return fmt.Errorf("expected OAuth error %q, got %q; %s", want, code, r.Describe())
	}
	if describe != nil {
		if err := describe(desc); err != nil {
			return fmt.Errorf("OAuth error %s: %w; %s", want, err, r.Describe())
		}
	}
	return nil
}
