package target

import "testing"

func TestCallbackURL(t *testing.T) {
	const id = "0009-0000-0000-0007"
	for u, want := range map[string]string{
		"https://m.example/orcid/{orcid}/updated": "https://m.example/orcid/" + id + "/updated",
		"https://m.example/hook?id={orcid}":       "https://m.example/hook?id=" + id,
		"https://m.example/orcid":                 "https://m.example/orcid/" + id,
		"https://m.example/orcid/":                "https://m.example/orcid/" + id,
		"http://m.example/cb?key=k":               "http://m.example/cb/" + id + "?key=k",
	} {
		if got := CallbackURL(u, id); got != want {
			t.Errorf("CallbackURL(%q) = %q, want %q", u, got, want)
		}
	}
	for _, bad := range []string{"", "ftp://m.example/x", "/relative", "http://{orcid}/x", "m.example/x"} {
		if CheckReceiverURL(bad) == nil {
			t.Errorf("CheckReceiverURL(%q) accepted", bad)
		}
	}
}
