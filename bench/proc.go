// Package bench measures hookcheck side by side with bare baselines, each
// side in its own process: CPU seconds and peak RSS from the kernel's
// accounting of the child, TIME_WAIT sockets from /proc/net/tcp, and the
// figures each child prints as one JSON line.
package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Usage is what the kernel counted for one child process.
type Usage struct {
	CPU time.Duration // user + system
	Sys time.Duration // system only
	// MaxRSS is the peak resident set in bytes: the child's VmHWM, sampled
	// until it exits (the kernel's ru_maxrss of a child starts from its
	// parent's, which would count this process's memory).
	MaxRSS int64
	Wall   time.Duration
	Exit   int
}

// Self is the program the children run: this executable.
func Self() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("bench: finding this program to run its children: %w", err)
	}
	return exe, nil
}

// selfAndDir finds this program and makes a temporary directory named
// after prefix for its children's files; remove the directory when done.
func selfAndDir(prefix string) (self, dir string, err error) {
	if self, err = Self(); err != nil {
		return "", "", err
	}
	dir, err = os.MkdirTemp("", prefix)
	return self, dir, err
}

// child is a started process whose first stdout line may be read.
type child struct {
	cmd   *exec.Cmd
	out   *bufio.Reader
	start time.Time
	err   strings.Builder
	stdin io.WriteCloser
	hwm   atomic.Int64
	done  chan struct{}
}

// start runs name with args; its stderr is kept for error messages.
func start(ctx context.Context, name string, args ...string) (*child, error) {
	c := &child{cmd: exec.CommandContext(ctx, name, args...)}
	c.cmd.Stderr = &c.err
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	c.out = bufio.NewReader(stdout)
	c.start = time.Now()
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: starting %s: %w", name, err)
	}
	c.done = make(chan struct{})
	go c.sampleHWM()
	return c, nil
}

// hwmEvery is how often the child's peak resident set is sampled.
const hwmEvery = 20 * time.Millisecond

// sampleHWM keeps the child's VmHWM (a high-water mark: the last sample
// is the peak until then) until it exits.
func (c *child) sampleHWM() {
	path := fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid)
	t := time.NewTicker(hwmEvery)
	defer t.Stop()
	for {
		if kb := vmHWM(path); kb > 0 {
			c.hwm.Store(kb << 10)
		}
		select {
		case <-t.C:
		case <-c.done:
			return
		}
	}
}

// vmHWM reads VmHWM (KiB) from a /proc/PID/status file; 0 when gone.
func vmHWM(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	_, rest, ok := strings.Cut(string(b), "VmHWM:")
	if !ok {
		return 0
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return 0
	}
	kb, _ := strconv.ParseInt(f[0], 10, 64)
	return kb
}

// line reads the child's next stdout line.
func (c *child) line() (string, error) {
	l, err := c.out.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("bench: %s printed no line (%w); stderr: %s", c.cmd.Args, err, c.stderr())
	}
	return strings.TrimSpace(l), nil
}

// json reads the child's next stdout line as JSON into v.
func (c *child) json(v any) error {
	l, err := c.line()
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(l), v); err != nil {
		return fmt.Errorf("bench: %s printed %.200q, not its figures: %w", c.cmd.Args, l, err)
	}
	return nil
}

// stderr is the end of what the child wrote to stderr.
func (c *child) stderr() string {
	s := c.err.String()
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}

// wait closes the child's stdin (children that serve stop on it), waits
// for the child and returns what it used. Any stdout not read is drained.
func (c *child) wait() (Usage, error) {
	c.stdin.Close()
	_, _ = io.Copy(io.Discard, c.out)
	err := c.cmd.Wait()
	close(c.done)
	u := Usage{Wall: time.Since(c.start), Exit: c.cmd.ProcessState.ExitCode(), MaxRSS: c.hwm.Load()}
	if ru, ok := c.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		u.Sys = time.Duration(ru.Stime.Nano())
		u.CPU = time.Duration(ru.Utime.Nano()) + u.Sys
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return u, fmt.Errorf("bench: %s: %w", c.cmd.Args, err)
	}
	return u, nil
}

// startJSON starts a child and reads its first line, JSON, into v (nil:
// none is read).
func startJSON(ctx context.Context, v any, name string, args ...string) (*child, error) {
	c, err := start(ctx, name, args...)
	if err != nil || v == nil {
		return c, err
	}
	if err := c.json(v); err != nil {
		c.wait()
		return nil, err
	}
	return c, nil
}

// run starts a child, reads its figures into v (nil: none) and waits.
func run(ctx context.Context, v any, name string, args ...string) (Usage, error) {
	c, err := startJSON(ctx, v, name, args...)
	if err != nil {
		return Usage{}, err
	}
	return c.wait()
}
