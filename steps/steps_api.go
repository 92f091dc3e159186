package steps

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
	"github.com/hookcheck/hookcheck/internal/random"
	"github.com/hookcheck/hookcheck/target"
)

func (s *scenario) registerAPISteps(sc *godog.ScenarioContext) {
	// Webhook API requests.
	sc.Step(`^the client registers the callback for the record$`, s.redacted(func(ctx context.Context) error { return s.putWith(ctx, "/webhook", s.record, s.cb) }))
	sc.Step(`^the client registers the second callback for the record$`, s.redacted(func(ctx context.Context) error { return s.putWith(ctx, "/webhook", s.record, s.cb2) }))
	sc.Step(`^the client registers the callback for the record with the "([^"]*)" token$`, s.redacted(func(ctx context.Context, scope string) error { return s.putWith(ctx, scope, s.record, s.cb) }))
	sc.Step(`^the client unregisters the callback for the record with the "([^"]*)" token$`, s.redacted(s.deleteWithScope))
	sc.Step(`^the client registers the callback for an unknown record$`, s.redacted(s.putUnknownRecord))
	sc.Step(`^the client registers the callback for a record with a bad checksum$`, s.redacted(s.putBadChecksum))
	sc.Step(`^the client registers the callback for an unknown record accepting "([^"]*)"$`, s.redacted(s.putUnknownAccepting))
	sc.Step(`^the client registers the callback "([^"]*)" for the record$`, s.redacted(s.putLiteral))
	sc.Step(`^the client registers the callback "([^"]*)" for the record, encoded differently$`, s.redacted(s.putLiteralReencoded))
	sc.Step(`^the client registers the callback "([^"]*)" for an unknown record(?: with the "([^"]*)" token)?$`, s.redacted(s.putLiteralUnknown))
	sc.Step(`^the client registers the callback for the record under "/v3\.0"$`, s.redacted(s.putVersioned))
	sc.Step(`^the client unregisters the callback for the record$`, s.redacted(s.deleteOwn))
	sc.Step(`^the client unregisters the callback for an unknown record$`, s.redacted(s.deleteUnknownRecord))
	sc.Step(`^the second client registers the callback for the record$`, s.redacted(func(ctx context.Context) error { return s.asSecond(ctx, http.MethodPut) }))
	sc.Step(`^the second client unregisters the callback for the record$`, s.redacted(func(ctx context.Context) error { return s.asSecond(ctx, http.MethodDelete) }))
	sc.Step(`^a (PUT|DELETE|GET|POST) for the callback on the record is sent without a token$`, s.redacted(func(ctx context.Context, m string) error { return s.send(ctx, m, "", nil, nil) }))
	sc.Step(`^a (PUT|DELETE) for the callback on the record is sent with an empty bearer token$`, s.redacted(func(ctx context.Context, m string) error {
		return s.send(ctx, m, "", map[string]string{"Authorization": "Bearer "}, nil)
	}))
	sc.Step(`^a (PUT|DELETE) for the callback on the record is sent with an unknown token$`, s.redacted(func(ctx context.Context, m string) error {
		return s.send(ctx, m, "hookcheck-unknown-"+random.Hex(12), nil, nil)
	}))
	sc.Step(`^a (PUT|DELETE) for the callback on the record is sent with an unknown token accepting "([^"]*)"$`, s.redacted(func(ctx context.Context, m, accept string) error {
		return s.send(ctx, m, "hookcheck-unknown-"+random.Hex(12), map[string]string{"Accept": accept}, nil)
	}))
	sc.Step(`^an oversized PUT for the callback on the record is sent without a token$`, s.redacted(func(ctx context.Context) error {
		return s.send(ctx, http.MethodPut, "", nil, bytes.Repeat([]byte("x"), oversized))
	}))
	sc.Step(`^a PUT for the callback on the iD "([^"]*)" is sent without a token$`, s.redacted(s.putMalformedID))

	// Answers.
	sc.Step(`^the answer is (\d+)$`, s.redacted(s.answerIs))
	sc.Step(`^the answer is not a success$`, s.redacted(s.answerNotSuccess))
	sc.Step(`^the answer is (\d+) with ORCID error code (\d+)$`, s.redacted(s.answerIsWithCode))
	sc.Step(`^the error body is (XML|JSON)$`, s.redacted(s.errorBodyIs))
	sc.Step(`^the developer message says the callback "([^"]*)" is syntactically incorrect$`, s.redacted(s.developerSaysSyntax))
	sc.Step(`^the developer message says no webhook was found for the record and the callback$`, s.redacted(s.developerSaysNoWebhook))
	sc.Step(`^the OAuth error is "([^"]*)"$`, s.redacted(func(want string) error { return s.oauthError(want, nil) }))
	sc.Step(`^the OAuth error is "([^"]*)" described as "([^"]*)"$`, s.redacted(func(want, desc string) error { return s.oauthError(want, exactly(desc)) }))
	sc.Step(`^the OAuth error is "([^"]*)" described as starting "([^"]*)"$`, s.redacted(func(want, prefix string) error { return s.oauthError(want, starting(prefix)) }))
	sc.Step(`^the OAuth error is "([^"]*)" described as "([^"]*)" and the token$`, s.redacted(func(want, prefix string) error {
		return s.oauthError(want, exactly(prefix+s.sentToken))
	}))
	sc.Step(`^the OAuth error is "([^"]*)" described as ending with the token$`, s.redacted(func(want string) error {
		return s.oauthError(want, ending(": "+s.sentToken))
	}))
	sc.Step(`^the answer has an empty body$`, s.redacted(s.answerEmpty))
	sc.Step(`^the answer has a Location header with the request URL$`, s.redacted(s.answerLocation))
	sc.Step(`^the answer redirects to the same path under "/v3\.0" of the API$`, s.redacted(s.answerRedirectsToV3))
}

// oversized is a request body larger than the reference registry reads.
const oversized = 1<<20 + 1<<16

func (s *scenario) putWith(ctx context.Context, scope, record string, c *callback) error {
	if c == nil {
		return fmt.Errorf("no callback to register")
	}
	tok, err := s.suite.tokens.Member(ctx, scope)
	if err != nil {
		return err
	}
	return s.registerAs(ctx, tok, record, c)
}

func (s *scenario) deleteWithScope(ctx context.Context, scope string) error {
	tok, err := s.suite.tokens.Member(ctx, scope)
	if err != nil {
		return err
	}
	return s.unregisterAs(ctx, tok, s.record, s.cb)
}

// unknownRecord is a well-formed iD with a valid checksum from a block no
// registry hands out.
func unknownRecord() string {
	return orcid.FromNumber(999_900_000_000_000 + rand.Uint64N(99_999_999_999))
}

// badChecksum is a well-formed iD whose check digit is wrong.
func badChecksum() string {
	id := unknownRecord()
	last := id[len(id)-1]
	wrong := byte('0')
	if last == '0' {
		wrong = '1'
	}
	return id[:len(id)-1] + string(wrong)
}

func (s *scenario) putUnknownRecord(ctx context.Context) error {
	return s.putWith(ctx, "/webhook", unknownRecord(), s.cb)
}

func (s *scenario) putBadChecksum(ctx context.Context) error {
	return s.putWith(ctx, "/webhook", badChecksum(), s.cb)
}

func (s *scenario) putUnknownAccepting(ctx context.Context, accept string) error {
	tok, err := s.webhookToken(ctx)
	if err != nil {
		return err
	}
	return s.request(ctx, http.MethodPut, s.suite.api.HookURL(unknownRecord(), s.cb.url), tok, map[string]string{"Accept": accept}, nil)
}

// unescapeLiteral turns the \uXXXX escapes of a callback written in a
// feature file into their characters (a feature file cannot hold a line
// separator, say).
func unescapeLiteral(literal string) (string, error) {
	if !strings.Contains(literal, `\u`) {
		return literal, nil
	}
	u, err := strconv.Unquote(`"` + strings.ReplaceAll(literal, `"`, `\"`) + `"`)
	if err != nil {
		return "", fmt.Errorf("callback %q: bad escape: %w", literal, err)
	}
	return u, nil
}

func (s *scenario) literal(text string) (*callback, error) {
	u, err := unescapeLiteral(text)
	if err != nil {
		return nil, err
	}
	return &callback{name: "literal callback", url: u}, nil
}

func (s *scenario) putLiteral(ctx context.Context, text string) error {
	c, err := s.literal(text)
	if err != nil {
		return err
	}
	return s.putWith(ctx, "/webhook", s.record, c)
}

// putLiteralReencoded registers the callback with every byte of it
// percent-encoded: a different request path for the same decoded callback.
func (s *scenario) putLiteralReencoded(ctx context.Context, text string) error {
	c, err := s.literal(text)
	if err != nil {
		return err
	}
	tok, err := s.webhookToken(ctx)
	if err != nil {
		return err
	}
	var enc strings.Builder
	for _, b := range []byte(c.url) {
		fmt.Fprintf(&enc, "%%%02X", b)
	}
	u := strings.TrimRight(s.suite.target.URL, "/") + "/" + s.record + "/webhook/" + enc.String()
	if err := s.request(ctx, http.MethodPut, u, tok, nil, nil); err != nil {
		return err
	}
	if s.resp.Status >= 200 && s.resp.Status < 300 {
		s.hooks = append(s.hooks, hookRef{record: s.record, callback: c.url, token: tok})
	}
	return nil
}

func (s *scenario) putLiteralUnknown(ctx context.Context, text, scope string) error {
	c, err := s.literal(text)
	if err != nil {
		return err
	}
	if scope == "" {
		scope = "/webhook"
	}
	return s.putWith(ctx, scope, unknownRecord(), c)
}

func (s *scenario) putVersioned(ctx context.Context) error {
	tok, err := s.webhookToken(ctx)
	if err != nil {
		return err
	}
	u := strings.TrimRight(s.suite.target.URL, "/") + "/v3.0/" + s.record + "/webhook/" + target.EscapeCallback(s.cb.url)
	if err := s.request(ctx, http.MethodPut, u, tok, nil, nil); err != nil {
		return err
	}
	if s.resp.Status >= 200 && s.resp.Status < 300 {
		s.hooks = append(s.hooks, hookRef{record: s.record, callback: s.cb.url, token: tok})
	}
	return nil
}

func (s *scenario) putMalformedID(ctx context.Context, id string) error {
	return s.request(ctx, http.MethodPut, s.suite.api.HookURL(id, s.cb.url), "", nil, nil)
}

func (s *scenario) deleteOwn(ctx context.Context) error {
	tok, err := s.webhookToken(ctx)
	if err != nil {
		return err
	}
	return s.unregisterAs(ctx, tok, s.record, s.cb)
}

func (s *scenario) deleteUnknownRecord(ctx context.Context) error {
	tok, err := s.webhookToken(ctx)
	if err != nil {
		return err
	}
	return s.unregisterAs(ctx, tok, unknownRecord(), s.cb)
}

func (s *scenario) asSecond(ctx context.Context, method string) error {
	tok, reason, err := s.suite.tokens.Second(ctx)
	if err != nil {
		return err
	}
	if reason != "" {
		return s.skip("%s", reason)
	}
	if method == http.MethodPut {
		return s.registerAs(ctx, tok, s.record, s.cb)
	}
	return s.unregisterAs(ctx, tok, s.record, s.cb)
}

// send sends method on the callback's hook of the record with token ("":
// none), header and body, as a client would.
func (s *scenario) send(ctx context.Context, method, token string, header map[string]string, body []byte) error {
	h := map[string]string{"Accept": "application/json"}
	for k, v := range header {
		h[k] = v
	}
	if err := s.request(ctx, method, s.suite.api.HookURL(s.record, s.cb.url), token, h, body); err != nil {
		return err
	}
	if method == http.MethodPut && s.resp.Status >= 200 && s.resp.Status < 300 {
		s.hooks = append(s.hooks, hookRef{record: s.record, callback: s.cb.url, token: token})
	}
	return nil
}

// request sends one request to the target and keeps the answer; the token
// sent is kept for the steps that check it is named.
func (s *scenario) request(ctx context.Context, method, u, token string, header map[string]string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, u, err)
	}
	for k, v := range header {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	s.sentToken = token
	resp, err := s.suite.api.Do(req)
	if err != nil {
		return err
	}
	s.resp = resp
	return nil
}

func (s *scenario) answer() (*target.Response, error) {
	if s.resp == nil {
		return nil, fmt.Errorf("no request was sent yet")
	}
	return s.resp, nil
}

func (s *scenario) answerIs(want int) error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	if r.Status != want {
		return fmt.Errorf("expected %d %s, got %d; %s", want, http.StatusText(want), r.Status, r.Describe())
	}
	return nil
}

func (s *scenario) answerNotSuccess() error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	if r.Status >= 200 && r.Status < 300 {
		return fmt.Errorf("expected no 2xx (there is no such resource), got %d; %s", r.Status, r.Describe())
	}
	return nil
}

// answerIsWithCode checks the status and the whole ORCID error body.
func (s *scenario) answerIsWithCode(want, code int) error {
	if err := s.answerIs(want); err != nil {
		return err
	}
	e, err := checkORCIDError(s.resp, want, code)
	s.orcidErr = &e
	return err
}

func (s *scenario) lastORCIDError() (*orcidError, error) {
	if s.orcidErr == nil {
		return nil, fmt.Errorf("no ORCID error body was checked yet")
	}
	return s.orcidErr, nil
}

func (s *scenario) errorBodyIs(format string) error {
	e, err := s.lastORCIDError()
	if err != nil {
		return err
	}
	if e.Format != format {
		return fmt.Errorf("expected the error body in %s, got %s; %s", format, e.Format, s.resp.Describe())
	}
	return nil
}

func (s *scenario) developerSays(want string) error {
	e, err := s.lastORCIDError()
	if err != nil {
		return err
	}
	if e.DeveloperMessage != want {
		return fmt.Errorf("expected developer-message %q, got %q", want, e.DeveloperMessage)
	}
	return nil
}

func (s *scenario) developerSaysSyntax(text string) error {
	u, err := unescapeLiteral(text)
	if err != nil {
		return err
	}
	return s.developerSays(orcidTexts[9012].developer + " Full validation error: Webhook uri: " + u + " is syntactically incorrect")
}

func (s *scenario) developerSaysNoWebhook() error {
	return s.developerSays(fmt.Sprintf("No webhook found for orcid=%s, and uri=%s.", s.record, s.cb.url))
}

func (s *scenario) oauthError(want string, describe func(string) error) error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	return checkOAuthError(r, want, describe)
}

func exactly(want string) func(string) error {
	return func(got string) error {
		if got != want {
			return fmt.Errorf("error_description %q, expected %q", got, want)
		}
		return nil
	}
}

func starting(prefix string) func(string) error {
	return func(got string) error {
		if !strings.HasPrefix(got, prefix) {
			return fmt.Errorf("error_description %q, expected it to start %q", got, prefix)
		}
		return nil
	}
}

func ending(suffix string) func(string) error {
	return func(got string) error {
		if !strings.HasSuffix(got, suffix) || len(got) == len(suffix) {
			return fmt.Errorf("error_description %q, expected a message ending %q", got, suffix)
		}
		return nil
	}
}

func (s *scenario) answerEmpty() error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(r.Body)) != 0 {
		return fmt.Errorf("expected an empty body; %s", r.Describe())
	}
	return nil
}

// sameURL reports whether a and b name the same URL: scheme and host alike
// (a default port written or not), the path byte for byte but for the case
// of percent-escapes.
func sameURL(a, b *url.URL) bool {
	host := func(u *url.URL) string {
		h := strings.ToLower(u.Host)
		if p := u.Port(); (p == "80" && u.Scheme == "http") || (p == "443" && u.Scheme == "https") {
			h = strings.TrimSuffix(h, ":"+p)
		}
		return h
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && host(a) == host(b) && upperEscapes(a.EscapedPath()) == upperEscapes(b.EscapedPath())
}

func upperEscapes(p string) string {
	b := []byte(p)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = bytes.ToUpper(b[i+1 : i+2])[0], bytes.ToUpper(b[i+2 : i+3])[0]
		}
	}
	return string(b)
}

// answerLocation checks that the Location is the absolute request URL with
// the callback still percent-encoded (F012, F016).
func (s *scenario) answerLocation() error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	loc := r.Header.Get("Location")
	if loc == "" {
		return fmt.Errorf("expected a Location header naming %s, got none; %s", r.URL, r.Describe())
	}
	got, err := url.Parse(loc)
	if err != nil {
		return fmt.Errorf("expected a Location header naming %s, got unparsable %q: %w", r.URL, loc, err)
	}
	want, _ := url.Parse(r.URL)
	if !got.IsAbs() || !sameURL(got, want) {
		return fmt.Errorf("expected Location %s (the absolute request URL, callback still encoded), got %q", r.URL, loc)
	}
	return nil
}

// answerRedirectsToV3 checks a 302 to {API base}/v3.0/{the request path}
// (F022).
func (s *scenario) answerRedirectsToV3() error {
	if err := s.answerIs(http.StatusFound); err != nil {
		return err
	}
	r := s.resp
	req, _ := url.Parse(r.URL)
	base, _ := url.Parse(strings.TrimRight(s.suite.target.URL, "/"))
	want := *base
	want.Path = base.Path + "/v3.0" + strings.TrimPrefix(req.Path, base.Path)
	want.RawPath = base.EscapedPath() + "/v3.0" + strings.TrimPrefix(req.EscapedPath(), base.EscapedPath())
	loc := r.Header.Get("Location")
	got, err := url.Parse(loc)
	if err != nil || !got.IsAbs() || !sameURL(got, &want) {
		return fmt.Errorf("expected a redirect to %s (the API base, /v3.0, the request path), got Location %q", want.String(), loc)
	}
	return nil
}
