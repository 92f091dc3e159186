package target

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// CreateRecords makes n fresh records through the reference registry's
// control API, in batches of at most 100,000.
func (c *API) CreateRecords(ctx context.Context, n int) ([]Record, error) {
	var recs []Record
	for len(recs) < n {
		batch := min(n-len(recs), 100_000)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/_hookcheck/records?count=%d", c.base, batch), nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.do(req, 64<<20) // 100,000 records with their update tokens
		if err != nil {
			return nil, fmt.Errorf("creating records with the control API: %w", err)
		}
		var got struct{ Records []Record }
		if resp.Status != http.StatusCreated || json.Unmarshal(resp.Body, &got) != nil {
			return nil, fmt.Errorf("creating records with the control API: expected 201 with the records; %s", c.redact.String(resp.Describe()))
		}
		if len(got.Records) != batch {
			return nil, fmt.Errorf("creating records: asked for %d, got %d", batch, len(got.Records))
		}
		recs = append(recs, got.Records...)
	}
	return recs, nil
}
