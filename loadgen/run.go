package loadgen

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
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
// and returns a Summary marked partial. The run is judged as it goes (see
// live), in memory that does not grow with its length. Results, when
// cfg.KeepResults, are a bounded sample (PlotSample) for plotting.
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
	var feed atomic.Pointer[live] // set once the hooks are known: calls before are not judged
	srv, err := receiver.Listen(ctx, addr, receiver.Options{Logger: cfg.Logger, Log: cfg.Log, Subscriber: func(o receiver.Observation) {
		if l := feed.Load(); l != nil {
			l.observe(o)
		}
	}})
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
	token, resp, err := api.Token(ctx, target.Credentials{ID: cfg.ClientID, Secret: cfg.ClientSecret}, "/webhook")
	if err != nil && resp != nil && resp.Status >= 400 && resp.Status < 500 {
		return nil, nil, fmt.Errorf("%w: token from %s: %w", target.ErrConfig, cfg.TokenURL, secrets.Error(err))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("token from %s: %w", cfg.TokenURL, secrets.Error(err))
	}
	records, global, err := shardRecords(ctx, api, cfg)
	if err != nil {
		return nil, nil, err
	}
	s := &report.Summary{Shards: []string{cfg.Shard.String()}, Target: cfg.Target, Profile: cfg.profile().Name, JudgedBy: new(cfg.profile()), ProfileArgs: cfg.profile().Args, Timing: cfg.Timing, Pacing: report.Pacing(cfg.Pacing), Records: len(records)}
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
	lv, err := newLive(cfg.profile(), hooks, time.Now(), cfg.Timing.Window)
	if err != nil {
		return nil, nil, err
	}
	feed.Store(lv)
	workers := cfg.workers()
	client := httpclient.New(httpclient.Options{Conns: workers, Timeout: 30 * time.Second})
	defer client.CloseIdleConnections() // before the servers close: no connection left for them to wait on
	if err := setup(ctx, client, http.MethodPut, cfg.Target, token, records, cb, secrets); err != nil {
		return nil, nil, fmt.Errorf("registering %d hooks: %w", len(records), err)
	}
	cfg.Logger.Info("hooks registered", "hooks", len(records), "failing", s.Failing)

	in := interim{cfg: &cfg, live: lv, s: s}
	kept, resultsErr := attack(ctx, cfg, client, s, records, lv, in.tick)
	if ctx.Err() == nil {
		d := drain{until: time.Now().Add(cfg.DrainTime()), progress: cfg.Progress, status: lv.status, tick: func() { in.tick(s) }}
		if cfg.Drain == 0 { // computed: it may end once every change is notified
			d.watch, d.quiet = lv, cfg.quiet()
		}
		d.wait(ctx, s.Ended)
	}
	s.Partial = ctx.Err() != nil
	end := time.Now()
	if s.Partial {
		// notifications owed at the interruption would be counted lost
		end = s.Ended
	}
	s.Notify, s.PerWindow = lv.finish(end)
	if cfg.RegistryLag != nil {
		l := cfg.RegistryLag()
		s.RegistryLag = &report.RegistryLag{Calls: l.Calls, Late: l.Late, BoundS: judge.Seconds(l.Bound), WorstS: judge.Seconds(l.Worst)}
	}
	s.ChangesPerWindow = lv.changes()
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

// attack sends the record changes by the plan and feeds each change the
// target accepted to lv; it returns the results sampled for the plot.
func attack(ctx context.Context, cfg Config, client *http.Client, s *report.Summary, records []target.Record, lv *live, tick func(*report.Summary)) ([]vegeta.Result, error) {
	a := pacedAttack{
		name: "load", targeter: ChangeTargeter(cfg.Target, records, !cfg.Control),
		plan: cfg.Shard.Plan(cfg.Pacing.Plan()), end: cfg.shardPacing().end(), workers: cfg.workers(), initial: cfg.shardPacing().InitialWorkers(cfg.workers()), client: client,
		results: cfg.Results, progress: cfg.Progress, status: lv.status, tick: tick,
		each: func(r *vegeta.Result) {
			if r.Code/100 == 2 {
				lv.change(orcid.Find(r.URL), r.Timestamp, r.End())
			}
		},
	}
	if cfg.KeepResults {
		a.sample = PlotSample
	}
	lv.begin(time.Now())
	return a.run(ctx, s)
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

// setupWorkers bounds the registration and unregistration of the hooks:
// at most that many requests at once, each sent as soon as a worker is
// free, so as fast as the target answers and never more at once. (Pacing
// them at 5,000/s cost 2.5 times the CPU: a paced send wakes the process
// each time, a busy pool does not.)
const setupWorkers = 64

// setup registers (PUT) or unregisters (DELETE) every hook with at most
// setupWorkers at once, and fails unless each is answered 2xx.
func setup(ctx context.Context, client *http.Client, method, base, token string, records []target.Record, callback func(int) string, secrets *redact.Redactor) error {
	secrets.Add(token)
	plan := make([]time.Duration, len(records)) // every send due at once
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
