package judge

import (
	"fmt"
	"slices"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
)

// orcidDelivery is ORCID's call: an empty POST with Content-Length: 0, no
// custom header, any 2xx a success, every other answer retried.
func orcidDelivery(timeout time.Duration) Delivery {
	return Delivery{Method: "POST", Body: BodyEmpty, Success: Success2xx, Timeout: timeout}
}

// builtins are the profiles the harness ships; files add others.
var builtins = map[string]Profile{
	"orcid": {
		Name:        "orcid",
		Description: "current ORCID docs: 5-minute batches, retries doubling the interval, Location on 201",
		Source:      "ORCID's webhook documentation (info.orcid.org)",
		Delivery:    orcidDelivery(20 * time.Second),
		Retry:       Schedule{Retry: timing.Retry{Kind: timing.Doubling, Base: 5 * time.Minute, MaxAttempts: 25}},
		Window:      5 * time.Minute,
		Tolerance:   Tolerance{Abs: time.Minute, Source: "profile orcid"},
	},
	"orcid-2013": {
		Name:        "orcid-2013",
		Description: "2013 ORCID docs: 5-minute batches, retries every 5 minutes",
		Source:      "ORCID's 2013 webhook tutorial",
		Delivery:    orcidDelivery(15 * time.Second),
		Retry:       Schedule{Retry: timing.Retry{Kind: timing.Fixed, Base: 5 * time.Minute, MaxAttempts: 25}},
		Window:      5 * time.Minute,
		Tolerance:   Tolerance{Abs: time.Minute, Source: "profile orcid-2013"},
	},
	"orcid-registry": {
		Name: "orcid-registry",
		Description: "what ORCID's code does: retries linear 10 min × n from the end of the failed call, 25 attempts, " +
			"20 s connect + 20 s request timeouts, first notification about a minute after a change, a 429 skips the client's other hooks for the run",
		Source: "ORCID-Source (WebhookManagerImpl, the dispatcher's SQL and settings)",
		Delivery: Delivery{Method: "POST", Body: BodyEmpty, Success: Success2xx,
			Timeout: 20 * time.Second, ConnectTimeout: 20 * time.Second},
		Retry:             Schedule{Retry: timing.Retry{Kind: timing.Linear, Base: 10 * time.Minute, MaxAttempts: 25}, FromEnd: true},
		Window:            5 * time.Minute,
		FirstNotification: time.Minute,
		Tolerance:         Tolerance{Abs: time.Minute, Source: "profile orcid-registry"},
		SkipClientOn429:   true,
	},
	"standard-webhooks": {
		Name: "standard-webhooks",
		Description: "Standard Webhooks 1.0: webhook-id, webhook-timestamp and webhook-signature headers, " +
			"HMAC-SHA256 v1 signatures, any 2xx a success, 410 ends retries, retried with backoff (no schedule prescribed)",
		Source: "the Standard Webhooks specification 1.0.0",
		Delivery: Delivery{Method: "POST", Body: BodyAny, Headers: []string{"webhook-id", "webhook-timestamp", "webhook-signature"},
			Success: Success2xx, Final: Codes{{410, 410}}, Timeout: 30 * time.Second},
		Retry:     Schedule{Any: true},
		EventKey:  EventKey{From: KeyHeader, Name: "webhook-id"},
		Signature: Signature{Scheme: SchemeStandardWebhooks, Tolerance: 5 * time.Minute},
		Tolerance: Tolerance{Source: "derived: profile standard-webhooks declares no tolerance"},
	},
}

// Builtin returns the named built-in profile, or an error listing them.
func Builtin(name string) (Profile, error) {
	if p, ok := builtins[name]; ok {
		return p.clone(), nil
	}
	return Profile{}, fmt.Errorf("unknown profile %q (known: %v; or a profile file)", name, BuiltinNames())
}

// BuiltinNames lists the built-in profiles, sorted.
func BuiltinNames() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// clone copies p's slices, so that a caller may change what it got.
func (p Profile) clone() Profile {
	p.Delivery.Headers = slices.Clone(p.Delivery.Headers)
	p.Delivery.Success = slices.Clone(p.Delivery.Success)
	p.Delivery.Final = slices.Clone(p.Delivery.Final)
	p.Retry.Delays = slices.Clone(p.Retry.Delays)
	p.Args = slices.Clone(p.Args)
	return p
}
