package judge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

func TestLoadProfileFile(t *testing.T) {
	p, err := LoadProfile("testdata/acme.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Schedule{Retry: timing.Retry{Kind: timing.Geometric, Base: 500 * time.Millisecond, Ratio: 1.5, MaxAttempts: 8}, Jitter: Jitter{Share: 0.5}}
	if p.Name != "acme" || p.Delivery.Body != BodyJSON || p.Window != 0 || !p.Retry.Equal(want.Retry) || p.Retry.Jitter != want.Jitter ||
		p.EventKey != (EventKey{KeyHeader, "x-acme-event"}) || !p.Delivery.Final.Has(404) || p.Delivery.Final.Has(500) || !p.Tolerance.Derived() {
		t.Errorf("acme.yaml = %+v", p)
	}
	// The same profile in JSON.
	js := `{"name":"acme","delivery":{"body":"json","final":[404,410],"timeout":"10s"},"retry":{"kind":"geometric","base":"500ms","ratio":1.5,"jitter":"50%","max_attempts":8},"window":"none","event_key":"header:x-acme-event"}`
	path := filepath.Join(t.TempDir(), "acme.json")
	os.WriteFile(path, []byte(js), 0o644)
	q, err := LoadProfile(path)
	if err != nil || q.Retry.String() != p.Retry.String() || q.Retry.Jitter != p.Retry.Jitter {
		t.Errorf("acme.json = %+v, %v", q, err)
	}
}

func TestParseProfileRefusesNamingTheField(t *testing.T) {
	tests := []struct{ doc, field string }{
		{"name: x\nretry: {kind: geometric, base: 1s}", "retry"},                   // no ratio
		{"name: x\nretry: {kind: geometric, base: 1s, ratio: 0.5}", "retry.ratio"}, // shrinking
		{"name: x\nretry: {kind: doubling, base: soon}", "retry.base"},             // not a duration
		{"name: x\nretry: {kind: doubling, base: 1s}\nretyr: {}", "retyr"},         // unknown field
		{"name: x\nretry: {kind: sometimes, base: 1s}", "retry.kind"},              // unknown kind
		{"name: x\nretry: {kind: list}", "retry"},                                  // no delays
		{"name: x\nretry: {kind: any}\ndelivery: {body: xml}", "delivery.body"},    // unknown body
		{"name: x\nretry: {kind: any}\nevent_key: cookie", "event_key"},            // bad key
		{"name: x\nretry: {kind: any}\ndelivery: {success: [2xx, 700]}", "delivery.success"},
		{"retry: {kind: any}", "name"},
		{"name: x\nretry: {kind: doubling, base: 1s}\nwindow: 1s\ntolerance: 2s", "tolerance"}, // batching cannot fail
		{"[1, 2", "YAML"},
	}
	for _, tt := range tests {
		_, err := ParseProfile([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%q: err %v, want one naming %s", tt.doc, err, tt.field)
		}
	}
}

func TestBuiltinsValidAndDistinct(t *testing.T) {
	for _, n := range BuiltinNames() {
		p, err := LoadProfile(n)
		if err != nil || p.Validate() != nil {
			t.Errorf("%s: %v %v", n, err, p.Validate())
		}
	}
	if _, err := LoadProfile("orcid-code"); err == nil || !strings.Contains(err.Error(), "orcid-registry") {
		t.Errorf("unknown profile: %v", err)
	}
	reg, _ := Builtin("orcid-registry")
	if reg.Retry.Kind != timing.Linear || reg.Retry.Base != 10*time.Minute || !reg.Retry.FromEnd || reg.Retry.MaxAttempts != 25 || reg.FirstNotification != time.Minute {
		t.Errorf("orcid-registry = %+v", reg)
	}
}
