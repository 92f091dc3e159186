package target

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
)

// Callbacks give the receiver's callback URL of each record, as its member
// registered them with the registry.
type Callbacks interface {
	// URL is the callback URL of record id.
	URL(ctx context.Context, id string) (string, error)
	// Unknown is the callback of a record the receiver does not know, and
	// its iD ("" when the URL names none).
	Unknown(ctx context.Context) (id, u string, err error)
	// Records are the iDs that have a callback of their own; nil when
	// every iD has one.
	Records() []string
	// PerRecord reports whether a record's URL carries something only the
	// member's signer makes, so that one made up for another iD is forged.
	PerRecord() bool
	// Name says where the URLs come from, without secrets.
	Name() string
}

// UnknownRow is the ORCID column of a callbacks file's row for a record
// the receiver does not know.
const UnknownRow = "unknown"

// templateCallbacks make URLs from a template (see CallbackURL).
type templateCallbacks struct{ url string }

// TemplateCallbacks are the callbacks of the receiver URL or template u.
func TemplateCallbacks(u string) Callbacks { return templateCallbacks{u} }

func (t templateCallbacks) URL(_ context.Context, id string) (string, error) {
	return CallbackURL(t.url, id), nil
}
func (t templateCallbacks) Unknown(context.Context) (string, string, error) {
	id := FreshORCID()
	return id, CallbackURL(t.url, id), nil
}
func (templateCallbacks) Records() []string { return nil }
func (templateCallbacks) PerRecord() bool   { return false }
func (t templateCallbacks) Name() string    { return t.url }

// fileCallbacks are the rows of a callbacks file.
type fileCallbacks struct {
	path       string
	urls       map[string]string
	ids        []string
	unknownURL string
}

// LoadCallbacks reads a callbacks file: JSON ([{"orcid","url"},…] or
// {"callbacks":[…]}) or CSV (orcid,url rows, an optional header), with one
// row whose orcid is "unknown": a validly formed callback of a record the
// receiver does not know.
func LoadCallbacks(path string) (Callbacks, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("callbacks file: %w", err)
	}
	rows, err := parseCallbackRows(b)
	if err != nil {
		return nil, fmt.Errorf("callbacks file %s: %w", path, err)
	}
	f := &fileCallbacks{path: path, urls: map[string]string{}}
	for i, r := range rows {
		where := fmt.Sprintf("row %d", i+1)
		if err := CheckCallback(r.URL); err != nil {
			return nil, fmt.Errorf("callbacks file %s: %s: %w", path, where, err)
		}
		switch {
		case r.ORCID == UnknownRow && f.unknownURL != "":
			return nil, fmt.Errorf("callbacks file %s: %s: a second %q row", path, where, UnknownRow)
		case r.ORCID == UnknownRow:
			f.unknownURL = r.URL
		case orcid.Validate(r.ORCID) != nil:
			return nil, fmt.Errorf("callbacks file %s: %s: %w (or %q for the unknown record's row)", path, where, orcid.Validate(r.ORCID), UnknownRow)
		case f.urls[r.ORCID] != "":
			return nil, fmt.Errorf("callbacks file %s: %s: %s is listed more than once", path, where, r.ORCID)
		default:
			f.urls[r.ORCID] = r.URL
			f.ids = append(f.ids, r.ORCID)
		}
	}
	switch {
	case len(f.ids) == 0:
		return nil, fmt.Errorf("callbacks file %s: no record rows (orcid,url)", path)
	case f.unknownURL == "":
		return nil, fmt.Errorf("callbacks file %s: no %q row: RCV-05 needs the callback URL of a record the receiver does not know, made as your app makes the others", path, UnknownRow)
	}
	return f, nil
}

// callbackRow is one row of a callbacks file.
type callbackRow struct {
	ORCID string `json:"orcid"`
	URL   string `json:"url"`
}

func parseCallbackRows(b []byte) ([]callbackRow, error) {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') {
		var rows []callbackRow
		if trimmed[0] == '{' {
			var wrapped struct {
				Callbacks []callbackRow `json:"callbacks"`
			}
			err := json.Unmarshal(trimmed, &wrapped)
			rows = wrapped.Callbacks
			if err != nil {
				return nil, fmt.Errorf(`JSON: %w (want [{"orcid":"…","url":"…"},…] or {"callbacks":[…]})`, err)
			}
		} else if err := json.Unmarshal(trimmed, &rows); err != nil {
			return nil, fmt.Errorf(`JSON: %w (want [{"orcid":"…","url":"…"},…])`, err)
		}
		return rows, nil
	}
	r := csv.NewReader(bytes.NewReader(trimmed))
	r.FieldsPerRecord = 2
	r.TrimLeadingSpace = true
	r.Comment = '#'
	var rows []callbackRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("CSV: %w (want orcid,url rows)", err)
		}
		if len(rows) == 0 && strings.EqualFold(rec[0], "orcid") && strings.EqualFold(rec[1], "url") {
			continue // the header
		}
		rows = append(rows, callbackRow{ORCID: strings.TrimSpace(rec[0]), URL: strings.TrimSpace(rec[1])})
	}
	return rows, nil
}

func (f *fileCallbacks) URL(_ context.Context, id string) (string, error) {
	u, ok := f.urls[id]
	if !ok {
		return "", fmt.Errorf("callbacks file %s has no row for %s", f.path, id)
	}
	return u, nil
}
func (f *fileCallbacks) Unknown(context.Context) (string, string, error) {
	return orcidIn(f.unknownURL), f.unknownURL, nil
}
func (f *fileCallbacks) Records() []string { return f.ids }
func (f *fileCallbacks) PerRecord() bool   { return true }
func (f *fileCallbacks) Name() string {
	return fmt.Sprintf("callbacks file %s (%d records)", f.path, len(f.ids))
}

// commandCallbacks run the member's own signer for each iD.
type commandCallbacks struct {
	cmd   string
	mu    sync.Mutex
	cache map[string]string
}

// CommandCallbacks make each record's URL by running cmd through sh -c
// with every {orcid} replaced by the iD; its first line of output is the
// URL. A member's own signer makes them so.
func CommandCallbacks(cmd string) (Callbacks, error) {
	if !strings.Contains(cmd, OrcidPlaceholder) {
		return nil, fmt.Errorf("callback command %q has no %s placeholder", cmd, OrcidPlaceholder)
	}
	return &commandCallbacks{cmd: cmd, cache: map[string]string{}}, nil
}

// CallbackCommandTimeout bounds one run of a callback command.
const CallbackCommandTimeout = 30 * time.Second

func (c *commandCallbacks) URL(ctx context.Context, id string) (string, error) {
	if !orcid.WellFormed(id) {
		return "", fmt.Errorf("callback command: refusing iD %q", id) // never pass odd text to a shell
	}
	c.mu.Lock()
	u, ok := c.cache[id]
	c.mu.Unlock()
	if ok {
		return u, nil
	}
	ctx, cancel := context.WithTimeout(ctx, CallbackCommandTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "sh", "-c", strings.ReplaceAll(c.cmd, OrcidPlaceholder, id))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("callback command (%s) for %s: %w: %s", c.Name(), id, err, snippet(stderr.Bytes()))
	}
	line, _, _ := strings.Cut(strings.TrimSpace(stdout.String()), "\n")
	u = strings.TrimSpace(line)
	if err := CheckCallback(u); err != nil {
		return "", fmt.Errorf("callback command (%s) for %s printed %q: %w", c.Name(), id, snippet([]byte(u)), err)
	}
	c.mu.Lock()
	c.cache[id] = u
	c.mu.Unlock()
	return u, nil
}

func (c *commandCallbacks) Unknown(ctx context.Context) (string, string, error) {
	id := FreshORCID()
	u, err := c.URL(ctx, id)
	return id, u, err
}
func (c *commandCallbacks) Records() []string { return nil }
func (c *commandCallbacks) PerRecord() bool   { return true }
func (c *commandCallbacks) Name() string      { return commandName(c.cmd) }

// commandName names a command line's program only: the rest, and any
// VAR=value before it, may carry a secret, and reports are shared.
func commandName(cmd string) string {
	for _, w := range strings.Fields(cmd) {
		if !envAssignment.MatchString(w) {
			return "command " + w + " …"
		}
	}
	return "command …"
}

// envAssignment is a shell word that sets a variable for the command.
var envAssignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// CallbackURLs are the callbacks of ids, made at most four at a time (a
// command's runs overlap so).
func CallbackURLs(ctx context.Context, cb Callbacks, ids []string) ([]string, error) {
	out := make([]string, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = cb.URL(ctx, id)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CheckCallback checks that u is an absolute http(s) callback URL.
func CheckCallback(u string) error {
	p, err := url.Parse(u)
	switch {
	case u == "":
		return fmt.Errorf("no callback URL")
	case err != nil:
		return fmt.Errorf("callback URL %q: %w", u, err)
	case (p.Scheme != "http" && p.Scheme != "https") || p.Host == "":
		return fmt.Errorf("callback URL %q: not an absolute http(s) URL", u)
	}
	return nil
}

// orcidPattern finds an iD in a URL.
var orcidPattern = regexp.MustCompile(`\d{4}-\d{4}-\d{4}-\d{3}[\dX]`)

// orcidIn is the first valid iD u names, or "".
func orcidIn(u string) string {
	for _, m := range orcidPattern.FindAllString(u, -1) {
		if orcid.Validate(m) == nil {
			return m
		}
	}
	return ""
}

// Forge makes a callback the member's signer never made: record a's URL
// ua with its iD replaced by b's when it shows it (a's signature over b's
// iD), else with the last letter or digit of its path changed (a broken
// signature; the iD is left as it is). It reports false when ua has
// nothing to tamper with.
func Forge(ua, a, b string) (string, bool) {
	if a != b && strings.Contains(ua, a) {
		return strings.ReplaceAll(ua, a, b), true
	}
	p, err := url.Parse(ua)
	if err != nil {
		return "", false
	}
	path := []byte(p.Path)
	inID := make([]bool, len(path))
	for off := 0; a != ""; {
		i := strings.Index(p.Path[off:], a)
		if i < 0 {
			break
		}
		for j := off + i; j < off+i+len(a); j++ {
			inID[j] = true
		}
		off += i + len(a)
	}
	for i := len(path) - 1; i >= 0; i-- {
		c := path[i]
		switch {
		case inID[i]:
			continue
		case c >= '0' && c <= '9':
			path[i] = '0' + (c-'0'+1)%10
		case c >= 'a' && c <= 'z':
			path[i] = 'a' + (c-'a'+1)%26
		case c >= 'A' && c <= 'Z':
			path[i] = 'A' + (c-'A'+1)%26
		default:
			continue
		}
		p.Path, p.RawPath = string(path), ""
		return p.String(), true
	}
	return "", false
}

// Origin is u's scheme and host: what names a receiver whose callbacks
// are per record.
func Origin(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Scheme + "://" + p.Host
}
