package steps

import (
	"testing"

	"github.com/hookcheck/hookcheck/fixtures/registry"
)

func TestProtoORCIDRegistry(t *testing.T) {
	res, out := runEmbedded(t, "orcid", func(c *registry.Config) { c.Behaviour = registry.BehaviourORCIDRegistry }, nil)
	t.Logf("verdict %s counts %+v failed %v", res.Verdict, res.Counts, res.Failed())
	for _, id := range res.Failed() {
		sr, _ := res.Scenario(id)
		t.Logf("%s: %s", id, sr.Message)
	}
	_ = out
}
