package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/internal/random"
)

func (s *scenario) registerTokenSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the member client asks for a token with scope "([^"]*)"$`, s.redacted(s.askToken))
	sc.Step(`^the member client asks for a token with scope "([^"]*)" using a wrong secret$`, s.redacted(s.askTokenWrongSecret))
	sc.Step(`^the member client asks for a token with scope "([^"]*)" using HTTP Basic authentication$`, s.redacted(s.askTokenBasic))
	sc.Step(`^the member client asks for a token with grant type "([^"]*)"$`, s.redacted(s.askTokenGrant))
	sc.Step(`^the member client asks for a token without a grant type$`, s.redacted(s.askTokenNoGrant))
	sc.Step(`^the member client asks for a token without a scope$`, s.redacted(s.askTokenNoScope))
	sc.Step(`^the member client asks for a token with its (client_id|client_secret) (left out|blank|too long)$`, s.redacted(s.askTokenBadField))
	sc.Step(`^that client asks for a token with scope "([^"]*)"$`, s.redacted(func(ctx context.Context, scope string) error {
		return s.otherAsks(ctx, "client_credentials", scope)
	}))
	sc.Step(`^that client asks for a token with grant type "([^"]*)"$`, s.redacted(func(ctx context.Context, grant string) error {
		return s.otherAsks(ctx, grant, "/webhook")
	}))

	sc.Step(`^the answer is a bearer token with scope "([^"]*)"$`, s.redacted(s.answerIsBearer))
	sc.Step(`^the answer is not cacheable$`, s.redacted(s.answerNotCacheable))
	sc.Step(`^the answer asks for Bearer authentication in realm "([^"]*)"$`, s.redacted(s.answerAsksBearer))
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

// askTokenBasic authenticates the client with HTTP Basic instead of the
// form (F053).
func (s *scenario) askTokenBasic(ctx context.Context, scope string) error {
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.suite.target.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(url.QueryEscape(s.suite.target.Client.ID), url.QueryEscape(s.suite.target.Client.Secret))
	resp, err := s.suite.api.Do(req)
	if err != nil {
		return err
	}
	s.suite.redact.Add(accessTokens(resp.Body)...)
	s.resp = resp
	return nil
}

// accessTokens are the tokens of a token answer, to keep out of output.
func accessTokens(body []byte) []string {
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	_ = json.Unmarshal(body, &tok)
	return []string{tok.AccessToken, tok.RefreshToken}
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

func (s *scenario) askTokenNoScope(ctx context.Context) error {
	f := s.clientForm(s.suite.target.Client.Secret)
	f.Set("grant_type", "client_credentials")
	return s.askForm(ctx, f)
}

// Longest client_id and client_secret ORCID's API accepts before it
// forwards a token request (F062, F063).
const (
	maxClientID     = 50
	maxClientSecret = 100
)

func (s *scenario) askTokenBadField(ctx context.Context, field, how string) error {
	f := s.clientForm(s.suite.target.Client.Secret)
	f.Set("grant_type", "client_credentials")
	f.Set("scope", "/webhook")
	switch how {
	case "left out":
		f.Del(field)
	case "blank":
		f.Set(field, "  ")
	default:
		n := maxClientID + 1
		if field == "client_secret" {
			n = maxClientSecret + 1
		}
		f.Set(field, strings.Repeat("x", n))
	}
	return s.askForm(ctx, f)
}

func (s *scenario) otherAsks(ctx context.Context, grant, scope string) error {
	if s.other == nil {
		return fmt.Errorf("no client was made through the control API")
	}
	return s.askForm(ctx, url.Values{"client_id": {s.other.ID}, "client_secret": {s.other.Secret}, "grant_type": {grant}, "scope": {scope}})
}

// tokenLifetime is what ORCID's client-credentials tokens live: about 20
// years (docs 631138518 s, code 631138519 s); an answer within 1% of it
// passes (F056).
const tokenLifetime = 631138518

// answerIsBearer checks the whole token answer as ORCID gives it: a bearer
// access token and a refresh token, about 20 years, the scope, "orcid":
// null and no "name" (F054-F059).
func (s *scenario) answerIsBearer(scope string) error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &m); err != nil {
		return fmt.Errorf("expected a JSON token body: %w; %s", err, r.Describe())
	}
	var tok struct {
		AccessToken  string   `json:"access_token"`
		RefreshToken string   `json:"refresh_token"`
		TokenType    string   `json:"token_type"`
		Scope        string   `json:"scope"`
		ExpiresIn    *float64 `json:"expires_in"`
	}
	_ = json.Unmarshal(r.Body, &tok)
	var problems []string
	if tok.AccessToken == "" {
		problems = append(problems, "access_token is missing")
	}
	if tok.RefreshToken == "" {
		problems = append(problems, "refresh_token is missing")
	}
	if tok.TokenType != "bearer" {
		problems = append(problems, fmt.Sprintf("token_type is %q, expected \"bearer\"", tok.TokenType))
	}
	if !containsField(tok.Scope, scope) {
		problems = append(problems, fmt.Sprintf("scope is %q, expected it to hold %q", tok.Scope, scope))
	}
	if tok.ExpiresIn == nil || *tok.ExpiresIn < 0.99*tokenLifetime || *tok.ExpiresIn > 1.01*tokenLifetime {
		got := "missing"
		if tok.ExpiresIn != nil {
			got = fmt.Sprintf("%.0f s", *tok.ExpiresIn)
		}
		problems = append(problems, fmt.Sprintf("expires_in is %s, expected about 20 years (%d s)", got, tokenLifetime))
	}
	if v, ok := m["orcid"]; !ok || string(v) != "null" {
		problems = append(problems, fmt.Sprintf("orcid is %s, expected present and null", orMissing(v, ok)))
	}
	if _, ok := m["name"]; ok {
		problems = append(problems, "name is present, expected none for a client-credentials token")
	}
	if len(problems) > 0 {
		return fmt.Errorf("token answer: %s; %s", strings.Join(problems, "; "), r.Describe())
	}
	return nil
}

func orMissing(v json.RawMessage, ok bool) string {
	if !ok {
		return "missing"
	}
	return string(v)
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
	if p := r.Header.Get("Pragma"); !strings.EqualFold(strings.TrimSpace(p), "no-cache") {
		return fmt.Errorf("expected Pragma: no-cache on the token answer, got %q", p)
	}
	return nil
}

// answerAsksBearer checks the WWW-Authenticate of a 401 invalid_client
// (F064).
func (s *scenario) answerAsksBearer(realm string) error {
	r, err := s.answer()
	if err != nil {
		return err
	}
	got := r.Header.Get("WWW-Authenticate")
	if want := `Bearer realm="` + realm + `"`; !strings.HasPrefix(got, want) {
		return fmt.Errorf("expected WWW-Authenticate starting %s, got %q", want, got)
	}
	return nil
}
