package steps

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/internal/random"
	"github.com/hookcheck/hookcheck/internal/redact"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
	"github.com/hookcheck/hookcheck/target"
)

// suite is what the scenarios of one run share.
type suite struct {
	cfg    Config
	target *target.Target
	api    *target.API
	redact *redact.Redactor
	recv   *receiver.Receiver
	// callbackBase is the URL prefix of every callback the suite registers.
	callbackBase string
	runID        string
	rec          *recorder

	tokens *target.Tokens

	mu         sync.Mutex
	scenarioNo int
}

// Run runs the suite as cfg says and returns its result. The error is for
// runs that could not start (receiver, features); a non-conforming target
// is a report.Result whose Verdict is report.VerdictFailure. When ctx is cancelled
// mid-run, the scenarios cut off are skipped as interrupted and the report.Result
// is partial (Interrupted set, Verdict not success).
func Run(ctx context.Context, cfg Config) (*report.Result, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &suite{cfg: cfg, target: cfg.Target, redact: &redact.Redactor{}, rec: newRecorder(), runID: random.Hex(4)}
	s.redact.Add(cfg.Target.Client.Secret)
	if sc := cfg.Target.SecondClient; sc != nil {
		s.redact.Add(sc.Secret)
	}
	if cfg.Target.Trigger == nil {
		return nil, fmt.Errorf("steps: target has no trigger")
	}
	s.redact.Add(cfg.Target.Trigger.Secrets()...)
	s.api = cfg.Target.API(s.redact)
	s.tokens = target.NewTokens(cfg.Target, s.api)

	addr := cfg.Target.ReceiverAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	srv, err := receiver.Listen(ctx, addr, receiver.Options{})
	if err != nil {
		return nil, fmt.Errorf("steps: receiver: %w", err)
	}
	defer srv.Close()
	s.recv = srv.Receiver()
	s.callbackBase = strings.TrimRight(cfg.Target.CallbackBase, "/")
	if s.callbackBase == "" {
		s.callbackBase = srv.URL()
	}

	paths, err := conformancePaths()
	if err != nil {
		return nil, err
	}
	conc := cfg.Concurrency
	if c := cfg.Target.Trigger.Capacity(); c > 0 && conc > c {
		conc = c
	}
	return cfg.run(ctx, godogRun{
		name: "hookcheck conformance (" + cfg.Profile.Name + ")", paths: paths, concurrency: conc,
		tags: conformanceTags(TagFilter(cfg.Profile, cfg.Tags)), init: s.initScenario, rec: s.rec, redact: s.redact,
	})
}

// TagFilter is the godog tag expression that selects the scenarios of
// profile p (dropping those tagged for other profiles), and extra if set.
func TagFilter(p judge.Profile, extra string) string {
	var parts []string
	for _, n := range judge.BuiltinNames() {
		if n != p.BaseName() {
			parts = append(parts, "~@profile-"+n)
		}
	}
	if extra = strings.TrimSpace(extra); extra != "" {
		parts = append(parts, extra)
	}
	return strings.Join(parts, " && ")
}

// initScenario gives each scenario its own state and the step definitions.
func (s *suite) initScenario(sc *godog.ScenarioContext) {
	st := &scenario{suite: s}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.rec.begin(p)
		st.begin(p)
		return ctx, nil
	})
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		st.cleanup(context.WithoutCancel(ctx))
		s.rec.end(p, err, st.skipReason, time.Since(st.started), st.observed)
		return ctx, nil
	})
	st.register(sc)
}
