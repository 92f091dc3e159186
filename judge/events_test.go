package judge

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/webhooksig"
)

// webhookEvent is one event a JSON-posting dispatcher sends: its id and body.
type webhookEvent struct {
	id   string
	body []byte
}

func webhookEvents(n int, prefix string) []webhookEvent {
	out := make([]webhookEvent, n)
	for i := range out {
		id := fmt.Sprintf("%s_%d", prefix, i+1)
		out[i] = webhookEvent{id, fmt.Appendf(nil, `{"type":"invoice.paid","id":%q,"data":{"n":%d}}`, id, i)}
	}
	return out
}

// jsonRequests is a request builder for ev: a JSON POST carrying the
// event's id in header idHeader and, with a secret, signed by Standard
// Webhooks at the attempt's time shifted by skew.
func jsonRequests(ctx context.Context, url string, ev webhookEvent, idHeader string, secret *webhooksig.Secret, skew time.Duration) func() *http.Request {
	return func() *http.Request {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(ev.body))
		req.Header.Set("Content-Type", "application/json")
		if secret != nil {
			webhooksig.SetHeaders(req.Header, ev.id, time.Now().Add(skew), ev.body, *secret)
		} else {
			req.Header.Set(idHeader, ev.id)
		}
		return req
	}
}

// deliverAll sends evs on one callback url, each started stagger after the
// previous: their retries interleave.
func deliverAll(ctx context.Context, s *sender, evs []webhookEvent, stagger time.Duration, req func(webhookEvent) func() *http.Request) {
	var wg sync.WaitGroup
	for i, ev := range evs {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * stagger)
			s.send(ctx, req(ev))
		})
	}
	wg.Wait()
}

// acmeProfile is a profile file for a non-ORCID dispatcher: JSON bodies,
// doubling from 100 ms with up to 50 ms of jitter, no batching; key is its
// event key line.
func acmeProfile(t *testing.T, key string) Profile {
	t.Helper()
	doc := "name: acme\ndelivery: {body: json, headers: [x-event-id]}\nretry: {kind: doubling, base: 100ms, jitter: 50ms, max_attempts: 10}\nwindow: none\n" + key
	path := filepath.Join(t.TempDir(), "acme.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Three events interleaved on one callback are never fitted as one
// sequence: without an event key the overlap is reported, with one each
// event is judged on its own.
func TestInterleavedEvents(t *testing.T) {
	t.Parallel()
	s := &sender{delay: func(n int) time.Duration { return 100 * time.Millisecond << (n - 1) }, jitter: 50 * time.Millisecond, rng: rand.New(rand.NewPCG(7, 7))}
	log := serve(t, receiver.Options{}, func(ctx context.Context, base string) {
		url := base + "/hooks/acme?script=" + fails(12) // the callback fails 12 calls, whoever makes them
		deliverAll(ctx, s, webhookEvents(3, "evt"), 30*time.Millisecond, func(ev webhookEvent) func() *http.Request {
			return jsonRequests(ctx, url, ev, "x-event-id", nil, 0)
		})
	})
	mixed, err := AnalyzeLog(log, acmeProfile(t, ""), LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := check(mixed, "events"); c.Result != Fail || !strings.Contains(c.Reason, "mix several events on one callback") {
		t.Errorf("without an event key: events %s: %s", c.Result, c.Reason)
	}
	if c := check(mixed, "retry schedule"); c.Result != Fail || !strings.Contains(c.Reason, "cannot be judged") || mixed.Passed {
		t.Errorf("without an event key: retry schedule %s: %s", c.Result, c.Reason)
	}
	keyed, err := AnalyzeLog(log, acmeProfile(t, "event_key: header:x-event-id"), LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !keyed.Passed || keyed.Figures.Deliveries != 3 || keyed.Figures.Delivered != 3 || keyed.Observed.Retry.Sequences != 3 {
		t.Errorf("with --event-key header:x-event-id: passed %v, figures %+v", keyed.Passed, keyed.Figures)
		for _, c := range keyed.Checks {
			t.Logf("%s %s: %s %q", c.Result, c.Name, c.Reason, c.Examples)
		}
	}
	t.Logf("without a key: %s; with one: %s", check(mixed, "events").Reason, check(keyed, "retry schedule").Reason)
}

// A Standard Webhooks sender (signed JSON, webhook-id, doubling with
// jitter, three events interleaved on one URL) passes; a wrong secret, a
// stale timestamp and an id reused after its 2xx each fail, named; the live
// receiver answers 401 to a bad signature and the sender's retries of it
// are judged.
func TestStandardWebhooksSender(t *testing.T) {
	t.Parallel()
	secret := webhooksig.NewSecret(32)
	wrong := webhooksig.NewSecret(32)
	p, err := Builtin("standard-webhooks")
	if err != nil {
		t.Fatal(err)
	}
	verify := receiver.Verify{Scheme: receiver.SchemeStandardWebhooks, Secret: secret.Reveal()}
	newSender := func(seed uint64) *sender {
		return &sender{delay: func(n int) time.Duration { return 100 * time.Millisecond << (n - 1) }, jitter: 50 * time.Millisecond, maxAttempts: 5, rng: rand.New(rand.NewPCG(seed, 8))}
	}
	tests := []struct {
		name    string
		key     webhooksig.Secret
		skew    time.Duration
		reuse   bool // a fourth event reuses the first one's id after its 2xx
		check   string
		reason  string
		example string
	}{
		{name: "signed", key: secret},
		{name: "wrong secret", key: wrong, check: "signature", reason: "invalid", example: "signature invalid"},
		{name: "stale timestamp", key: secret, skew: -10 * time.Minute, check: "signature", reason: "stale", example: "signature stale"},
		{name: "id reused after its 2xx", key: secret, reuse: true, check: "duplicates", reason: "delivered again after their 2xx", example: "event evt_1 delivered again"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSender(uint64(i))
			log := serve(t, receiver.Options{Verify: verify}, func(ctx context.Context, base string) {
				url := base + "/webhooks?script=500,500,500,204,500,500,204" // some failures, shared by the events
				evs := webhookEvents(3, "evt")
				deliverAll(ctx, s, evs, 20*time.Millisecond, func(ev webhookEvent) func() *http.Request {
					return jsonRequests(ctx, url, ev, "", &tt.key, tt.skew)
				})
				if tt.reuse {
					again := webhookEvent{evs[0].id, []byte(`{"type":"invoice.voided","id":"other"}`)}
					s.send(ctx, jsonRequests(ctx, url, again, "", &tt.key, 0))
				}
			})
			verifier, err := LogVerifier(secret.Reveal(), 0)
			if err != nil {
				t.Fatal(err)
			}
			a, err := AnalyzeLog(log, p, LogOptions{Signature: verifier})
			if err != nil {
				t.Fatal(err)
			}
			if tt.check == "" {
				if !a.Passed || a.Figures.Deliveries != 3 || a.Figures.Delivered != 3 || a.Figures.Signatures["valid"] != a.Figures.Calls {
					t.Errorf("a signed sender: passed %v, figures %+v", a.Passed, a.Figures)
					for _, c := range a.Checks {
						t.Logf("%s %s: %s %q", c.Result, c.Name, c.Reason, c.Examples)
					}
				}
				t.Logf("signed: %s; %s", check(a, "signature").Reason, check(a, "retry schedule").Reason)
				return
			}
			c := check(a, tt.check)
			if c.Result != Fail || !strings.Contains(c.Reason, tt.reason) || len(c.Examples) == 0 || !strings.Contains(c.Examples[0], tt.example) || a.Passed {
				t.Errorf("%s: %s %s: %s %q", tt.name, c.Result, c.Name, c.Reason, c.Examples)
			}
			if tt.check == "signature" {
				// The live receiver answered 401, the sender retried: the retries were judged.
				if a.Figures.Failed != a.Figures.Calls || a.Figures.RetryGaps == 0 || a.Observed.Retry.Gaps == 0 {
					t.Errorf("%s: retries of the 401s not judged: %+v", tt.name, a.Figures)
				}
			}
			t.Logf("%s: %s; e.g. %q", tt.name, c.Reason, c.Examples)
		})
	}
}
