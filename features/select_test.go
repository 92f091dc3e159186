package features

import "testing"

func TestSelect(t *testing.T) {
	all, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	conf, err := Conformance()
	if err != nil {
		t.Fatal(err)
	}
	recv, err := Receiver()
	if err != nil {
		t.Fatal(err)
	}
	if len(recv) != 1 || recv[0].Name != "receiver.feature" {
		t.Errorf("Receiver() = %+v, want receiver.feature only", recv)
	}
	if len(conf)+len(recv) != len(all) {
		t.Errorf("%d conformance + %d receiver files, %d in all", len(conf), len(recv), len(all))
	}
	for _, f := range conf {
		if f.Name == "receiver.feature" || len(f.SHA256) != 64 {
			t.Errorf("conformance file %+v", f)
		}
	}
	tags, err := FeatureTags("delivery.feature")
	if err != nil || len(tags) != 1 || tags[0] != "@delivery" {
		t.Errorf("FeatureTags(delivery.feature) = %v, %v", tags, err)
	}
}
