package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// writeJSON writes report r to path as indented JSON. A regular file is
// replaced whole (written beside it, then renamed over it), so that a
// reader polling it, such as a merge waiting for shards, never sees it half
// written; anything else (a pipe, /dev/stdout) is written in place.
func writeJSON(path string, r any) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	b = append(b, '\n')
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = tmp.Write(b)
	err = errors.Join(err, tmp.Chmod(0o644), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
