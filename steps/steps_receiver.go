package steps

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
	"github.com/hookcheck/hookcheck/target"
)

// rcvScenario is the state of one running receiver-certification scenario.
type rcvScenario struct {
	suite      *certSuite
	id         string
	started    time.Time
	skipReason string
	releases   []func() // give the leased records back

	record   string            // the scenario's record
	callback string            // its callback URL on the receiver
	forged   []string          // the records a forged callback names or was made from
	cursor   uint64            // the registry's read log before the last When step
	mode     string            // how the last deliveries were sent, for messages
	sent     []target.Delivery // the calls of the last When step
}

func (s *rcvScenario) register(sc *godog.ScenarioContext) {
	sc.Step(`^a record the registry holds$`, redacted(s.suite.redact, s.recordHeld))
	sc.Step(`^a record the receiver cannot know$`, redacted(s.suite.redact, s.recordUnknown))
	sc.Step(`^a forged callback for a record the registry holds$`, redacted(s.suite.redact, s.forgedCallback))
	sc.Step(`^the registry refuses the next read of the record with (\d+)$`, redacted(s.suite.redact, s.refuseNextRead))
	sc.Step(`^the next read of the record takes a quarter of the callback timeout$`, redacted(s.suite.redact, s.slowNextRead))
	sc.Step(`^the registry POSTs an empty notification to the record's callback$`, redacted(s.suite.redact, s.postOne))
	sc.Step(`^the registry POSTs (\d+) notifications in a row to the record's callback$`, redacted(s.suite.redact, s.postInRow))
	sc.Step(`^the registry POSTs (\d+) notifications at once to the record's callback$`, redacted(s.suite.redact, s.postAtOnce))
	sc.Step(`^the harness sends GET, PUT and DELETE to the record's callback$`, redacted(s.suite.redact, s.otherMethods))
	sc.Step(`^the answer is a 2xx$`, redacted(s.suite.redact, s.answerIs2xx))
	sc.Step(`^an answer other than 204 is noted$`, redacted(s.suite.redact, s.noteNot204))
	sc.Step(`^the answer is a 2xx within half the callback timeout$`, redacted(s.suite.redact, s.answerInTime))
	sc.Step(`^the answer comes within the callback timeout$`, redacted(s.suite.redact, s.answerWithinTimeout))
	sc.Step(`^every answer is a 2xx$`, redacted(s.suite.redact, s.everyAnswer2xx))
	sc.Step(`^the answer is not a 5xx$`, redacted(s.suite.redact, s.answerNot5xx))
	sc.Step(`^the answer is a 4xx$`, redacted(s.suite.redact, s.answerIs4xx))
	sc.Step(`^the answer asks for a retry$`, redacted(s.suite.redact, s.answerAsksRetry))
	sc.Step(`^their answers are noted$`, redacted(s.suite.redact, s.noteAnswers))
	sc.Step(`^every notification answered 2xx was matched to a read of the record$`, redacted(s.suite.redact, s.everyNotificationRead))
	sc.Step(`^the receiver read the record$`, redacted(s.suite.redact, s.readTheRecord))
	sc.Step(`^the receiver read no record$`, redacted(s.suite.redact, s.readNoRecord))
}

func (s *rcvScenario) timeout() time.Duration { return s.suite.cfg.Timeout }

// note records an informational finding and attaches it to the scenario
// (cucumber JSON shows it as an embedding); warn records a warning.
func (s *rcvScenario) note(ctx context.Context, format string, args ...any) context.Context {
	return s.attach(ctx, s.suite.note(s.id, false, format, args...))
}

func (s *rcvScenario) warn(ctx context.Context, format string, args ...any) context.Context {
	return s.attach(ctx, "WARNING: "+s.suite.note(s.id, true, format, args...))
}

func (s *rcvScenario) attach(ctx context.Context, text string) context.Context {
	return godog.Attach(ctx, godog.Attachment{Body: []byte(text), FileName: s.id + "-note.txt", MediaType: "text/plain"})
}

// skip ends the scenario as skipped, with a reason for the reports.
func (s *rcvScenario) skip(format string, args ...any) error {
	s.skipReason = fmt.Sprintf(format, args...)
	return fmt.Errorf("%w: %s", godog.ErrSkip, s.skipReason)
}

func (s *rcvScenario) useRecord(ctx context.Context, id string) error {
	u, err := s.suite.cfg.Callbacks.URL(ctx, id)
	if err != nil {
		return err
	}
	s.record, s.callback = id, u
	return nil
}

// lease takes a record the receiver knows (see ReceiverConfig.Records),
// given back when the scenario ends.
func (s *rcvScenario) lease(ctx context.Context) (string, error) {
	l := s.suite.cfg.Records
	if l == nil && s.suite.cfg.Registry != nil {
		l = s.suite.cfg.Registry.Trigger
	}
	if l == nil {
		return target.FreshORCID(), nil
	}
	id, release, err := l.Lease(ctx)
	if err != nil {
		return "", fmt.Errorf("a record for the scenario: %w", err)
	}
	s.releases = append(s.releases, release)
	return id, nil
}

// recordHeld takes a record the receiver knows (and the registry holds).
func (s *rcvScenario) recordHeld(ctx context.Context) error {
	id, err := s.lease(ctx)
	if err != nil {
		return err
	}
	return s.useRecord(ctx, id)
}

// recordUnknown takes the callback of a record the receiver does not know.
func (s *rcvScenario) recordUnknown(ctx context.Context) error {
	id, u, err := s.suite.cfg.Callbacks.Unknown(ctx)
	if err != nil {
		return err
	}
	if id == "" {
		id = "(the unknown row's record)"
	}
	s.record, s.callback = id, u
	return nil
}

// send makes the When step's calls, noting the registry's read log first.
func (s *rcvScenario) send(ctx context.Context, mode string, calls func() []target.Delivery) error {
	s.mode = mode
	if s.suite.api != nil {
		c, err := s.suite.api.ReadCursor(ctx)
		if err != nil {
			return err
		}
		s.cursor = c
	}
	s.sent = calls()
	s.suite.called(s.id, s.sent, s.forged != nil)
	return ctx.Err()
}

func (s *rcvScenario) postOne(ctx context.Context) error {
	return s.send(ctx, "the notification", func() []target.Delivery {
		return []target.Delivery{s.suite.send.Send(ctx, http.MethodPost, s.callback, "")}
	})
}

func (s *rcvScenario) postInRow(ctx context.Context, n int) error {
	mode := fmt.Sprintf("%d notifications in a row (repeated deliveries of one change, as at-least-once delivery makes them)", n)
	return s.send(ctx, mode, func() []target.Delivery {
		var out []target.Delivery
		for range n {
			out = append(out, s.suite.send.Send(ctx, http.MethodPost, s.callback, ""))
			if ctx.Err() != nil {
				break
			}
		}
		return out
	})
}

func (s *rcvScenario) postAtOnce(ctx context.Context, n int) error {
	mode := fmt.Sprintf("%d concurrent notifications (duplicates for one record arriving at once, as at-least-once delivery makes them)", n)
	return s.send(ctx, mode, func() []target.Delivery {
		out := make([]target.Delivery, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				out[i] = s.suite.send.Send(ctx, http.MethodPost, s.callback, "")
			})
		}
		close(start)
		wg.Wait()
		return out
	})
}

func (s *rcvScenario) otherMethods(ctx context.Context) error {
	return s.send(ctx, "the other methods", func() []target.Delivery {
		var out []target.Delivery
		for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
			out = append(out, s.suite.send.Send(ctx, m, s.callback, ""))
		}
		return out
	})
}

func (s *rcvScenario) last() (target.Delivery, error) {
	if len(s.sent) == 0 {
		return target.Delivery{}, fmt.Errorf("no call was made on the receiver")
	}
	return s.sent[len(s.sent)-1], nil
}

// answerIs2xx judges a single empty notification.
func (s *rcvScenario) answerIs2xx(ctx context.Context) error {
	d, err := s.last()
	if err != nil {
		return err
	}
	if d.OK() && !d.TimedOut {
		return nil
	}
	msg := fmt.Sprintf("expected a 2xx (204 recommended) to an empty-body POST with \"Content-Length: 0\" within the callback timeout (%s); saw %s: %s",
		s.timeout(), d.Describe(), d.Fault(s.timeout()))
	if d.Status >= 400 && d.Status <= 499 {
		// Does it only refuse the empty body? ORCID never sends one.
		probe := s.suite.send.Send(ctx, http.MethodPost, s.callback, `{"hookcheck":"probe"}`)
		if probe.OK() {
			msg += fmt.Sprintf("; the receiver accepts a POST with a body (%d) but refuses the empty one (%d): ORCID's notification has an empty body and \"Content-Length: 0\", never a payload", probe.Status, d.Status)
		}
	}
	return fmt.Errorf("%s", msg)
}

func (s *rcvScenario) noteNot204(ctx context.Context) (context.Context, error) {
	d, err := s.last()
	if err != nil {
		return ctx, err
	}
	if d.Status != http.StatusNoContent {
		ctx = s.note(ctx, "the notification was answered %d, not the recommended 204 No Content (any 2xx is success): %s", d.Status, d.Describe())
	}
	return ctx, nil
}

// answerInTime checks that the answer was a 2xx that came within half the
// callback timeout: a fast 404 or 500 is no fast acceptance.
func (s *rcvScenario) answerInTime() error {
	d, err := s.last()
	if err != nil {
		return err
	}
	half := s.timeout() / 2
	switch {
	case d.TimedOut:
		return fmt.Errorf("expected the answer well inside the registry's callback timeout (under %s, half of %s); saw %s: %s",
			half, s.timeout(), d.Describe(), d.Fault(s.timeout()))
	case d.Status == 0:
		return fmt.Errorf("expected an answer under %s (half the callback timeout %s); saw %s", half, s.timeout(), d.Describe())
	case !d.OK():
		return fmt.Errorf("expected a 2xx well inside the callback timeout (under %s): only a 2xx ends the registry's deliveries, so the time of a %d does not count; saw %s: %s",
			half, d.Status, d.Describe(), d.Fault(s.timeout()))
	case d.Latency >= half:
		return fmt.Errorf("expected the answer well inside the registry's callback timeout (under %s, half of %s); it took %s, too close to the callback timeout: %s",
			half, s.timeout(), d.Latency.Round(time.Millisecond), d.Describe())
	}
	return nil
}

// answerWithinTimeout checks that an answer came before the registry gave up.
func (s *rcvScenario) answerWithinTimeout() error {
	d, err := s.last()
	if err != nil {
		return err
	}
	if d.TimedOut || d.Status == 0 {
		return fmt.Errorf("expected an answer within the registry's callback timeout (%s) even while the record read is slow; saw %s: %s", s.timeout(), d.Describe(), d.Fault(s.timeout()))
	}
	return nil
}

// everyAnswer2xx judges repeated or concurrent notifications.
func (s *rcvScenario) everyAnswer2xx() error {
	if len(s.sent) == 0 {
		return fmt.Errorf("no call was made on the receiver")
	}
	var bad []string
	codes := map[string]int{}
	for i, d := range s.sent {
		if d.OK() && !d.TimedOut {
			codes["2xx"]++
			continue
		}
		k := fmt.Sprint(d.Status)
		if d.Status == 0 {
			k = "no answer"
		}
		codes[k]++
		if len(bad) < 3 {
			bad = append(bad, fmt.Sprintf("#%d %s: %s", i+1, d.Describe(), d.Fault(s.timeout())))
		}
	}
	if codes["2xx"] == len(s.sent) {
		return nil
	}
	var tally []string
	for k, n := range codes {
		tally = append(tally, fmt.Sprintf("%s×%d", k, n))
	}
	sort.Strings(tally)
	return fmt.Errorf("expected all %s for record %s to be answered 2xx; %d of %d were not (%s); first failures: %s",
		s.mode, s.record, len(s.sent)-codes["2xx"], len(s.sent), strings.Join(tally, ", "), strings.Join(bad, "; "))
}

// answerNot5xx judges the notification for an unknown record.
func (s *rcvScenario) answerNot5xx(ctx context.Context) (context.Context, error) {
	d, err := s.last()
	if err != nil {
		return ctx, err
	}
	if d.Status == 0 || d.TimedOut || d.Status >= 500 {
		return ctx, fmt.Errorf("expected a notification for a record the receiver cannot know (%s) to be answered without a server error (2xx, or a 4xx if it must refuse); saw %s: %s",
			s.record, d.Describe(), d.Fault(s.timeout()))
	}
	if !d.OK() {
		ctx = s.note(ctx, "a notification for an unknown record was answered %d: the registry counts it as a failed delivery and retries it (a 2xx ends the retries): %s", d.Status, d.Describe())
	}
	return ctx, nil
}

// noteAnswers notes the answers to the other methods; it never fails.
func (s *rcvScenario) noteAnswers(ctx context.Context) (context.Context, error) {
	var parts []string
	for _, d := range s.sent {
		switch {
		case d.Status == 0:
			parts = append(parts, fmt.Sprintf("%s → no answer (%s)", d.Method, d.Latency.Round(time.Millisecond)))
		default:
			parts = append(parts, fmt.Sprintf("%s → %d", d.Method, d.Status))
		}
	}
	ctx = s.note(ctx, "answers to methods the registry never sends (informational) on %s: %s", s.callback, strings.Join(parts, ", "))
	return ctx, nil
}
