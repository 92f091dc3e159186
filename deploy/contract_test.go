package deploy

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hookcheck/hookcheck/loadgen"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// shardArg is the load Job's --shard argument: the completion index of n.
var shardArg = regexp.MustCompile(`^--shard=\$\(JOB_COMPLETION_INDEX\)/([0-9]+)$`)

// args is a Job's container arguments (flags in --name=value form).
func args(j *batchv1.Job) []string { return j.Spec.Template.Spec.Containers[0].Args }

// flags returns the values of --name=… in a.
func flags(a []string, name string) []string {
	var vs []string
	for _, s := range a {
		if v, ok := strings.CutPrefix(s, "--"+name+"="); ok {
			vs = append(vs, v)
		}
	}
	return vs
}

// positional returns the arguments that are not flags, after the subcommand words.
func positional(a []string, words int) []string {
	var ps []string
	for _, s := range a[min(words, len(a)):] {
		if !strings.HasPrefix(s, "-") {
			ps = append(ps, s)
		}
	}
	return ps
}

// roles picks the load Job (`load …`) and the merge Job (`load merge …`).
func (m *manifests) roles() (load, merge *batchv1.Job, err error) {
	for _, j := range m.jobs {
		if len(j.Spec.Template.Spec.Containers) != 1 {
			return nil, nil, fmt.Errorf("job %s: want one container", j.Name)
		}
		a := args(j)
		switch {
		case len(a) > 1 && a[0] == "load" && a[1] == "merge":
			if merge != nil {
				return nil, nil, fmt.Errorf("two merge Jobs: %s and %s", merge.Name, j.Name)
			}
			merge = j
		case len(a) > 0 && a[0] == "load":
			if load != nil {
				return nil, nil, fmt.Errorf("two load Jobs: %s and %s", load.Name, j.Name)
			}
			load = j
		}
	}
	if load == nil || merge == nil {
		return nil, nil, fmt.Errorf("want a load Job (args: load …) and a merge Job (args: load merge …)")
	}
	return load, merge, nil
}

// shards is the load Job's n, from its --shard argument.
func shards(load *batchv1.Job) (int, error) {
	vs := flags(args(load), "shard")
	if len(vs) != 1 {
		return 0, fmt.Errorf("load Job %s: want one --shard=$(JOB_COMPLETION_INDEX)/N, got %q", load.Name, vs)
	}
	g := shardArg.FindStringSubmatch("--shard=" + vs[0])
	if g == nil {
		return 0, fmt.Errorf("load Job %s: --shard=%s does not take the completion index: want --shard=$(JOB_COMPLETION_INDEX)/N", load.Name, vs[0])
	}
	return strconv.Atoi(g[1])
}

// contract lists how m breaks the sharding contract: an Indexed Job whose
// index becomes --shard, results a merge Job reads and judges with the
// thresholds, credentials from a Secret, resources set.
func contract(m *manifests) []string {
	load, merge, err := m.roles()
	if err != nil {
		return []string{err.Error()}
	}
	var bad []string
	fail := func(format string, a ...any) { bad = append(bad, fmt.Sprintf(format, a...)) }
	spec := load.Spec
	n, err := shards(load)
	if err != nil {
		fail("%v", err)
	}
	switch {
	case spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion:
		fail("load Job %s: completionMode must be Indexed (the index is the shard)", load.Name)
	case spec.Completions == nil || int(*spec.Completions) != n:
		fail("load Job %s: completions %v, but --shard splits into %d", load.Name, deref(spec.Completions), n)
	case spec.Parallelism == nil || *spec.Parallelism != *spec.Completions:
		fail("load Job %s: parallelism %v must equal completions %d: every shard runs at once, each at its share of the rate", load.Name, deref(spec.Parallelism), *spec.Completions)
	}
	if spec.BackoffLimitPerIndex == nil || *spec.BackoffLimitPerIndex != 0 {
		fail("load Job %s: backoffLimitPerIndex must be 0: a rerun shard changes its records twice, and a failed shard must not stop the others", load.Name)
	}
	if t := flags(args(load), "threshold"); len(t) > 0 {
		fail("load Job %s: thresholds %q on a shard judge a part of the run; evaluate them at the merge", load.Name, t)
	}
	limits := flags(args(merge), "threshold")
	if len(limits) == 0 {
		fail("merge Job %s: no --threshold: the merged run is what the thresholds gate", merge.Name)
	}
	for _, l := range limits {
		if _, err := loadgen.ParseThreshold(l); err != nil {
			fail("merge Job %s: %v", merge.Name, err)
		}
	}
	if len(flags(args(merge), "wait")) != 1 {
		fail("merge Job %s: no --wait: started with the shards, it must wait for their results", merge.Name)
	}
	bad = append(bad, results(m, load, merge, n)...)
	bad = append(bad, credentials(m, load)...)
	for _, j := range m.jobs {
		bad = append(bad, pod(m, j)...)
	}
	if a, b := load.Spec.Template.Spec.Containers[0].Image, merge.Spec.Template.Spec.Containers[0].Image; a != b {
		fail("the load Job runs %s, the merge Job %s: one harness version must write and read the results", a, b)
	}
	return bad
}

func deref(p *int32) any {
	if p == nil {
		return "unset"
	}
	return *p
}

// results checks that every shard's --json lies on a ReadWriteMany claim
// that the merge Job mounts at the same path, and matches the merge's pattern.
func results(m *manifests, load, merge *batchv1.Job, n int) []string {
	var bad []string
	out := flags(args(load), "json")
	pattern := positional(args(merge), 2)
	if len(out) != 1 || !strings.Contains(out[0], "$(JOB_COMPLETION_INDEX)") {
		return []string{fmt.Sprintf("load Job %s: want one --json=…$(JOB_COMPLETION_INDEX)…, a file per shard; got %q", load.Name, out)}
	}
	if len(pattern) != 1 {
		return []string{fmt.Sprintf("merge Job %s: want one pattern of shard files, got %q", merge.Name, pattern)}
	}
	sample := func(s string, i int) string {
		s = strings.ReplaceAll(s, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i))
		return regexp.MustCompile(`\$\([A-Za-z_][A-Za-z0-9_]*\)`).ReplaceAllString(s, "v")
	}
	for i := range n {
		if ok, err := path.Match(sample(pattern[0], 0), sample(out[0], i)); !ok || err != nil {
			bad = append(bad, fmt.Sprintf("shard %d writes %s, which the merge pattern %s does not match", i, out[0], pattern[0]))
		}
	}
	loadClaim, loadPath := claimAt(load, path.Dir(out[0]))
	mergeClaim, mergePath := claimAt(merge, path.Dir(pattern[0]))
	switch {
	case loadClaim == "":
		bad = append(bad, fmt.Sprintf("load Job %s: %s is not on a persistentVolumeClaim volume", load.Name, out[0]))
	case loadClaim != mergeClaim || loadPath != mergePath:
		bad = append(bad, fmt.Sprintf("shards write to claim %q at %s, the merge reads claim %q at %s", loadClaim, loadPath, mergeClaim, mergePath))
	default:
		var claim *corev1.PersistentVolumeClaim
		for _, c := range m.claims {
			if c.Name == loadClaim {
				claim = c
			}
		}
		if claim == nil {
			bad = append(bad, fmt.Sprintf("claim %s is not declared in deploy/", loadClaim))
		} else if !slices.Contains(claim.Spec.AccessModes, corev1.ReadWriteMany) {
			bad = append(bad, fmt.Sprintf("claim %s has access modes %v: every shard pod and the merge mount it at once, from any node, so it must be ReadWriteMany", claim.Name, claim.Spec.AccessModes))
		}
	}
	return bad
}

// claimAt is the claim mounted at dir (or a parent of it) in j, and its
// mount path.
func claimAt(j *batchv1.Job, dir string) (claim, mountPath string) {
	pod := j.Spec.Template.Spec
	for _, mt := range pod.Containers[0].VolumeMounts {
		if dir != mt.MountPath && !strings.HasPrefix(dir, strings.TrimRight(mt.MountPath, "/")+"/") {
			continue
		}
		for _, v := range pod.Volumes {
			if v.Name == mt.Name && v.PersistentVolumeClaim != nil {
				return v.PersistentVolumeClaim.ClaimName, mt.MountPath
			}
		}
	}
	return "", ""
}

// credentials checks that the client credentials and the records' update
// tokens come from Secrets, never from the manifests.
func credentials(m *manifests, load *batchv1.Job) []string {
	var bad []string
	c := load.Spec.Template.Spec.Containers[0]
	for _, name := range []string{"HOOKCHECK_CLIENT_ID", "HOOKCHECK_CLIENT_SECRET"} {
		i := slices.IndexFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == name })
		if i < 0 || c.Env[i].ValueFrom == nil || c.Env[i].ValueFrom.SecretKeyRef == nil {
			bad = append(bad, fmt.Sprintf("load Job %s: %s must come from a Secret (valueFrom.secretKeyRef)", load.Name, name))
		}
	}
	for _, f := range []string{"client-id", "client-secret"} {
		if len(flags(c.Args, f)) > 0 {
			bad = append(bad, fmt.Sprintf("load Job %s: --%s in the args is visible to anyone who can read the Job; use the Secret", load.Name, f))
		}
	}
	for _, cm := range m.configs {
		for k := range cm.Data {
			if u := strings.ToUpper(k); strings.Contains(u, "SECRET") || strings.Contains(u, "TOKEN") || strings.Contains(u, "PASSWORD") {
				bad = append(bad, fmt.Sprintf("ConfigMap %s holds %s: secrets belong in a Secret", cm.Name, k))
			}
		}
	}
	records := flags(c.Args, "records-file")
	if len(records) != 1 || !onSecret(load, records[0]) {
		bad = append(bad, fmt.Sprintf("load Job %s: --records-file %q must be on a Secret volume (it holds update tokens)", load.Name, records))
	}
	return bad
}

// onSecret reports whether file is on a Secret volume of j.
func onSecret(j *batchv1.Job, file string) bool {
	pod := j.Spec.Template.Spec
	for _, mt := range pod.Containers[0].VolumeMounts {
		if !strings.HasPrefix(file, strings.TrimRight(mt.MountPath, "/")+"/") {
			continue
		}
		for _, v := range pod.Volumes {
			if v.Name == mt.Name && v.Secret != nil {
				return true
			}
		}
	}
	return false
}

// pod checks what every Job's pod needs: resources, a non-root user, a
// Never restart policy, and every $(NAME) in its command and args defined.
func pod(m *manifests, j *batchv1.Job) []string {
	var bad []string
	p := j.Spec.Template.Spec
	if p.RestartPolicy != corev1.RestartPolicyNever {
		bad = append(bad, fmt.Sprintf("job %s: restartPolicy %q, want Never: a restarted container reruns its part", j.Name, p.RestartPolicy))
	}
	if p.SecurityContext == nil || p.SecurityContext.RunAsNonRoot == nil || !*p.SecurityContext.RunAsNonRoot {
		bad = append(bad, fmt.Sprintf("job %s: securityContext.runAsNonRoot must be true (the image runs as 65532)", j.Name))
	}
	for _, c := range p.Containers {
		for _, kind := range []struct {
			name string
			list corev1.ResourceList
		}{{"requests", c.Resources.Requests}, {"limits", c.Resources.Limits}} {
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if q, ok := kind.list[r]; !ok || q.IsZero() {
					bad = append(bad, fmt.Sprintf("job %s, container %s: resources.%s.%s is not set", j.Name, c.Name, kind.name, r))
				}
			}
		}
		defined := map[string]bool{}
		if j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batchv1.IndexedCompletion {
			defined["JOB_COMPLETION_INDEX"] = true // set by the Job controller
		}
		for _, e := range c.Env {
			defined[e.Name] = true
		}
		for _, from := range c.EnvFrom {
			for _, cm := range m.configs {
				if from.ConfigMapRef != nil && from.ConfigMapRef.Name == cm.Name {
					for k := range cm.Data {
						defined[from.Prefix+k] = true
					}
				}
			}
		}
		for _, a := range append(slices.Clone(c.Command), c.Args...) {
			for _, ref := range references(a) {
				if !defined[ref] {
					bad = append(bad, fmt.Sprintf("job %s, container %s: %q refers to $(%s), which no env, envFrom ConfigMap in deploy/ or the Job controller defines", j.Name, c.Name, a, ref))
				}
			}
		}
	}
	return bad
}
