package judge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/hookcheck/hookcheck/docs"
	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// LoadProfile returns the built-in profile named nameOrFile or, when it
// names a file (a path, or a name ending in .yaml, .yml or .json), the
// profile the file declares.
func LoadProfile(nameOrFile string) (Profile, error) {
	if p, err := Builtin(nameOrFile); err == nil {
		return p, nil
	}
	ext := strings.ToLower(filepath.Ext(nameOrFile))
	if !strings.ContainsRune(nameOrFile, os.PathSeparator) && ext != ".yaml" && ext != ".yml" && ext != ".json" {
		return Builtin(nameOrFile)
	}
	b, err := os.ReadFile(nameOrFile)
	if err != nil {
		return Profile{}, fmt.Errorf("profile file: %w", err)
	}
	p, err := ParseProfile(b)
	if err != nil {
		return Profile{}, fmt.Errorf("profile file %s: %w", nameOrFile, err)
	}
	return p, nil
}

// ParseProfile reads a profile file, YAML or JSON, validated against
// docs/profile.schema.json: an unknown field, a wrong type or a missing
// one is an error naming the field.
func ParseProfile(b []byte) (Profile, error) {
	var doc any
	dec := yaml.NewDecoder(bytes.NewReader(b)) // YAML is a superset of JSON
	if err := dec.Decode(&doc); err != nil {
		return Profile{}, fmt.Errorf("not YAML or JSON: %w", err)
	}
	doc = jsonable(doc)
	sch, err := profileSchema()
	if err != nil {
		return Profile{}, err
	}
	if err := sch.Validate(doc); err != nil {
		return Profile{}, schemaError(err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return Profile{}, err
	}
	var f profileFile
	jd := json.NewDecoder(bytes.NewReader(js))
	jd.DisallowUnknownFields()
	if err := jd.Decode(&f); err != nil {
		return Profile{}, fmt.Errorf("profile: %w", err)
	}
	return f.profile()
}

// englishPrinter writes schema errors.
var englishPrinter = message.NewPrinter(language.English)

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

func profileSchema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(docs.ProfileSchema))
		if err != nil {
			schemaErr = fmt.Errorf("profile schema: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("profile.schema.json", doc); err != nil {
			schemaErr = fmt.Errorf("profile schema: %w", err)
			return
		}
		schema, schemaErr = c.Compile("profile.schema.json")
	})
	return schema, schemaErr
}

// schemaError names the fields a validation error is about, e.g.
// "retry.ratio: minimum: got 0.5, want 1".
func schemaError(err error) error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			field := strings.Join(e.InstanceLocation, ".")
			if field == "" {
				field = "(top level)"
			}
			out = append(out, field+": "+e.ErrorKind.LocalizedString(englishPrinter))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return fmt.Errorf("invalid profile: %s", strings.Join(out, "; "))
}

// jsonable turns what YAML decoded into what JSON would have: string keys.
func jsonable(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = jsonable(x)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[fmt.Sprint(k)] = jsonable(x)
		}
		return m
	case []any:
		for i, x := range t {
			t[i] = jsonable(x)
		}
		return t
	case int:
		return float64(t)
	}
	return v
}

// profileFile is the file form of a Profile (see the schema).
type profileFile struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Source      string `json:"source"`
	Schema      string `json:"$schema"`
	Delivery    struct {
		Method         string   `json:"method"`
		Body           string   `json:"body"`
		Headers        []string `json:"headers"`
		Success        []any    `json:"success"`
		Final          []any    `json:"final"`
		Timeout        string   `json:"timeout"`
		ConnectTimeout string   `json:"connect_timeout"`
	} `json:"delivery"`
	Retry struct {
		Kind        string   `json:"kind"`
		Base        string   `json:"base"`
		Ratio       float64  `json:"ratio"`
		Delays      []string `json:"delays"`
		MaxAttempts int      `json:"max_attempts"`
		Jitter      string   `json:"jitter"`
		Lag         string   `json:"lag"`
		From        string   `json:"from"`
	} `json:"retry"`
	Window            string `json:"window"`
	FirstNotification string `json:"first_notification"`
	EventKey          string `json:"event_key"`
	Signature         *struct {
		Scheme    string `json:"scheme"`
		Tolerance string `json:"tolerance"`
	} `json:"signature"`
	Tolerance       string `json:"tolerance"`
	SkipClientOn429 bool   `json:"skip_client_on_429"`
}

func (f profileFile) profile() (Profile, error) {
	p := Profile{Name: f.Name, Description: f.Description, Source: f.Source, SkipClientOn429: f.SkipClientOn429}
	var errs []error
	dur := func(field, s string) time.Duration {
		if s == "" {
			return 0
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		}
		return d
	}
	d := &p.Delivery
	d.Method, d.Body, d.Headers = f.Delivery.Method, BodyKind(f.Delivery.Body), f.Delivery.Headers
	if d.Method == "" {
		d.Method = "POST"
	}
	if d.Body == "" {
		d.Body = BodyAny
	}
	var err error
	if d.Success, err = parseCodes(f.Delivery.Success); err != nil {
		errs = append(errs, fmt.Errorf("delivery.success: %w", err))
	}
	if len(d.Success) == 0 {
		d.Success = Success2xx
	}
	if d.Final, err = parseCodes(f.Delivery.Final); err != nil {
		errs = append(errs, fmt.Errorf("delivery.final: %w", err))
	}
	d.Timeout = dur("delivery.timeout", f.Delivery.Timeout)
	d.ConnectTimeout = dur("delivery.connect_timeout", f.Delivery.ConnectTimeout)
	r := &p.Retry
	if f.Retry.Kind == "any" {
		r.Any = true
	} else {
		r.Kind = timing.Kind(f.Retry.Kind)
	}
	r.Base, r.Ratio, r.MaxAttempts = dur("retry.base", f.Retry.Base), f.Retry.Ratio, f.Retry.MaxAttempts
	for i, s := range f.Retry.Delays {
		r.Delays = append(r.Delays, dur(fmt.Sprintf("retry.delays.%d", i), s))
	}
	if f.Retry.Jitter != "" {
		if r.Jitter, err = ParseJitter(f.Retry.Jitter); err != nil {
			errs = append(errs, fmt.Errorf("retry.jitter: %w", err))
		}
	}
	r.Lag = dur("retry.lag", f.Retry.Lag)
	r.FromEnd = f.Retry.From == "end"
	if f.Window != "none" {
		p.Window = dur("window", f.Window)
	}
	p.FirstNotification = dur("first_notification", f.FirstNotification)
	if f.EventKey != "" {
		if p.EventKey, err = ParseEventKey(f.EventKey); err != nil {
			errs = append(errs, fmt.Errorf("event_key: %w", err))
		}
	}
	if s := f.Signature; s != nil {
		p.Signature = Signature{Scheme: s.Scheme, Tolerance: dur("signature.tolerance", s.Tolerance)}
	}
	p.Tolerance = Tolerance{Abs: dur("tolerance", f.Tolerance), Source: "profile " + f.Name}
	if p.Tolerance.Abs == 0 {
		p.Tolerance.Source = "derived: profile " + f.Name + " declares no tolerance"
	}
	if err := errors.Join(errs...); err != nil {
		return Profile{}, err
	}
	if err := p.Validate(); err != nil {
		return Profile{}, err
	}
	return p, nil
}

// parseCodes reads codes as in files: 204, "2xx", "200-299".
func parseCodes(vs []any) (Codes, error) {
	var out Codes
	for _, v := range vs {
		switch t := v.(type) {
		case float64:
			out = append(out, [2]int{int(t), int(t)})
		case string:
			if c, ok := strings.CutSuffix(t, "xx"); ok {
				n, err := strconv.Atoi(c)
				if err != nil {
					return nil, fmt.Errorf("%q: want 2xx, 200-299 or a code", t)
				}
				out = append(out, [2]int{n * 100, n*100 + 99})
				continue
			}
			lo, hi, _ := strings.Cut(t, "-")
			a, err1 := strconv.Atoi(lo)
			b, err2 := strconv.Atoi(hi)
			if err1 != nil || err2 != nil || a > b {
				return nil, fmt.Errorf("%q: want 2xx, 200-299 or a code", t)
			}
			out = append(out, [2]int{a, b})
		default:
			return nil, fmt.Errorf("%v: want 2xx, 200-299 or a code", v)
		}
	}
	return out, nil
}
