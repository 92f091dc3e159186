package steps

import "testing"

func TestConformanceTagsLeaveOutReceiver(t *testing.T) {
	if got := conformanceTags("~@profile-orcid-2013 && @core"); got != "~@profile-orcid-2013 && @core && ~@receiver" {
		t.Errorf("conformanceTags = %q", got)
	}
	if got := andTags("@receiver", " "); got != "@receiver" {
		t.Errorf("andTags = %q", got)
	}
}
