package steps

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/target"
)

// needReads skips a scenario that judges what the receiver does with its
// record read when there is no read to script.
func (s *rcvScenario) needReads() error {
	switch {
	case s.suite.cfg.Registry == nil:
		return s.skip("no registry for the receiver to read records from: run with --registry embedded (or a hookcheck registry's URL) to judge its record reads")
	case !s.suite.cfg.ExpectRead:
		return s.skip("record reads are not expected (--expect-record-read=false)")
	}
	return nil
}

// refuseNextRead makes the registry refuse the record's next read with
// status: 403 as for a token whose access was revoked, 500 as a failing
// registry.
func (s *rcvScenario) refuseNextRead(ctx context.Context, status int) error {
	if err := s.needReads(); err != nil {
		return err
	}
	return s.suite.api.SetReadScript(ctx, s.record, fmt.Sprint(status))
}

// slowNextRead makes the record's next read take a quarter of the callback
// timeout.
func (s *rcvScenario) slowNextRead(ctx context.Context) error {
	if err := s.needReads(); err != nil {
		return err
	}
	return s.suite.api.SetReadScript(ctx, s.record, fmt.Sprintf("delay=%s", s.timeout()/4))
}

// forgedCallback makes a callback the member's signer never made, from a
// record's real one: with another record's iD under its signature, or
// with its signature changed.
func (s *rcvScenario) forgedCallback(ctx context.Context) error {
	cb := s.suite.cfg.Callbacks
	if !cb.PerRecord() {
		return s.skip("the callbacks come from a template (%s): they carry no per-record token to forge; give --callbacks or --callback-cmd when your callbacks are signed", cb.Name())
	}
	a, err := s.lease(ctx)
	if err != nil {
		return err
	}
	b := target.FreshORCID()
	if l := s.suite.cfg.Records; l != nil && l.Capacity() > 1 {
		if b, err = s.lease(ctx); err != nil {
			return err
		}
	}
	ua, err := cb.URL(ctx, a)
	if err != nil {
		return err
	}
	forged, ok := target.Forge(ua, a, b)
	if ok && strings.Contains(ua, a) {
		if ub, err := cb.URL(ctx, b); err == nil && ub == forged {
			forged, ok = target.Forge(ua, a, a) // the iD is not signed: change the token instead
		}
	}
	if !ok {
		return s.skip("the callback of %s has nothing to tamper with: %s", a, ua)
	}
	s.record, s.callback, s.forged = b, forged, []string{a, b}
	return nil
}

// answerIs4xx judges the answer to a forged callback.
func (s *rcvScenario) answerIs4xx() error {
	d, err := s.last()
	if err != nil {
		return err
	}
	if d.Status >= 400 && d.Status <= 499 {
		return nil
	}
	what := "a 4xx (404, 401 or 403): the callback's token is the only proof that the call comes from the registry"
	if d.OK() {
		return fmt.Errorf("expected a forged callback (one your signer never made) to be refused with %s; it was accepted: %s. Anyone who knows one callback URL can make the receiver work for any record", what, d.Describe())
	}
	return fmt.Errorf("expected a forged callback to be refused with %s; saw %s", what, d.Describe())
}

// answerAsksRetry judges the answer to a notification whose record read
// failed: a 503 (or 429) asks the registry to call again; a 2xx drops the
// change unless the receiver retries the read itself (noted); anything
// else is a failure of the receiver's error path.
func (s *rcvScenario) answerAsksRetry(ctx context.Context) (context.Context, error) {
	d, err := s.last()
	if err != nil {
		return ctx, err
	}
	switch {
	case d.Status == http.StatusServiceUnavailable || d.Status == http.StatusTooManyRequests:
		return ctx, nil
	case d.OK() && !d.TimedOut:
		return s.warn(ctx, "the receiver answered %d although its record read failed: the registry will not call again for this change, so unless the receiver retries the read itself the change is lost (503 asks the registry to retry): %s", d.Status, d.Describe()), nil
	case d.Status == http.StatusInternalServerError:
		return ctx, fmt.Errorf("expected a 503 Service Unavailable (the registry retries later) when the record read fails; saw a 500, a crash of the receiver's error path: %s", d.Describe())
	}
	return ctx, fmt.Errorf("expected a 503 Service Unavailable (the registry retries later) when the record read fails; saw %s: %s", d.Describe(), d.Fault(s.timeout()))
}

// reads returns the reads of the given records since the last When step.
func (s *rcvScenario) reads(ctx context.Context, ids ...string) ([]judge.RecordRead, error) {
	all, _, err := s.suite.api.Reads(ctx, s.cursor)
	if err != nil {
		return nil, err
	}
	var out []judge.RecordRead
	for _, r := range all {
		if slices.Contains(ids, r.ORCID) {
			out = append(out, judge.RecordRead{Record: r.ORCID, At: r.At, Auth: r.Auth, Status: r.Status})
		}
	}
	return out, nil
}

// everyNotificationRead matches each notification answered 2xx to a read
// of the record made before the answer: a missing one is a warning, or a
// failure with RequireRead.
func (s *rcvScenario) everyNotificationRead(ctx context.Context) (context.Context, error) {
	if !s.suite.cfg.ExpectRead {
		return ctx, nil
	}
	reads, err := s.reads(ctx, s.record)
	if err != nil {
		return ctx, err
	}
	notes := make([]judge.Notification, len(s.sent))
	for i, d := range s.sent {
		notes[i] = judge.Notification{Record: s.record, Sent: d.Sent, Answered: d.Sent.Add(d.Latency), OK: d.OK() && !d.TimedOut}
	}
	m := judge.MatchReads(notes, reads)
	s.suite.matched(s.id, m)
	if m.OK() {
		return ctx, nil
	}
	msg := fmt.Sprintf("the receiver answered 2xx without reading record %s from the registry (%s): %s; a receiver that does not read the record it is notified of does not act on the change",
		s.record, s.suite.cfg.Registry.URL, m)
	if s.suite.cfg.RequireRead {
		return ctx, fmt.Errorf("expected every notification answered 2xx to be matched to a read of its record (--require-record-read); %s", msg)
	}
	return s.warn(ctx, "%s", msg), nil
}

// readTheRecord checks that the receiver tried to read the record; if it
// did not, what it does with a failed read cannot be judged: a failure
// with RequireRead, else a skip that says so.
func (s *rcvScenario) readTheRecord(ctx context.Context) (context.Context, error) {
	reads, err := s.reads(ctx, s.record)
	if err != nil {
		return ctx, err
	}
	if len(reads) > 0 {
		return ctx, nil
	}
	d, _ := s.last()
	msg := fmt.Sprintf("the receiver did not read record %s from the registry (%s) when notified (%s)", s.record, s.suite.cfg.Registry.URL, d.Describe())
	if s.suite.cfg.RequireRead {
		return ctx, fmt.Errorf("expected the receiver to read the record it was notified of (--require-record-read); %s", msg)
	}
	return ctx, s.skip("%s, so its answer to a failed read was not judged", msg)
}

// readNoRecord checks that a forged callback made the receiver read
// neither the record it names nor the one it was made from.
func (s *rcvScenario) readNoRecord(ctx context.Context) error {
	if s.suite.api == nil {
		return nil // nothing to look at: the answer was judged
	}
	reads, err := s.reads(ctx, s.forged...)
	if err != nil {
		return err
	}
	if len(reads) > 0 {
		return fmt.Errorf("expected a forged callback to make the receiver do nothing; it read record %s from the registry (%d reads): anyone who knows one callback URL can make the receiver work", reads[0].Record, len(reads))
	}
	return nil
}
