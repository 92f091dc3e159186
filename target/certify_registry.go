package target

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/internal/random"
	"github.com/hookcheck/hookcheck/internal/redact"
)

// CertifyRegistry says which registry a receiver under certification is
// configured against: the ORCID API it reads notified records from.
type CertifyRegistry struct {
	// URL is a running hookcheck registry ("hookcheck registry"); "" runs
	// the reference registry in-process.
	URL string
	// Addr is where the in-process registry listens ("" a free loopback
	// port), so that the receiver can be configured with it beforehand.
	Addr string
	// Client is the member client the in-process registry knows (zero: one
	// is made up). A running registry has its own.
	Client Credentials
	// Records are made to exist (with their tokens) before the receiver is
	// called: the records the receiver knows.
	Records []Record
	// Tokens are access tokens of Client the receiver already holds
	// (in-process registry only).
	Tokens []string
}

// OpenCertifyRegistry starts (or reaches) the registry c describes and
// creates c.Records in it; its Trigger leases fresh records. Close the
// target to stop it.
func OpenCertifyRegistry(ctx context.Context, c CertifyRegistry) (*Target, error) {
	var t *Target
	if c.URL == "" {
		client := c.Client
		if client.ID == "" {
			client = Credentials{ID: "APP-HOOKCHECK" + random.Hex(4), Secret: random.Hex(16)}
		}
		addr := c.Addr
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		var err error
		if t, err = listenEmbedded(ctx, addr, registry.Config{Timing: registry.Defaults()}, client); err != nil {
			return nil, fmt.Errorf("certify: reference registry: %w", err)
		}
	} else {
		t = NewURLTarget(c.URL, "", c.Client)
		if err := t.LoadInfo(ctx); err != nil {
			return nil, fmt.Errorf("certify: registry %s: %w", c.URL, err)
		}
		if !t.HasControl() {
			return nil, fmt.Errorf("certify: registry %s has no /_hookcheck/ control API: it must be a hookcheck registry, which logs the record reads", c.URL)
		}
		t.Trigger = NewControlTrigger(t.URL, nil)
	}
	if len(c.Tokens) > 0 {
		if c.URL != "" {
			t.Close()
			return nil, fmt.Errorf("certify: tokens can only be planted in the in-process registry (--registry embedded)")
		}
		if err := t.API(nil).putTokens(ctx, t.Client.ID, c.Tokens); err != nil {
			t.Close()
			return nil, fmt.Errorf("certify: %w", err)
		}
	}
	if len(c.Records) > 0 {
		red := &redact.Redactor{}
		for _, r := range c.Records {
			red.Add(r.UpdateToken)
		}
		if err := t.API(red).PutRecords(ctx, c.Records); err != nil {
			t.Close()
			return nil, fmt.Errorf("certify: %w", err)
		}
	}
	return t, nil
}

// Leaser hands out records, each to one user at a time (a Trigger is one).
type Leaser interface {
	Lease(ctx context.Context) (id string, release func(), err error)
	// Capacity is how many records can be leased at once (0: unlimited).
	Capacity() int
}

// leaser leases given records.
type leaser struct{ pool *pool }

// NewLeaser leases the records ids.
func NewLeaser(ids []string) Leaser {
	recs := make([]Record, len(ids))
	for i, id := range ids {
		recs[i] = Record{ORCID: id}
	}
	return leaser{newPool(recs)}
}

func (l leaser) Capacity() int { return len(l.pool.records) }
func (l leaser) Lease(ctx context.Context) (string, func(), error) {
	r, release, err := l.pool.lease(ctx)
	return r.ORCID, release, err
}

// PutRecords makes records exist in the reference registry, with their
// update tokens (PUT /_hookcheck/records).
func (c *API) PutRecords(ctx context.Context, recs []Record) error {
	body, err := json.Marshal(map[string][]Record{"records": recs})
	if err != nil {
		return err
	}
	resp, err := c.control(ctx, http.MethodPut, "/_hookcheck/records", body, 1<<16)
	if err != nil {
		return fmt.Errorf("creating the records: %w", err)
	}
	if resp.Status != http.StatusOK {
		return fmt.Errorf("creating the records: expected 200; %s", resp.Describe())
	}
	return nil
}

// putTokens makes tokens access tokens of client clientID (PUT
// /_hookcheck/tokens).
func (c *API) putTokens(ctx context.Context, clientID string, tokens []string) error {
	body, _ := json.Marshal(map[string]any{"client_id": clientID, "tokens": tokens})
	resp, err := c.control(ctx, http.MethodPut, "/_hookcheck/tokens", body, 1<<16)
	if err != nil {
		return fmt.Errorf("planting the tokens: %w", err)
	}
	if resp.Status != http.StatusOK {
		return fmt.Errorf("planting the tokens: expected 200, got %d", resp.Status)
	}
	return nil
}

// SetReadScript scripts the next reads of record id in the reference
// registry, e.g. "403" (PUT /_hookcheck/records/{orcid}/read-script).
func (c *API) SetReadScript(ctx context.Context, id, script string) error {
	body, _ := json.Marshal(map[string]string{"script": script})
	resp, err := c.control(ctx, http.MethodPut, "/_hookcheck/records/"+url.PathEscape(id)+"/read-script", body, 1<<16)
	if err != nil {
		return fmt.Errorf("scripting the reads of %s: %w", id, err)
	}
	if resp.Status != http.StatusOK {
		return fmt.Errorf("scripting the reads of %s: expected 200; %s", id, resp.Describe())
	}
	return nil
}

// ReadCursor is the sequence number the registry's next record read gets.
func (c *API) ReadCursor(ctx context.Context) (uint64, error) {
	_, next, _, err := c.readsPage(ctx, math.MaxUint64)
	return next, err
}

// Reads returns every record read the registry logged from sequence number
// since on, and whether some of them were already dropped from its log.
func (c *API) Reads(ctx context.Context, since uint64) ([]registry.Read, bool, error) {
	var out []registry.Read
	dropped := false
	for {
		page, next, oldest, err := c.readsPage(ctx, since)
		if err != nil {
			return nil, false, err
		}
		dropped = dropped || oldest > since
		out = append(out, page...)
		if len(page) == 0 || next <= since {
			return out, dropped, nil
		}
		since = next
	}
}

func (c *API) readsPage(ctx context.Context, since uint64) ([]registry.Read, uint64, uint64, error) {
	resp, err := c.control(ctx, http.MethodGet, "/_hookcheck/reads?since="+strconv.FormatUint(since, 10), nil, 16<<20)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("reading the registry's record reads: %w", err)
	}
	var got struct {
		Reads        []registry.Read
		Next, Oldest uint64
	}
	if resp.Status != http.StatusOK || json.Unmarshal(resp.Body, &got) != nil {
		return nil, 0, 0, fmt.Errorf("reading the registry's record reads: expected 200 with the reads; %s", resp.Describe())
	}
	return got.Reads, got.Next, got.Oldest, nil
}

// control makes one control API request.
func (c *API) control(ctx context.Context, method, path string, body []byte, limit int64) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.do(req, limit)
}
