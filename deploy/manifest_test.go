package deploy

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// TestManifestsDecodeStrictly decodes every manifest in deploy/ into the
// Kubernetes API types, unknown fields refused.
func TestManifestsDecodeStrictly(t *testing.T) {
	m, err := loadManifests(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.jobs) != 2 || len(m.configs) != 1 || len(m.claims) != 1 {
		t.Fatalf("deploy/ holds %d Jobs, %d ConfigMaps, %d claims; want 2, 1, 1", len(m.jobs), len(m.configs), len(m.claims))
	}
}

// TestDecodeRefuses shows that the decoding is strict: each of these is a
// manifest kubectl would reject or silently misread.
func TestDecodeRefuses(t *testing.T) {
	const job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown field", job + "  completionz: 4\n", `unknown field "spec.completionz"`},
		{"misplaced field", job + "  template:\n    spec:\n      parallelism: 2\n", `unknown field "spec.template.spec.parallelism"`},
		{"duplicate key", job + "  completions: 4\n  completions: 2\n", "already set"},
		{"wrong type", job + "  completions: four\n", "cannot unmarshal string"},
		{"bad quantity", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: x}\nspec: {resources: {requests: {storage: lots}}}\n", "quantities must match"},
		{"unknown kind", "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n", `unexpected kind "v1/Secret"`},
		{"second document", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndatum: {}\n", "document 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&manifests{}).decode("x.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestManifestContract checks the sharding contract on deploy/.
func TestManifestContract(t *testing.T) {
	m, err := loadManifests(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range contract(m) {
		t.Error(p)
	}
}

// TestContractCatches breaks deploy/'s manifests one way at a time: the
// contract check must name each break.
func TestContractCatches(t *testing.T) {
	m, err := loadManifests(".")
	if err != nil {
		t.Fatal(err)
	}
	load := func(m *manifests) *corev1.Container {
		l, _, _ := m.roles()
		return &l.Spec.Template.Spec.Containers[0]
	}
	merge := func(m *manifests) *corev1.Container {
		_, g, _ := m.roles()
		return &g.Spec.Template.Spec.Containers[0]
	}
	replaceArg := func(c *corev1.Container, prefix, with string) {
		for i, a := range c.Args {
			if strings.HasPrefix(a, prefix) {
				c.Args[i] = with
			}
		}
	}
	tests := []struct {
		name   string
		break_ func(m *manifests)
		want   string
	}{
		{"shard not from the index", func(m *manifests) { replaceArg(load(m), "--shard=", "--shard=0/4") }, "does not take the completion index"},
		{"n differs from completions", func(m *manifests) { replaceArg(load(m), "--shard=", "--shard=$(JOB_COMPLETION_INDEX)/3") }, "completions 4, but --shard splits into 3"},
		{"not Indexed", func(m *manifests) { l, _, _ := m.roles(); l.Spec.CompletionMode = nil }, "completionMode must be Indexed"},
		{"shards one at a time", func(m *manifests) { l, _, _ := m.roles(); one := int32(1); l.Spec.Parallelism = &one }, "parallelism 1 must equal completions 4"},
		{"shard retried", func(m *manifests) { l, _, _ := m.roles(); l.Spec.BackoffLimitPerIndex = nil }, "backoffLimitPerIndex must be 0"},
		{"threshold on a shard", func(m *manifests) { c := load(m); c.Args = append(c.Args, "--threshold=lost==0") }, "evaluate them at the merge"},
		{"no threshold at the merge", func(m *manifests) { c := merge(m); c.Args = dropArgs(c.Args, "--threshold=") }, "no --threshold"},
		{"bad threshold at the merge", func(m *manifests) { replaceArg(merge(m), "--threshold=lost", "--threshold=speed>1") }, `unknown metric "speed"`},
		{"merge does not wait", func(m *manifests) { c := merge(m); c.Args = dropArgs(c.Args, "--wait=") }, "no --wait"},
		{"merge reads other files", func(m *manifests) {
			c := merge(m)
			c.Args[len(c.Args)-1] = "/results/$(RUN_ID)-part-*.json"
		}, "does not match"},
		{"results not on the claim", func(m *manifests) {
			replaceArg(load(m), "--json=", "--json=/tmp/$(RUN_ID)-shard-$(JOB_COMPLETION_INDEX).json")
		}, "not on a persistentVolumeClaim"},
		{"claim not shared", func(m *manifests) {
			m.claims[0].Spec.AccessModes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
		}, "must be ReadWriteMany"},
		{"secret as a value", func(m *manifests) {
			c := load(m)
			for i := range c.Env {
				if c.Env[i].Name == "HOOKCHECK_CLIENT_SECRET" {
					c.Env[i].ValueFrom, c.Env[i].Value = nil, "s3cret"
				}
			}
		}, "HOOKCHECK_CLIENT_SECRET must come from a Secret"},
		{"secret in the args", func(m *manifests) { c := load(m); c.Args = append(c.Args, "--client-secret=s3cret") }, "--client-secret in the args"},
		{"secret in the ConfigMap", func(m *manifests) { m.configs[0].Data["CLIENT_SECRET"] = "s3cret" }, "holds CLIENT_SECRET"},
		{"records not on a Secret", func(m *manifests) { replaceArg(load(m), "--records-file=", "--records-file=/results/records.json") }, "must be on a Secret volume"},
		{"no limits", func(m *manifests) { load(m).Resources.Limits = nil }, "resources.limits.cpu is not set"},
		{"no memory request", func(m *manifests) { delete(merge(m).Resources.Requests, corev1.ResourceMemory) }, "resources.requests.memory is not set"},
		{"zero cpu", func(m *manifests) { load(m).Resources.Requests[corev1.ResourceCPU] = resource.MustParse("0") }, "resources.requests.cpu is not set"},
		{"undefined reference", func(m *manifests) { c := load(m); c.Args = append(c.Args, "--drain=$(DRAIN)") }, "refers to $(DRAIN)"},
		{"root", func(m *manifests) { l, _, _ := m.roles(); l.Spec.Template.Spec.SecurityContext = nil }, "runAsNonRoot must be true"},
		{"restarted", func(m *manifests) {
			l, _, _ := m.roles()
			l.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
		}, "want Never"},
		{"two images", func(m *manifests) { merge(m).Image = "hookcheck:other" }, "one harness version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := m.clone()
			tt.break_(c)
			got := strings.Join(contract(c), "\n")
			if !strings.Contains(got, tt.want) {
				t.Fatalf("contract problems:\n%s\nwant one containing %q", got, tt.want)
			}
		})
	}
}

// dropArgs removes the arguments with prefix.
func dropArgs(a []string, prefix string) []string {
	var keep []string
	for _, s := range a {
		if !strings.HasPrefix(s, prefix) {
			keep = append(keep, s)
		}
	}
	return keep
}
