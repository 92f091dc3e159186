package target

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/hookcheck/hookcheck/internal/redact"
)

// API talks to the target's token endpoint and webhook API.
type API struct {
	http     *http.Client
	base     string
	tokenURL string
	redact   *redact.Redactor // learns every token the endpoint hands out
}

// API returns a client of t's API whose redactor r learns every token it
// is handed.
func (t *Target) API(r *redact.Redactor) *API {
	return &API{http: t.httpClient(), base: t.URL, tokenURL: t.TokenURL, redact: r}
}

// Response is one answer of the target, kept for the Then steps.
type Response struct {
	Method string
	URL    string
	Status int
	Header http.Header
	Body   []byte
}

// Describe says what was asked and what came back, for failure messages.
func (r *Response) Describe() string {
	body := strings.TrimSpace(string(r.Body))
	if len(body) > 300 {
		body = body[:300] + "…"
	}
	if body == "" {
		body = "(empty body)"
	}
	return fmt.Sprintf("%s %s answered %d %s", r.Method, r.URL, r.Status, body)
}

// TokenRequest asks the token endpoint with form (client credentials in it).
func (c *API) TokenRequest(ctx context.Context, form url.Values) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err == nil && c.redact != nil {
		var tok struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		}
		if json.Unmarshal(resp.Body, &tok) == nil {
			c.redact.Add(tok.AccessToken, tok.RefreshToken)
		}
	}
	return resp, err
}

// Token gets an access token for creds with scope, or says why not.
func (c *API) Token(ctx context.Context, creds Credentials, scope string) (string, *Response, error) {
	resp, err := c.TokenRequest(ctx, url.Values{
		"client_id": {creds.ID}, "client_secret": {creds.Secret},
		"grant_type": {"client_credentials"}, "scope": {scope},
	})
	if err != nil {
		return "", nil, err
	}
	if resp.Status != http.StatusOK {
		return "", resp, fmt.Errorf("expected 200 with a %s token; %s", scope, resp.Describe())
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(resp.Body, &tok); err != nil || tok.AccessToken == "" {
		return "", resp, fmt.Errorf("expected a JSON body with access_token; %s", resp.Describe())
	}
	return tok.AccessToken, resp, nil
}

// EscapeCallback encodes a callback into one path segment as ORCID's docs
// do: every reserved character, "/" and ":" included, percent-encoded.
func EscapeCallback(callback string) string {
	return strings.ReplaceAll(url.QueryEscape(callback), "+", "%20")
}

// HookURL is the webhook resource of a record and callback.
func (c *API) HookURL(id, callback string) string { return HookURL(c.base, id, callback) }

// HookURL is the webhook resource of record id and callback on the API at
// base.
func HookURL(base, id, callback string) string {
	return strings.TrimRight(base, "/") + "/" + id + "/webhook/" + EscapeCallback(callback)
}

// Hook sends PUT (register) or DELETE (unregister); token "" sends none.
func (c *API) Hook(ctx context.Context, method, token, id, callback string) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.HookURL(id, callback), nil)
	if err != nil {
		return nil, fmt.Errorf("%s hook: %w", method, err)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.Do(req)
}

// Do sends req and reads the answer (up to 1 MiB); no HTTP answer wraps
// ErrUnreachable.
func (c *API) Do(req *http.Request) (*Response, error) { return c.do(req, 1<<20) }

// do is Do reading at most limit bytes of the answer.
func (c *API) do(req *http.Request, limit int64) (*Response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", req.Method, unreachable(req.URL.Redacted(), c.http.Timeout, err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading body: %w", req.Method, req.URL.Redacted(), err)
	}
	return &Response{Method: req.Method, URL: req.URL.String(), Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// ORCIDErrorCode reads the error-code of an ORCID error body, JSON or XML.
func ORCIDErrorCode(body []byte) (int, bool) {
	var e struct {
		Code int `json:"error-code" xml:"error-code"`
	}
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return 0, false
	}
	if b[0] == '{' {
		if json.Unmarshal(b, &e) == nil && e.Code != 0 {
			return e.Code, true
		}
		return 0, false
	}
	if xml.Unmarshal(b, &e) == nil && e.Code != 0 {
		return e.Code, true
	}
	return 0, false
}

// OAuthError reads the "error" field of an OAuth error body.
func OAuthError(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error
}
