package loadgen

import (
	"context"
	"fmt"
	"io"
	"time"
)

// drain waits after the attack for the last notifications and retries:
// until until, or, with a watch, quiet after every accepted change was
// notified (long enough to see a duplicate at the first retry delay).
type drain struct {
	until    time.Time
	watch    *live // nil: wait until until
	quiet    time.Duration
	progress io.Writer     // a line every second (nil: none)
	status   func() string // running verdicts for the line (nil: none)
	tick     func()        // called on every look (nil: none)
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
			if owed = d.watch.owing(); owed == 0 {
				settled = true
				if q := time.Now().Add(d.quiet); q.Before(d.until) {
					d.until = q
				}
			}
		}
		if d.tick != nil {
			d.tick()
		}
		left := time.Until(d.until)
		if d.progress != nil && (left <= 0 || time.Since(shown) >= time.Second-drainTick/2) {
			shown = time.Now()
			status := ""
			if d.status != nil {
				status = "; " + d.status()
			}
			switch {
			case settled:
				fmt.Fprintf(d.progress, "\rload: every accepted change notified; watching for duplicates: %s left%s   ", left.Round(time.Second), status)
			case owed > 0:
				fmt.Fprintf(d.progress, "\rload: attack done; %d records await a notification; at most %s of %s left%s   ", owed, left.Round(time.Second), d.until.Sub(from).Round(time.Second), status)
			default:
				fmt.Fprintf(d.progress, "\rload: attack done; awaiting notifications and retries: %s of %s left%s   ", left.Round(time.Second), d.until.Sub(from).Round(time.Second), status)
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
