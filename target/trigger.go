package target

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
)

// Trigger causes record changes on the target.
type Trigger interface {
	// Name says how changes are made, for reports.
	Name() string
	// Lease returns a record for the exclusive use of one scenario and a
	// function that gives it back.
	Lease(ctx context.Context) (id string, release func(), err error)
	// Change changes the record once.
	Change(ctx context.Context, id string) error
	// Capacity is how many records can be leased at once (0: unlimited).
	Capacity() int
	// Secrets lists what must never be printed (update tokens).
	Secrets() []string
}

// Record is a record the harness may change, with its Member API update
// token (scope /activities/update) when the trigger needs one.
type Record struct {
	ORCID       string `json:"orcid"`
	UpdateToken string `json:"update_token,omitempty"`
}

// LoadRecords reads a records file: {"records":[{"orcid","update_token"},…]}.
func LoadRecords(path string) ([]Record, error) {
	f, err := loadRecordsFile(path)
	if err != nil {
		return nil, err
	}
	return f.Records, nil
}

// LoadRegistryRecords reads a records file for a registry a receiver is
// configured against: the records and, under "tokens", access tokens the
// receiver already holds for its member client (kept from an earlier run,
// as ORCID's last 20 years).
func LoadRegistryRecords(path string) ([]Record, []string, error) {
	f, err := loadRecordsFile(path)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range f.Tokens {
		if strings.TrimSpace(t) == "" {
			return nil, nil, fmt.Errorf("records file %s: an empty token", path)
		}
	}
	return f.Records, f.Tokens, nil
}

// recordsFile is a records file's content.
type recordsFile struct {
	Records []Record `json:"records"`
	Tokens  []string `json:"tokens,omitempty"`
}

func loadRecordsFile(path string) (recordsFile, error) {
	var f recordsFile
	b, err := os.ReadFile(path)
	if err != nil {
		return f, fmt.Errorf("records file: %w", err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("records file %s: %w", path, err)
	}
	if len(f.Records) == 0 {
		return f, fmt.Errorf("records file %s: no records", path)
	}
	seen := make(map[string]bool, len(f.Records))
	for _, r := range f.Records {
		if err := orcid.Validate(r.ORCID); err != nil {
			return f, fmt.Errorf("records file %s: %w", path, err)
		}
		// Each scenario leases a record for its own use: a record listed
		// twice would be changed by two scenarios at once.
		if seen[r.ORCID] {
			return f, fmt.Errorf("records file %s: %s is listed more than once", path, r.ORCID)
		}
		seen[r.ORCID] = true
	}
	return f, nil
}

// controlTrigger uses the reference registry's /_hookcheck/ control API.
type controlTrigger struct {
	base string
	http *http.Client
}

// NewControlTrigger makes fresh records and changes them through the
// control API at base (nil client: a default one).
func NewControlTrigger(base string, client *http.Client) Trigger {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &controlTrigger{base: strings.TrimRight(base, "/"), http: client}
}

func (c *controlTrigger) Name() string      { return "control API " + c.base + "/_hookcheck/" }
func (c *controlTrigger) Capacity() int     { return 0 }
func (c *controlTrigger) Secrets() []string { return nil }

func (c *controlTrigger) Lease(ctx context.Context) (string, func(), error) {
	var rec Record
	if err := c.post(ctx, "/_hookcheck/records", http.StatusCreated, &rec); err != nil {
		return "", nil, err
	}
	return rec.ORCID, func() {}, nil
}

func (c *controlTrigger) Change(ctx context.Context, id string) error {
	return c.post(ctx, "/_hookcheck/records/"+id+"/changes", http.StatusAccepted, nil)
}

func (c *controlTrigger) post(ctx context.Context, path string, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, nil)
	if err != nil {
		return fmt.Errorf("control API: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("control API POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != want {
		return fmt.Errorf("control API POST %s: expected %d, got %d %s", path, want, resp.StatusCode, bytes.TrimSpace(body))
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("control API POST %s: %w", path, err)
		}
	}
	return nil
}

// pool hands out records one scenario at a time.
type pool struct {
	free    chan Record
	records []Record
}

func newPool(records []Record) *pool {
	p := &pool{free: make(chan Record, len(records)), records: records}
	for _, r := range records {
		p.free <- r
	}
	return p
}

func (p *pool) lease(ctx context.Context) (Record, func(), error) {
	select {
	case r := <-p.free:
		return r, func() { p.free <- r }, nil
	case <-ctx.Done():
		return Record{}, nil, fmt.Errorf("waiting for a free record: %w", ctx.Err())
	}
}

// memberTrigger adds a work to a record with its update token.
type memberTrigger struct {
	api    string
	http   *http.Client
	pool   *pool
	tokens map[string]string
}

// NewMemberTrigger changes records by adding a work through the Member API
// at api (POST /v3.0/{orcid}/work with the record's update token).
func NewMemberTrigger(api string, records []Record, client *http.Client) (Trigger, error) {
	tokens := map[string]string{}
	for _, r := range records {
		if r.UpdateToken == "" {
			return nil, fmt.Errorf("member trigger: record %s has no update_token", r.ORCID)
		}
		tokens[r.ORCID] = r.UpdateToken
	}
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	return &memberTrigger{api: strings.TrimRight(api, "/"), http: client, pool: newPool(records), tokens: tokens}, nil
}

func (m *memberTrigger) Name() string  { return "Member API " + m.api + "/v3.0/{orcid}/work" }
func (m *memberTrigger) Capacity() int { return len(m.pool.records) }

func (m *memberTrigger) Secrets() []string {
	out := make([]string, 0, len(m.tokens))
	for _, t := range m.tokens {
		out = append(out, t)
	}
	return out
}

func (m *memberTrigger) Lease(ctx context.Context) (string, func(), error) {
	r, release, err := m.pool.lease(ctx)
	return r.ORCID, release, err
}

func (m *memberTrigger) Change(ctx context.Context, id string) error {
	work := map[string]any{
		"title": map[string]any{"title": map[string]string{"value": "hookcheck change " + time.Now().UTC().Format(time.RFC3339Nano)}},
		"type":  "other",
	}
	body, _ := json.Marshal(work)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.api+"/v3.0/"+id+"/work", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("member API: %w", err)
	}
	req.Header.Set("Content-Type", "application/vnd.orcid+json")
	req.Header.Set("Accept", "application/vnd.orcid+json")
	req.Header.Set("Authorization", "Bearer "+m.tokens[id])
	resp, err := m.http.Do(req)
	if err != nil {
		return fmt.Errorf("member API add work to %s: %w", id, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("member API add work to %s: expected 201, got %d %s", id, resp.StatusCode, bytes.TrimSpace(msg))
	}
	return nil
}

// commandTrigger runs a user command with {orcid} replaced.
type commandTrigger struct {
	cmd  string
	pool *pool
}

// NewCommandTrigger changes a record by running cmd through sh -c, with
// every {orcid} in it replaced by the record's iD.
func NewCommandTrigger(cmd string, records []Record) (Trigger, error) {
	if !strings.Contains(cmd, "{orcid}") {
		return nil, fmt.Errorf("trigger command %q has no {orcid} placeholder", cmd)
	}
	return &commandTrigger{cmd: cmd, pool: newPool(records)}, nil
}

// Name names the program only: the rest of the command line may carry a
// token, and reports are shared.
func (c *commandTrigger) Name() string      { return commandName(c.cmd) }
func (c *commandTrigger) Capacity() int     { return len(c.pool.records) }
func (c *commandTrigger) Secrets() []string { return nil }

func (c *commandTrigger) Lease(ctx context.Context) (string, func(), error) {
	r, release, err := c.pool.lease(ctx)
	return r.ORCID, release, err
}

func (c *commandTrigger) Change(ctx context.Context, id string) error {
	if !orcid.WellFormed(id) {
		return fmt.Errorf("trigger command: refusing iD %q", id) // never pass odd text to a shell
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", strings.ReplaceAll(c.cmd, "{orcid}", id))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("trigger command for %s: %w: %s", id, err, bytes.TrimSpace(out))
	}
	return nil
}
