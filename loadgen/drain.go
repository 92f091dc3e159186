package loadgen

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
)

// drain waits after the attack for the last notifications and retries:
// until until, or, with a watch, quiet after every accepted change was
// notified (long enough to see a duplicate at the first retry delay).
type drain struct {
	until    time.Time
	watch    *drainWatch // nil: wait until until
	quiet    time.Duration
	progress io.Writer // a line every second (nil: none)
}

// drainTick is how often the watch looks at the new notifications.
const drainTick = 250 * time.Millisecond

// wait waits; from is when the attack ended (for the progress line).
func (d drain) wait(ctx context.Context, from time.Time) {
	t := time.NewTicker(drainTick)
	defer t.Stop()
	var shown time.Time
	settled := false
	for {
		owed := -1
		if d.watch != nil && !settled {
			if owed = d.watch.owed(); owed == 0 {
				settled = true
				if q := time.Now().Add(d.quiet); q.Before(d.until) {
					d.until = q
				}
			}
		}
		left := time.Until(d.until)
		if d.progress != nil && (left <= 0 || time.Since(shown) >= time.Second-drainTick/2) {
			shown = time.Now()
			switch {
			case settled:
				fmt.Fprintf(d.progress, "\rload: every accepted change notified; watching for duplicates: %s left                 ", left.Round(time.Second))
			case owed > 0:
				fmt.Fprintf(d.progress, "\rload: attack done; %d records await a notification; at most %s of %s left   ", owed, left.Round(time.Second), d.until.Sub(from).Round(time.Second))
			default:
				fmt.Fprintf(d.progress, "\rload: attack done; awaiting notifications and retries: %s of %s left   ", left.Round(time.Second), d.until.Sub(from).Round(time.Second))
			}
		}
		if left <= 0 {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
	if d.progress != nil {
		fmt.Fprintln(d.progress)
	}
}

// drainWatch tells when every change the target accepted has been
// notified: a call answered 2xx arrived after the change's answer.
type drainWatch struct {
	recv    *receiver.Receiver
	pending map[string]time.Time // record → end of its last accepted change
	seq     uint64               // the last call looked at
}

func newDrainWatch(answered map[string]time.Time, recv *receiver.Receiver) *drainWatch {
	pending := make(map[string]time.Time, len(answered))
	for id, t := range answered {
		pending[id] = t
	}
	return &drainWatch{recv: recv, pending: pending}
}

// owed looks at the calls since the last look and returns how many
// records still await a notification.
func (w *drainWatch) owed() int {
	for _, o := range w.recv.Since(w.seq) {
		w.seq = o.Seq
		if t, ok := w.pending[o.Record]; ok && o.OK() && o.At.After(t) {
			delete(w.pending, o.Record)
		}
	}
	return len(w.pending)
}
