package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/pprof"
)

// CheckWritable says, before a run, whether the file an output flag names
// can be written, so that a bad path fails at once and not after the run.
// It leaves no file behind that was not there.
func CheckWritable(flag, path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s %s: is a directory", flag, path)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		if f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
			defer os.Remove(path)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: cannot write the file: %w", flag, err)
	}
	return f.Close()
}

// CheckWritables checks each flag → path pair with CheckWritable.
func CheckWritables(outputs ...[2]string) error {
	for _, o := range outputs {
		if err := CheckWritable(o[0], o[1]); err != nil {
			return err
		}
	}
	return nil
}

// StartCPUProfile profiles this process's CPU into path until stop.
func StartCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
