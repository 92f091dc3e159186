package target

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Control sends a request to the reference registry's control API at
// path (under /_hookcheck/) with body as JSON (nil: none) and decodes the
// answer into out (nil: ignored); any status but want is an error.
func (c *API) Control(ctx context.Context, method, path string, body, out any, want int) error {
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("control API %s: %w", path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/_hookcheck/"+path, rd)
	if err != nil {
		return fmt.Errorf("control API: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	if resp.Status != want {
		return fmt.Errorf("control API: expected %d; %s", want, c.redact.String(resp.Describe()))
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return fmt.Errorf("control API: %s: %w", c.redact.String(resp.Describe()), err)
		}
	}
	return nil
}

// CreateClientWith makes a client through the control API as spec says
// (e.g. {"type":"creator"}; nil: a premium member client); its secret is
// added to c's redactor.
func (c *API) CreateClientWith(ctx context.Context, spec map[string]any) (*Credentials, error) {
	if spec == nil {
		spec = map[string]any{}
	}
	var cr Credentials
	if err := c.Control(ctx, http.MethodPost, "clients", spec, &cr, http.StatusCreated); err != nil {
		return nil, err
	}
	if cr.ID == "" {
		return nil, fmt.Errorf("control API: a new client without client_id")
	}
	c.redact.Add(cr.Secret)
	return &cr, nil
}

// CreateRecord makes a record through the control API and returns its iD
// and its update token (a user-grant token for that record), which is
// added to c's redactor.
func (c *API) CreateRecord(ctx context.Context) (id, updateToken string, err error) {
	var rec struct {
		ORCID       string `json:"orcid"`
		UpdateToken string `json:"update_token"`
	}
	if err := c.Control(ctx, http.MethodPost, "records", nil, &rec, http.StatusCreated); err != nil {
		return "", "", err
	}
	c.redact.Add(rec.UpdateToken)
	return rec.ORCID, rec.UpdateToken, nil
}
