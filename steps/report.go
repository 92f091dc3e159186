package steps

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/hookcheck/hookcheck/features"
	"github.com/hookcheck/hookcheck/internal/version"
	"github.com/hookcheck/hookcheck/target"
)

// Report is the conformance report: what ran, against what, with which
// expectations, and what came of it.
type Report struct {
	Harness   string       `json:"harness"`
	Generated time.Time    `json:"generated_at"`
	Target    ReportTarget `json:"target"`
	Profile   string       `json:"profile"`
	Timing    ReportTiming `json:"timing"`
	TimeScale float64      `json:"time_scale"` // × real ORCID (5-minute window)
	Result    string       `json:"result"`     // success, partial or failure
	// Partial is set when the run did not finish (PartialReason says why,
	// e.g. "interrupted"): scenarios cut off are in Skipped, marked
	// interrupted.
	Partial       bool            `json:"partial"`
	PartialReason string          `json:"partial_reason,omitempty"`
	Counts        Counts          `json:"counts"`
	Areas         []AreaResult    `json:"areas"`
	Failed        []ReportItem    `json:"failed"`
	Skipped       []ReportItem    `json:"skipped"`
	Features      []features.File `json:"features"`
	Started       time.Time       `json:"started_at"`
	Duration      string          `json:"duration"`
}

// ReportTarget describes the system under test.
type ReportTarget struct {
	Kind          string `json:"kind"` // embedded or url
	URL           string `json:"url"`
	TokenURL      string `json:"token_url"`
	Version       string `json:"version"` // from /_hookcheck/info, or "unknown"
	Trigger       string `json:"trigger"`
	Callback      string `json:"callback_base,omitempty"`
	*target.Image `json:",omitempty"`
}

// ReportTiming is the declared timing the suite judged against.
type ReportTiming struct {
	Window          string `json:"window"`
	Retry           string `json:"retry"`
	RetryBase       string `json:"retry_base"`
	MaxAttempts     int    `json:"max_attempts"`
	CallbackTimeout string `json:"callback_timeout"`
	Tolerance       string `json:"tolerance"`
	MaxWait         string `json:"max_wait"`
}

// ReportItem is a failed or skipped scenario with the reason.
type ReportItem struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Area   string   `json:"area"`
	Core   bool     `json:"core"`
	Tags   []string `json:"tags"`
	Reason string   `json:"reason"`
	// Interrupted marks a scenario cut off by the interruption of the run.
	Interrupted bool `json:"interrupted,omitempty"`
}

// NewReport builds the conformance report of a run of cfg.
func NewReport(cfg Config, res *Result) (*Report, error) {
	files, err := features.Conformance()
	if err != nil {
		return nil, err
	}
	t := cfg.Timing
	r := &Report{
		Harness:   version.Harness(),
		Generated: time.Now().UTC(),
		Target: ReportTarget{
			Kind: cfg.Target.Kind, URL: cfg.Target.URL, TokenURL: cfg.Target.TokenURL,
			Version: cfg.Target.Version(), Callback: cfg.Target.CallbackBase,
			Image: cfg.Target.Image,
		},
		Profile: cfg.Profile.Name,
		Timing: ReportTiming{
			Window: t.Window.String(), Retry: string(t.Retry.Kind), RetryBase: t.Retry.Base.String(),
			MaxAttempts: t.Retry.MaxAttempts, CallbackTimeout: t.CallbackTimeout.String(),
			Tolerance: t.Tolerance.String(), MaxWait: cfg.MaxWait.String(),
		},
		TimeScale: t.Scale(),
		Result:    res.Verdict,
		Partial:   res.Interrupted,
		Counts:    res.Counts,
		Areas:     res.Areas,
		Failed:    []ReportItem{},
		Skipped:   []ReportItem{},
		Features:  files,
		Started:   res.Started.UTC(),
		Duration:  res.Duration.Round(time.Millisecond).String(),
	}
	if res.Interrupted {
		r.PartialReason = ReasonInterrupted
	}
	if cfg.Target.Trigger != nil {
		r.Target.Trigger = cfg.Target.Trigger.Name()
	}
	for _, s := range res.Scenarios {
		it := ReportItem{ID: s.ID, Name: s.Name, Area: s.Area, Core: s.Core, Tags: s.Tags, Reason: s.Message, Interrupted: s.Interrupted}
		switch s.Status {
		case StatusFailed, StatusUndefined:
			r.Failed = append(r.Failed, it)
		case StatusSkipped:
			r.Skipped = append(r.Skipped, it)
		}
	}
	return r, nil
}

// WriteFile writes the report as indented JSON.
func (r *Report) WriteFile(path string) error { return writeReport(path, r) }

// writeReport writes report r as indented JSON.
func writeReport(path string, r any) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
