package deploy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// manifests are the objects deploy/ declares, decoded into the API types.
type manifests struct {
	jobs    []*batchv1.Job
	configs []*corev1.ConfigMap
	claims  []*corev1.PersistentVolumeClaim
}

// kinds maps each apiVersion/kind deploy/ may hold to a new object of its
// type. Secrets are not among them: they are made with kubectl, never
// committed.
var kinds = map[string]func() any{
	"batch/v1/Job":             func() any { return new(batchv1.Job) },
	"v1/ConfigMap":             func() any { return new(corev1.ConfigMap) },
	"v1/PersistentVolumeClaim": func() any { return new(corev1.PersistentVolumeClaim) },
}

// docSeparator splits a YAML stream into documents.
var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// loadManifests decodes every .yaml file under dir strictly: a field the
// API type does not have, a duplicate key or an unknown kind is an error
// naming the file and document.
func loadManifests(dir string) (*manifests, error) {
	m := &manifests{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(path) != ".yaml" && filepath.Ext(path) != ".yml") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return m.decode(path, b)
	})
	return m, err
}

// decode adds the objects of one YAML stream.
func (m *manifests) decode(name string, b []byte) error {
	for i, doc := range docSeparator.Split(string(b), -1) {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &tm); err != nil {
			return fmt.Errorf("%s, document %d: %w", name, i+1, err)
		}
		gvk := tm.APIVersion + "/" + tm.Kind
		newObj := kinds[gvk]
		if newObj == nil {
			return fmt.Errorf("%s, document %d: unexpected kind %q (deploy/ holds Jobs, ConfigMaps and PersistentVolumeClaims)", name, i+1, gvk)
		}
		obj := newObj()
		if err := decodeStrict([]byte(doc), obj); err != nil {
			return fmt.Errorf("%s, document %d (%s): %w", name, i+1, gvk, err)
		}
		switch o := obj.(type) {
		case *batchv1.Job:
			m.jobs = append(m.jobs, o)
		case *corev1.ConfigMap:
			m.configs = append(m.configs, o)
		case *corev1.PersistentVolumeClaim:
			m.claims = append(m.claims, o)
		}
	}
	return nil
}

// decodeStrict decodes one YAML document into obj as the API server's
// strict decoding does: keys match case-sensitively, and unknown or
// duplicate fields are errors that name the field's path.
func decodeStrict(doc []byte, obj any) error {
	j, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return err
	}
	strict, err := kjson.UnmarshalStrict(j, obj)
	if err != nil {
		return err
	}
	return errors.Join(strict...)
}

// stripComments drops YAML comment lines.
func stripComments(doc string) string {
	var keep []string
	for _, l := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// clone deep-copies m, for tests that alter it.
func (m *manifests) clone() *manifests {
	c := &manifests{}
	for _, j := range m.jobs {
		c.jobs = append(c.jobs, j.DeepCopy())
	}
	for _, o := range m.configs {
		c.configs = append(c.configs, o.DeepCopy())
	}
	for _, o := range m.claims {
		c.claims = append(c.claims, o.DeepCopy())
	}
	return c
}
