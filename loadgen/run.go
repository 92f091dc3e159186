package loadgen

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/internal/httpclient"
	"github.com/hookcheck/hookcheck/internal/redact"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
)

// Run registers the hooks, attacks with record changes, waits for the
// notifications to drain and analyses them. Cancelling ctx stops the attack
// and returns a Summary marked partial. Results, when cfg.KeepResults, are
// returned for plotting.
func Run(ctx context.Context, cfg Config) (*report.Summary, []vegeta.Result, error) {
	if cfg.Shard.N == 0 {
		cfg.Shard = Shard{0, 1}
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = strings.TrimRight(cfg.Target, "/") + "/oauth/token"
	}
	addr := cfg.ReceiverAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	srv, err := receiver.Listen(ctx, addr, receiver.Options{Logger: cfg.Logger, Keep: receiver.KeepAll}) // the batch judge reads them all
	if err != nil {
		return nil, nil, err
	}
	defer srv.Close()
	base, err := callbackBase(cfg, srv.URL())
	if err != nil {
		return nil, nil, err
	}
	secrets := &redact.Redactor{}
	secrets.Add(cfg.ClientSecret)
	for _, r := range cfg.Records {
		secrets.Add(r.UpdateToken)
	}
	api := target.NewURLTarget(cfg.Target, cfg.TokenURL, target.Credentials{ID: cfg.ClientID, Secret: cfg.ClientSecret}).API(secrets)
	token, _, err := api.Token(ctx, target.Credentials{ID: cfg.ClientID, Secret: cfg.ClientSecret}, "/webhook")
	if err != nil {
		return nil, nil, fmt.Errorf("token from %s: %w", cfg.TokenURL, secrets.Error(err))
	}
	records, global, err := shardRecords(ctx, api, cfg)
	if err != nil {
		return nil, nil, err
	}
	s := &report.Summary{Shards: []string{cfg.Shard.String()}, Target: cfg.Target, Profile: judge.ORCID().Name, Timing: cfg.Timing, Pacing: report.Pacing(cfg.Pacing), Records: len(records)}
	s.Pacing.Rate = cfg.shardPacing().Rate
	callbacks := make([]string, len(records))
	hooks := make(map[string]string, len(records))
	for i, r := range records {
		path := "/" + r.ORCID + "/updated"
		if failing(global[i], cfg.FailRatio) {
			path += "?script=" + url.QueryEscape(cfg.FailScript)
			s.Failing++
		}
		callbacks[i] = base + path
		hooks[path] = r.ORCID
	}
	cb := func(i int) string { return callbacks[i] }
	workers := cfg.workers()
	client := httpclient.New(httpclient.Options{Conns: workers, Timeout: 30 * time.Second})
	defer client.CloseIdleConnections() // before the servers close: no connection left for them to wait on
	if err := setup(ctx, client, http.MethodPut, cfg.Target, token, records, cb, secrets); err != nil {
		return nil, nil, fmt.Errorf("registering %d hooks: %w", len(records), err)
	}
	cfg.Logger.Info("hooks registered", "hooks", len(records), "failing", s.Failing)

	changes, answered, kept, resultsErr := attack(ctx, cfg, client, s, records, srv.Receiver())
	if ctx.Err() == nil {
		d := drain{until: time.Now().Add(cfg.DrainTime()), progress: cfg.Progress}
		if cfg.Drain == 0 { // computed: it may end once every change is notified
			d.watch, d.quiet = newDrainWatch(answered, srv.Receiver()), cfg.quiet()
		}
		d.wait(ctx, s.Ended)
	}
	s.Partial = ctx.Err() != nil
	obs := srv.Receiver().Observations()
	in := judge.Input{Profile: cfg.profile(), Changes: changes, Hooks: hooks, Observations: obs, End: time.Now()}
	if s.Partial {
		// notifications owed at the interruption would be counted lost
		in.End = s.Ended
	}
	if s.Notify, err = judge.All(in); err != nil {
		return nil, nil, err
	}
	s.PerWindow = perWindow(s.Started, cfg.Timing.Window, func(yield func(time.Time) bool) {
		for _, o := range obs {
			if !yield(o.At) {
				return
			}
		}
	})
	s.ChangesPerWindow = perWindow(s.Started, cfg.Timing.Window, func(yield func(time.Time) bool) {
		for _, at := range changes {
			for _, t := range at {
				if !yield(t) {
					return
				}
			}
		}
	})
	if ctx.Err() == nil { // leave the target as found; not on Ctrl-C
		if err := setup(ctx, client, http.MethodDelete, cfg.Target, token, records, cb, secrets); err != nil {
			s.Warnings = append(s.Warnings, "unregistering hooks: "+err.Error())
		}
	}
	if resultsErr != nil {
		return nil, nil, resultsErr
	}
	return s, kept, nil
}

// callbackBase is the URL at which the target reaches the receiver served
// at local.
func callbackBase(cfg Config, local string) (string, error) {
	switch {
	case cfg.CallbackBase != "":
		return strings.TrimRight(cfg.CallbackBase, "/"), nil
	case cfg.CallbackHost != "":
		u, err := url.Parse(local)
		if err != nil {
			return "", err
		}
		return "http://" + net.JoinHostPort(strings.Trim(cfg.CallbackHost, "[]"), u.Port()), nil
	}
	return local, nil
}

// attack sends the record changes by the plan and returns, per record, the
// send time of each change the target accepted, and when the last one's
// answer ended.
func attack(ctx context.Context, cfg Config, client *http.Client, s *report.Summary, records []target.Record, recv *receiver.Receiver) (map[string][]time.Time, map[string]time.Time, []vegeta.Result, error) {
	changes := make(map[string][]time.Time, len(records))
	answered := make(map[string]time.Time, len(records))
	a := pacedAttack{
		name: "load", targeter: ChangeTargeter(cfg.Target, records, !cfg.Control),
		plan: cfg.Shard.Plan(cfg.Pacing.Plan()), end: cfg.shardPacing().end(), workers: cfg.workers(), initial: cfg.shardPacing().InitialWorkers(cfg.workers()), client: client,
		results: cfg.Results, keep: cfg.KeepResults, progress: cfg.Progress, notified: recv.Count,
		each: func(r *vegeta.Result) {
			if r.Code/100 == 2 {
				id := orcid.Find(r.URL)
				changes[id] = append(changes[id], r.Timestamp)
				if e := r.End(); e.After(answered[id]) {
					answered[id] = e
				}
			}
		},
	}
	kept, err := a.run(ctx, s)
	return changes, answered, kept, err
}

// perWindow counts times per window since start.
func perWindow(start time.Time, w time.Duration, times iter.Seq[time.Time]) []uint64 {
	if w <= 0 {
		w = time.Second
	}
	var out []uint64
	for at := range times {
		i := int(max(at.Sub(start), 0) / w)
		if i >= len(out) {
			out = append(out, make([]uint64, i+1-len(out))...)
		}
		out[i]++
	}
	return out
}

// shardRecords creates this shard's records with the control API, or picks
// its share of the given ones; global holds each record's index in the
// whole run.
func shardRecords(ctx context.Context, api *target.API, cfg Config) ([]target.Record, []int, error) {
	var recs []target.Record
	var global []int
	if !cfg.Control {
		for k, r := range cfg.Records {
			if cfg.Shard.Owns(k) {
				recs, global = append(recs, r), append(global, k)
			}
		}
		return recs, global, nil
	}
	recs, err := api.CreateRecords(ctx, cfg.Shard.Count(cfg.NRecords))
	if err != nil {
		return nil, nil, err
	}
	for j := range recs {
		global = append(global, cfg.Shard.I+j*cfg.Shard.N)
	}
	return recs, global, nil
}

// setupRate and setupWorkers pace the registration and unregistration of
// the hooks: brisk, but kind to a real target.
const (
	setupRate    = 5000
	setupWorkers = 64
)

// setup registers (PUT) or unregisters (DELETE) every hook at setupRate,
// and fails unless each is answered 2xx.
func setup(ctx context.Context, client *http.Client, method, base, token string, records []target.Record, callback func(int) string, secrets *redact.Redactor) error {
	secrets.Add(token)
	plan := make([]time.Duration, len(records))
	for k := range plan {
		plan[k] = time.Duration(k) * time.Second / setupRate
	}
	var bad int
	var first string
	a := pacedAttack{
		name: strings.ToLower(method), targeter: HookTargeter(method, base, token, records, callback),
		plan: plan, workers: setupWorkers, client: client, bodies: true,
		each: func(r *vegeta.Result) {
			if r.Code/100 != 2 {
				if bad++; first == "" {
					first = fmt.Sprintf("%s %s: %d %s %.200s", r.Method, r.URL, r.Code, r.Error, secrets.String(string(r.Body)))
				}
			}
		},
	}
	if _, err := a.run(ctx, &report.Summary{}); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d not answered 2xx; first: %s", bad, len(records), first)
	}
	return nil
}
