package features

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// ReceiverTag tags the feature of receiver certification ("hookcheck
// certify-receiver"); the conformance suite leaves such features out.
const ReceiverTag = "@receiver"

// FeatureTags returns the tags on the Feature line of the embedded file
// name (the tags written before "Feature:").
func FeatureTags(name string) ([]string, error) {
	b, err := FS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("features: read %s: %w", name, err)
	}
	var tags []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "@"):
			for _, f := range strings.Fields(line) {
				if strings.HasPrefix(f, "#") {
					break
				}
				tags = append(tags, f)
			}
			continue
		}
		break
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("features: read %s: %w", name, err)
	}
	return tags, nil
}

// Conformance lists the files of the conformance suite (every file whose
// Feature is not tagged ReceiverTag) in name order with their digests.
func Conformance() ([]File, error) { return selectFiles(false) }

// Receiver lists the files of receiver certification (those whose Feature
// is tagged ReceiverTag) in name order with their digests.
func Receiver() ([]File, error) { return selectFiles(true) }

func selectFiles(receiver bool) ([]File, error) {
	all, err := Files()
	if err != nil {
		return nil, err
	}
	out := make([]File, 0, len(all))
	for _, f := range all {
		tags, err := FeatureTags(f.Name)
		if err != nil {
			return nil, err
		}
		has := false
		for _, t := range tags {
			has = has || t == ReceiverTag
		}
		if has == receiver {
			out = append(out, f)
		}
	}
	return out, nil
}
