package steps

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cucumber/godog"
)

// Steps that set the target up through the reference registry's control
// API: client kinds and states, token and record states, disabled hooks,
// store failures. A deployment has no such API, so there they skip.

func (s *scenario) registerControlSteps(sc *godog.ScenarioContext) {
	sc.Step(`^(a public-API client|a public client holding ROLE_CLIENT|a basic member client|a member client|a member client that may use only "client_credentials") made through the control API$`, s.redacted(s.madeClient))
	sc.Step(`^that client has a "([^"]*)" token$`, s.redacted(s.otherHasToken))
	sc.Step(`^that client has registered the callback for the record$`, s.redacted(s.otherRegistered))
	sc.Step(`^the client registers the callback for the record with that client's token$`, s.redacted(func(ctx context.Context) error {
		return s.request(ctx, http.MethodPut, s.suite.api.HookURL(s.record, s.cb.url), s.otherTok, map[string]string{"Accept": "application/json"}, nil)
	}))
	sc.Step(`^a fresh "([^"]*)" token of the member client, (revoked|expired) through the control API$`, s.redacted(s.freshTokenIn))
	sc.Step(`^the client registers the callback for the record with that token$`, s.redacted(func(ctx context.Context) error {
		return s.request(ctx, http.MethodPut, s.suite.api.HookURL(s.record, s.cb.url), s.otherTok, map[string]string{"Accept": "application/json"}, nil)
	}))
	sc.Step(`^the record is (deprecated|deactivated|locked) through the control API$`, s.redacted(s.recordState))
	sc.Step(`^(that client is deactivated|that client is locked|that client is active again|that client's webhooks are disabled|that client's webhooks are enabled again|the hook is disabled|the hook is enabled again) through the control API$`, s.redacted(s.switchState))
	sc.Step(`^a store failure is planted for the record's next webhook change through the control API$`, s.redacted(s.plantFault))
	sc.Step(`^a record made through the control API with its own update token$`, s.redacted(s.userRecord))
	sc.Step(`^the client registers the callback for that record with its update token$`, s.redacted(func(ctx context.Context) error {
		return s.request(ctx, http.MethodPut, s.suite.api.HookURL(s.userID, s.cb.url), s.userTok, map[string]string{"Accept": "application/json"}, nil)
	}))
}

// needControl skips the scenario unless the target has the control API.
func (s *scenario) needControl(what string) error {
	if !s.suite.target.HasControl() {
		return s.skip("%s needs the reference registry's control API (/_hookcheck/), which this target does not serve", what)
	}
	return nil
}

// clientSpecs are the control API bodies of the clients the steps make.
var clientSpecs = map[string]map[string]any{
	"a public-API client":                                    {"type": "public-client"},
	"a public client holding ROLE_CLIENT":                    {"type": "public-client", "role": "ROLE_CLIENT"},
	"a basic member client":                                  {"type": "creator"},
	"a member client":                                        nil,
	`a member client that may use only "client_credentials"`: {"grants": []string{"client_credentials"}},
}

func (s *scenario) madeClient(ctx context.Context, kind string) error {
	if err := s.needControl("making " + kind); err != nil {
		return err
	}
	c, err := s.suite.api.CreateClientWith(ctx, clientSpecs[kind])
	if err != nil {
		return err
	}
	s.other = c
	return nil
}

func (s *scenario) otherHasToken(ctx context.Context, scope string) error {
	if s.other == nil {
		return fmt.Errorf("no client was made through the control API")
	}
	tok, _, err := s.suite.api.Token(ctx, *s.other, scope)
	if err != nil {
		return err
	}
	s.otherTok = tok
	return nil
}

func (s *scenario) otherRegistered(ctx context.Context) error {
	if err := s.otherHasToken(ctx, "/webhook"); err != nil {
		return err
	}
	if err := s.registerAs(ctx, s.otherTok, s.record, s.cb); err != nil {
		return err
	}
	if s.resp.Status < 200 || s.resp.Status > 299 {
		return fmt.Errorf("expected a 2xx registering the callback with that client's token; %s", s.resp.Describe())
	}
	return nil
}

// freshTokenIn gets a token of the member client of its own (not the
// suite's cached one) and revokes or expires it.
func (s *scenario) freshTokenIn(ctx context.Context, scope, state string) error {
	if err := s.needControl("revoking or expiring a token"); err != nil {
		return err
	}
	tok, _, err := s.suite.api.Token(ctx, s.suite.target.Client, scope)
	if err != nil {
		return err
	}
	if err := s.suite.api.Control(ctx, http.MethodPatch, "tokens", map[string]string{"access_token": tok, "state": state}, nil, http.StatusOK); err != nil {
		return err
	}
	s.otherTok = tok
	return nil
}

func (s *scenario) recordState(ctx context.Context, state string) error {
	if err := s.needControl("a " + state + " record"); err != nil {
		return err
	}
	id := s.record
	if err := s.suite.api.Control(ctx, http.MethodPatch, "records/"+id, map[string]string{"state": state}, nil, http.StatusOK); err != nil {
		return err
	}
	s.restore = append(s.restore, func(ctx context.Context) error {
		return s.suite.api.Control(ctx, http.MethodPatch, "records/"+id, map[string]string{"state": "active"}, nil, http.StatusOK)
	})
	return nil
}

// switchState changes the state of the client made through the control
// API or of its hook on the record.
func (s *scenario) switchState(ctx context.Context, what string) error {
	if err := s.needControl("switching " + what); err != nil {
		return err
	}
	if s.other == nil {
		return fmt.Errorf("no client was made through the control API")
	}
	var path string
	var body map[string]any
	switch what {
	case "that client is deactivated":
		path, body = "clients/"+s.other.ID, map[string]any{"state": "deactivated"}
	case "that client is locked":
		path, body = "clients/"+s.other.ID, map[string]any{"state": "locked"}
	case "that client is active again":
		path, body = "clients/"+s.other.ID, map[string]any{"state": "active"}
	case "that client's webhooks are disabled":
		path, body = "clients/"+s.other.ID, map[string]any{"webhooks_enabled": false}
	case "that client's webhooks are enabled again":
		path, body = "clients/"+s.other.ID, map[string]any{"webhooks_enabled": true}
	case "the hook is disabled":
		path, body = "hooks", map[string]any{"orcid": s.record, "callback": s.cb.url, "enabled": false}
	default:
		path, body = "hooks", map[string]any{"orcid": s.record, "callback": s.cb.url, "enabled": true}
	}
	return s.suite.api.Control(ctx, http.MethodPatch, path, body, nil, http.StatusOK)
}

func (s *scenario) plantFault(ctx context.Context) error {
	if err := s.needControl("a store failure"); err != nil {
		return err
	}
	return s.suite.api.Control(ctx, http.MethodPost, "faults", map[string]any{"orcid": s.record, "store_failures": 1}, nil, http.StatusOK)
}

func (s *scenario) userRecord(ctx context.Context) error {
	if err := s.needControl("a user-grant token"); err != nil {
		return err
	}
	id, tok, err := s.suite.api.CreateRecord(ctx)
	if err != nil {
		return err
	}
	s.userID, s.userTok = id, tok
	return nil
}
