package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hookcheck/hookcheck/fixtures/container"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// completionIndexField is where the Job controller's JOB_COMPLETION_INDEX
// reads a pod's index from.
const completionIndexField = "metadata.annotations['" + batchv1.JobCompletionIndexAnnotation + "']"

// cluster is what a kubelet would find for the manifests' pods: the
// ConfigMaps and Secrets they refer to, and where each claim's volume is on
// this machine.
type cluster struct {
	configMaps map[string]map[string]string
	secrets    map[string]map[string]string
	claims     map[string]string // claim name → host directory
	secretDir  string            // where secret volumes are written
}

// spec is how the Job controller and a kubelet would run job's one
// container in the pod with completion index idx and IP podIP, as a Docker
// container on host networking: the controller adds JOB_COMPLETION_INDEX
// to an Indexed Job's containers; the kubelet resolves envFrom and env,
// expands $(…) in command and args, mounts the volumes, and applies the
// security context and the limits.
func (cl *cluster) spec(job *batchv1.Job, image string, idx int, podIP string) (container.Spec, error) {
	pod := job.Spec.Template.Spec
	if len(pod.Containers) != 1 || len(pod.InitContainers) != 0 {
		return container.Spec{}, fmt.Errorf("job %s: want one container, no init containers", job.Name)
	}
	c := pod.Containers[0]
	fields := map[string]string{"status.podIP": podIP, "metadata.name": job.Name + "-" + strconv.Itoa(idx)}
	if job.Spec.CompletionMode != nil && *job.Spec.CompletionMode == batchv1.IndexedCompletion {
		fields[completionIndexField] = strconv.Itoa(idx)
		if !hasEnv(c.Env, "JOB_COMPLETION_INDEX") {
			c.Env = append(c.Env, corev1.EnvVar{Name: "JOB_COMPLETION_INDEX", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: completionIndexField}}})
		}
	}
	env, order, err := cl.env(c, fields)
	if err != nil {
		return container.Spec{}, fmt.Errorf("job %s, container %s: %w", job.Name, c.Name, err)
	}
	s := container.Spec{Image: image}
	for _, a := range c.Command {
		s.Entrypoint = append(s.Entrypoint, expand(a, env))
	}
	for _, a := range c.Args {
		s.Cmd = append(s.Cmd, expand(a, env))
	}
	for _, k := range order {
		s.Env = append(s.Env, k+"="+env[k])
	}
	if s.Binds, err = cl.binds(pod, c); err != nil {
		return container.Spec{}, fmt.Errorf("job %s, container %s: %w", job.Name, c.Name, err)
	}
	s.User, s.ReadOnlyRoot = user(pod.SecurityContext, c.SecurityContext)
	if cpu, ok := c.Resources.Limits[corev1.ResourceCPU]; ok {
		s.NanoCPUs = cpu.MilliValue() * 1_000_000
	}
	if mem, ok := c.Resources.Limits[corev1.ResourceMemory]; ok {
		s.Memory = mem.Value()
	}
	return s, nil
}

func hasEnv(env []corev1.EnvVar, name string) bool {
	for _, e := range env {
		if e.Name == name {
			return true
		}
	}
	return false
}

// env resolves c's environment: envFrom, then env (later names win), with
// $(…) in values expanded over the names defined before them.
func (cl *cluster) env(c corev1.Container, fields map[string]string) (map[string]string, []string, error) {
	env := map[string]string{}
	var order []string
	set := func(k, v string) {
		if _, ok := env[k]; !ok {
			order = append(order, k)
		}
		env[k] = v
	}
	for _, from := range c.EnvFrom {
		var data map[string]string
		var ok bool
		switch {
		case from.ConfigMapRef != nil:
			data, ok = cl.configMaps[from.ConfigMapRef.Name]
		case from.SecretRef != nil:
			data, ok = cl.secrets[from.SecretRef.Name]
		}
		if !ok {
			return nil, nil, fmt.Errorf("envFrom %+v: no such ConfigMap or Secret", from)
		}
		for k, v := range data {
			set(from.Prefix+k, v)
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			set(e.Name, expand(e.Value, env))
			continue
		}
		v, err := cl.valueFrom(e.ValueFrom, fields)
		if err != nil {
			return nil, nil, fmt.Errorf("env %s: %w", e.Name, err)
		}
		set(e.Name, v)
	}
	return env, order, nil
}

func (cl *cluster) valueFrom(src *corev1.EnvVarSource, fields map[string]string) (string, error) {
	lookup := func(objs map[string]map[string]string, kind, name, key string) (string, error) {
		v, ok := objs[name][key]
		if !ok {
			return "", fmt.Errorf("%s %s has no key %q", kind, name, key)
		}
		return v, nil
	}
	switch {
	case src.FieldRef != nil:
		v, ok := fields[src.FieldRef.FieldPath]
		if !ok {
			return "", fmt.Errorf("field %s is not known here", src.FieldRef.FieldPath)
		}
		return v, nil
	case src.SecretKeyRef != nil:
		return lookup(cl.secrets, "Secret", src.SecretKeyRef.Name, src.SecretKeyRef.Key)
	case src.ConfigMapKeyRef != nil:
		return lookup(cl.configMaps, "ConfigMap", src.ConfigMapKeyRef.Name, src.ConfigMapKeyRef.Key)
	}
	return "", fmt.Errorf("unsupported source %+v", src)
}

// binds mounts c's volumes: a claim's host directory, or a Secret's keys
// written as files (read-only, as the kubelet mounts them).
func (cl *cluster) binds(pod corev1.PodSpec, c corev1.Container) ([]string, error) {
	vols := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		vols[v.Name] = v
	}
	var binds []string
	for _, m := range c.VolumeMounts {
		v, ok := vols[m.Name]
		if !ok {
			return nil, fmt.Errorf("volume mount %s: no such volume", m.Name)
		}
		ro := m.ReadOnly
		var host string
		switch {
		case v.PersistentVolumeClaim != nil:
			if host, ok = cl.claims[v.PersistentVolumeClaim.ClaimName]; !ok {
				return nil, fmt.Errorf("volume %s: no claim %s here", m.Name, v.PersistentVolumeClaim.ClaimName)
			}
		case v.Secret != nil:
			data, ok := cl.secrets[v.Secret.SecretName]
			if !ok {
				return nil, fmt.Errorf("volume %s: no Secret %s", m.Name, v.Secret.SecretName)
			}
			host, ro = filepath.Join(cl.secretDir, v.Secret.SecretName), true
			if err := os.MkdirAll(host, 0o755); err != nil {
				return nil, err
			}
			for k, val := range data {
				if err := os.WriteFile(filepath.Join(host, k), []byte(val), 0o644); err != nil {
					return nil, err
				}
			}
		default:
			return nil, fmt.Errorf("volume %s: only claims and Secrets are mounted here", m.Name)
		}
		b := host + ":" + m.MountPath
		if ro {
			b += ":ro"
		}
		binds = append(binds, b)
	}
	return binds, nil
}

// user is the UID:GID the pod runs as (the container's settings win) and
// whether its root file system is read-only.
func user(pod *corev1.PodSecurityContext, c *corev1.SecurityContext) (string, bool) {
	var uid, gid *int64
	if pod != nil {
		uid, gid = pod.RunAsUser, pod.RunAsGroup
	}
	ro := false
	if c != nil {
		if c.RunAsUser != nil {
			uid = c.RunAsUser
		}
		if c.RunAsGroup != nil {
			gid = c.RunAsGroup
		}
		ro = c.ReadOnlyRootFilesystem != nil && *c.ReadOnlyRootFilesystem
	}
	if uid == nil {
		return "", ro
	}
	u := strconv.FormatInt(*uid, 10)
	if gid != nil {
		u += ":" + strconv.FormatInt(*gid, 10)
	}
	return u, ro
}
