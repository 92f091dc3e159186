package steps

import (
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/judge"
)

// TestCheckTags: a --tags filter is checked against the embedded features
// before anything runs, under the profile's own filter.
func TestCheckTags(t *testing.T) {
	orcid, err := judge.LoadProfile("orcid")
	if err != nil {
		t.Fatal(err)
	}
	registry, err := judge.LoadProfile("orcid-registry")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		check   func() error
		refused string // "" when accepted
	}{
		{"none", func() error { return CheckConformanceTags(orcid, "") }, ""},
		{"core", func() error { return CheckConformanceTags(orcid, "@core") }, ""},
		{"or", func() error { return CheckConformanceTags(orcid, "@token,@nosuch") }, ""},
		{"not core", func() error { return CheckConformanceTags(orcid, "~@core") }, ""},
		{"unknown", func() error { return CheckConformanceTags(orcid, "@nosuch") }, `--tags "@nosuch" selects no scenario of the conformance suite (profile orcid)`},
		{"empty and", func() error { return CheckConformanceTags(orcid, "@core && ~@core") }, "nothing would be checked"},
		{"other profile's", func() error { return CheckConformanceTags(orcid, "@profile-orcid-registry") }, "profile orcid"},
		{"own profile's", func() error { return CheckConformanceTags(registry, "@profile-orcid-registry") }, ""},
		{"receiver's in conformance", func() error { return CheckConformanceTags(orcid, "@receiver") }, "selects no scenario"},
		{"receiver core", func() error { return CheckReceiverTags("@core") }, ""},
		{"receiver retry", func() error { return CheckReceiverTags("@retry") }, "its tags are @core @extended @receiver"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			switch {
			case tt.refused == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.refused != "" && err == nil:
				t.Errorf("accepted; want an error saying %q", tt.refused)
			case tt.refused != "" && !strings.Contains(err.Error(), tt.refused):
				t.Errorf("error %q does not say %q", err, tt.refused)
			}
		})
	}
}
