package certify

import (
	"context"
	"fmt"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/target"
)

// judgeReads matches the flood's notifications to the record reads reg
// logged since cursor: the counts go into the flood's summary and the
// certification's; a notification answered 2xx without its read is a
// warning, or fails the flood with cfg.RequireRead.
func (c *Certification) judgeReads(ctx context.Context, cfg Config, reg *target.Target, cursor uint64, ids, callbacks []string, results []vegeta.Result) error {
	reads, dropped, err := reg.API(nil).Reads(ctx, cursor)
	if err != nil {
		return err
	}
	if dropped {
		c.Flood.Warnings = append(c.Flood.Warnings, "the registry's read log overflowed during the flood: its record reads were not matched to the notifications")
		return nil
	}
	record := make(map[string]string, len(callbacks))
	for i, u := range callbacks {
		record[u] = ids[i]
	}
	notes := make([]judge.Notification, 0, len(results))
	for _, r := range results {
		notes = append(notes, judge.Notification{Record: record[r.URL], Sent: r.Timestamp, Answered: r.Timestamp.Add(r.Latency), OK: r.Code >= 200 && r.Code <= 299})
	}
	rr := make([]judge.RecordRead, len(reads))
	for i, r := range reads {
		rr[i] = judge.RecordRead{Record: r.ORCID, At: r.At, Auth: r.Auth, Status: r.Status}
	}
	m := judge.MatchReads(notes, rr)
	c.Flood.Reads = &m
	if c.Reads == nil {
		c.Reads = &judge.ReadMatch{}
	}
	c.Reads.Add(m)
	if m.OK() {
		return nil
	}
	msg := fmt.Sprintf("%d of %d notifications answered 2xx came without a read of their record from the registry", m.Unmatched, m.Notifications)
	if cfg.RequireRead {
		c.FloodHeld, c.readsFailed = false, true
		if c.FloodReason == "failed: " {
			c.FloodReason += msg
		} else {
			c.FloodReason += ", " + msg
		}
		return nil
	}
	c.Flood.Warnings = append(c.Flood.Warnings, msg+" (a receiver that does not read the record does not act on the change)")
	return nil
}
