package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
	"github.com/hookcheck/hookcheck/internal/random"
	"github.com/hookcheck/hookcheck/target"
)

func (s *scenario) registerAPISteps(sc *godog.ScenarioContext) {
	// Token endpoint.
	s.step(sc, `^the member client asks for a token with scope "([^"]*)"$`, s.askToken)
	s.step(sc, `^the member client asks for a token with scope "([^"]*)" using a wrong secret$`, s.askTokenWrongSecret)
	s.step(sc, `^the member client asks for a token with grant type "([^"]*)"$`, s.askTokenGrant)
	s.step(sc, `^the member client asks for a token without a grant type$`, s.askTokenNoGrant)

	// Webhook API.
	s.step(sc, `^the client registers the callback for the record$`, func(ctx context.Context) error { return s.putWith(ctx, "/webhook", s.record, s.cb) })
	s.step(sc, `^the client registers the second callback for the record$`, func(ctx context.Context) error { return s.putWith(ctx, "/webhook", s.record, s.cb2) })
	s.step(sc, `^the client registers the callback for the record with the "([^"]*)" token$`, func(ctx context.Context, scope string) error { return s.putWith(ctx, scope, s.record, s.cb) })
	s.step(sc, `^the client registers the callback for an unknown record$`, s.putUnknownRecord)
	s.step(sc, `^the client registers the callback "([^"]*)" for the record$`, s.putLiteral)
	s.step(sc, `^the client unregisters the callback for the record$`, s.deleteOwn)
	s.step(sc, `^the second client registers the callback for the record$`, func(ctx context.Context) error { return s.asSecond(ctx, http.MethodPut) })
	s.step(sc, `^the second client unregisters the callback for the record$`, func(ctx context.Context) error { return s.asSecond(ctx, http.MethodDelete) })
	s.step(sc, `^a (PUT|DELETE) for the callback on the record is sent without a token$`, func(ctx context.Context, m string) error { return s.sendWithToken(ctx, m, "") })
	s.step(sc, `^a (PUT|DELETE) for the callback on the record is sent with an unknown token$`, func(ctx context.Context, m string) error {
		return s.sendWithToken(ctx, m, "hookcheck-unknown-"+random.Hex(12))
	})

	// Answers.
	s.step(sc, `^the answer is (\d+)$`, s.answerIs)
	s.step(sc, `^the answer is (\d+) with ORCID error code (\d+)$`, s.answerIsWithCode)
	s.step(sc, `^the answer is a bearer token with scope "([^"]*)"$`, s.answerIsBearer)
	s.step(sc, `^the answer is not cacheable$`, s.answerNotCacheable)
	s.step(sc, `^the OAuth error is "([^"]*)"$`, s.oauthErrorIs)
	s.step(sc, `^the answer has an empty body$`, s.answerEmpty)
	s.step(sc, `^the answer has a Location header with the request URL$`, s.answerLocation)
}

func (s *scenario) askForm(ctx context.Context, form url.Values) error {
	resp, err := s.suite.api.TokenRequest(ctx, form)
	if err != nil {
		return err
	}
	s.resp = resp
	return nil
}

func (s *scenario) clientForm(secret string) url.Values {
	return url.Values{"client_id": {s.suite.target.Client.ID}, "client_secret": {secret}}
}

func (s *scenario) askToken(ctx context.Context, scope string) error {
	f := s.clientForm(s.suite.target.Client.Secret)
	f.Set("grant_type", "client_credentials")
	f.Set("scope", scope)
	return s.askForm(ctx, f)
}

func (s *scenario) askTokenWrongSecret(ctx context.Context, scope string) error {
	f := s.clientForm("hookcheck-wrong-" + random.Hex(8))
	f.Set("grant_type", "client_credentials")
	f.Set("scope", scope)
	return s.askForm(ctx, f)
}

func (s *scenario) askTokenGrant(ctx context.Context, grant string) error {
	f := s.clientForm(s.suite.target.Client.Secret)
	f.Set("grant_type", grant)
	f.Set("scope", "/webhook")
	return s.askForm(ctx, f)
}

func (s *scenario) askTokenNoGrant(ctx context.Context) error {
	f := s.clientForm(s.suite.target.Client.Secret)
	f.Set("scope", "/webhook")
	return s.askForm(ctx, f)
}

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

// unknownRecord is a well-formed iD with a valid checksum from a block no
// registry hands out.
func unknownRecord() string {
	return orcid.FromNumber(999_900_000_000_000 + rand.Uint64N(99_999_999_999))
}

func (s *scenario) putUnknownRecord(ctx context.Context) error {
	return s.putWith(ctx, "/webhook", unknownRecord(), s.cb)
}

func (s *scenario) putLiteral(ctx context.Context, literal string) error {
	return s.putWith(ctx, "/webhook", s.record, &callback{name: "literal callback", url: literal})
}

func (s *scenario) deleteOwn(ctx context.Context) error {
	tok, err := s.webhookToken(ctx)
	if err != nil {
		return err
	}
	return s.unregisterAs(ctx, tok, s.record, s.cb)
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

func (s *scenario) sendWithToken(ctx context.Context, method, token string) error {
	if method == http.MethodPut {
		return s.registerAs(ctx, token, s.record, s.cb)
	}
	return s.unregisterAs(ctx, token, s.record, s.cb)
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

func (s *scenario) answerIsWithCode(want, code int) error {
	if err := s.answerIs(want); err != nil {
		return err
	}
	got, ok := target.ORCIDErrorCode(s.resp.Body)
	if !ok {
		return fmt.Errorf("expected an ORCID error body with error-code %d, found none; %s", code, s.resp.Describe())
	}
	if got != code {
		return fmt.Errorf("expected ORCID error-code %d, got %d; %s", code, got, s.resp.Describe())
	}
	return nil
}

func (s *scenario) answerIsBearer(scope string) error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		Scope       string `json:"scope"`
		ExpiresIn   *int64 `json:"expires_in"`
	}
	if err := json.Unmarshal(r.Body, &tok); err != nil {
		return fmt.Errorf("expected a JSON token body: %w; %s", err, r.Describe())
	}
	var problems []string
	if tok.AccessToken == "" {
		problems = append(problems, "access_token is missing")
	}
	if tok.TokenType != "bearer" {
		problems = append(problems, fmt.Sprintf("token_type is %q, expected \"bearer\"", tok.TokenType))
	}
	if !containsField(tok.Scope, scope) {
		problems = append(problems, fmt.Sprintf("scope is %q, expected it to hold %q", tok.Scope, scope))
	}
	if tok.ExpiresIn == nil || *tok.ExpiresIn <= 0 {
		problems = append(problems, "expires_in is missing or not positive")
	}
	if len(problems) > 0 {
		return fmt.Errorf("token answer: %s; %s", strings.Join(problems, "; "), r.Describe())
	}
	return nil
}

func containsField(list, want string) bool {
	for _, f := range strings.Fields(list) {
		if f == want {
			return true
		}
	}
	return false
}

func (s *scenario) answerNotCacheable() error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(strings.ToLower(cc), "no-store") {
		return fmt.Errorf("expected Cache-Control: no-store on the token answer, got %q", cc)
	}
	return nil
}

func (s *scenario) oauthErrorIs(want string) error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	if got := target.OAuthError(r.Body); got != want {
		return fmt.Errorf("expected OAuth error %q, got %q; %s", want, got, r.Describe())
	}
	return nil
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
	if got.EscapedPath() != want.EscapedPath() {
		return fmt.Errorf("expected a Location with path %s (the request URL, callback still encoded), got %q", want.EscapedPath(), loc)
	}
	return nil
}
