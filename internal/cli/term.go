package cli

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Colour reports whether output to w may carry ANSI colours: only on a
// terminal, and not when NO_COLOR is set (no-color.org) or TERM is dumb.
func Colour(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return IsTerminal(w)
}

// Progress is where a live progress line ("\r…" rewritten in place) goes:
// w itself on a terminal; elsewhere (a CI log, a file) a writer that turns
// the rewrites into plain lines, at most one per every, so that a log gets
// periodic lines instead of one line of carriage returns. Text without a
// leading "\r" passes through.
func Progress(w io.Writer, every time.Duration) io.Writer {
	if w == nil || IsTerminal(w) && os.Getenv("TERM") != "dumb" {
		return w
	}
	return &lines{w: w, every: every, now: time.Now}
}

// lines is Progress off a terminal.
type lines struct {
	mu    sync.Mutex
	w     io.Writer
	every time.Duration
	now   func() time.Time
	last  time.Time
	held  string // the newest progress line not yet written
	wrote string // the progress line written last
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !bytes.HasPrefix(p, []byte("\r")) {
		l.flush()
		if len(bytes.TrimSpace(p)) == 0 {
			return len(p), nil // the newline that ends a live line: ours end in one
		}
		_, err := l.w.Write(p)
		return len(p), err
	}
	l.held = strings.TrimRight(strings.TrimLeft(string(p), "\r"), " \r\n")
	// a tick a little early still counts: progress ticking exactly every
	// D must not come out every 2D
	if l.now().Sub(l.last) >= l.every-l.every/10 {
		l.flush()
	}
	return len(p), nil
}

// flush writes the held progress line, if any and not the same as the
// last one written.
func (l *lines) flush() {
	if l.held == "" || l.held == l.wrote {
		l.held = ""
		return
	}
	io.WriteString(l.w, l.held+"\n")
	l.held, l.wrote, l.last = "", l.held, l.now()
}
