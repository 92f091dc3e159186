package steps

import (
	"context"
	"fmt"
	"testing"

	"github.com/hookcheck/hookcheck/report"
)

func TestScenarioID(t *testing.T) {
	tests := []struct{ name, want string }{
		{"REG-01 Registering a new hook answers 201 Created", "REG-01"},
		{"DEL-03-204 A 204 answer is a success", "DEL-03-204"},
		{"RET-01-timeout A timeout is a failure", "RET-01-timeout"},
		{"no id here", "no id here"},
	}
	for _, tt := range tests {
		if got := scenarioID(tt.name); got != tt.want {
			t.Errorf("scenarioID(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestVerdicts(t *testing.T) {
	tests := []struct {
		name   string
		input  []report.ScenarioResult
		result string
	}{
		{"all passed", []report.ScenarioResult{{Area: "a", Status: report.StatusPassed, Core: true}}, report.VerdictSuccess},
		{"extended skipped", []report.ScenarioResult{{Area: "a", Status: report.StatusPassed, Core: true}, {Area: "a", Status: report.StatusSkipped}}, report.VerdictSuccess},
		{"core skipped", []report.ScenarioResult{{Area: "a", Status: report.StatusPassed}, {Area: "a", Status: report.StatusSkipped, Core: true}}, report.VerdictPartial},
		{"one failed", []report.ScenarioResult{{Area: "a", Status: report.StatusSkipped, Core: true}, {Area: "b", Status: report.StatusFailed}}, report.VerdictFailure},
		{"undefined step", []report.ScenarioResult{{Area: "a", Status: report.StatusUndefined}}, report.VerdictFailure},
	}
	for _, tt := range tests {
		r := newRecorder()
		for i, s := range tt.input {
			id := fmt.Sprint(i)
			r.order = append(r.order, id)
			r.started[id] = s
		}
		if got := r.result().Verdict; got != tt.result {
			t.Errorf("%s: verdict %s, want %s", tt.name, got, tt.result)
		}
	}
}

// TestInterruptedVerdicts: once the run is cancelled, report.Unfinished scenarios
// are skipped as interrupted, the result is partial, and failures recorded
// before the interruption still count.
func TestInterruptedVerdicts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		input  []report.ScenarioResult
		result string
	}{
		{"extended cut off", []report.ScenarioResult{{Area: "a", Status: report.StatusPassed, Core: true}, {Area: "a", Status: report.StatusUndefined, Message: report.Unfinished}}, report.VerdictPartial},
		{"failed before", []report.ScenarioResult{{Area: "a", Status: report.StatusFailed, Message: "expected 201"}, {Area: "b", Status: report.StatusUndefined, Message: report.Unfinished}}, report.VerdictFailure},
	}
	for _, tt := range tests {
		r := newRecorder()
		r.ctx = ctx
		for i, s := range tt.input {
			id := fmt.Sprint(i)
			r.order = append(r.order, id)
			r.started[id] = s
		}
		res := r.result()
		if res.Verdict != tt.result || !res.Interrupted {
			t.Errorf("%s: verdict %s interrupted %v, want %s, true", tt.name, res.Verdict, res.Interrupted, tt.result)
		}
		for _, s := range res.Scenarios {
			if s.Message == report.Unfinished || (s.Interrupted && (s.Status != report.StatusSkipped || s.Message != report.InterruptedMessage)) {
				t.Errorf("%s: scenario %+v", tt.name, s)
			}
		}
		if res.Counts.Skipped != 1 {
			t.Errorf("%s: counts %+v, want one skipped", tt.name, res.Counts)
		}
	}
}

func TestTagFilter(t *testing.T) {
	p := profileForTest(t, "orcid")
	if got := TagFilter(p, ""); got != "~@profile-orcid-2013 && ~@profile-orcid-registry && ~@profile-standard-webhooks" {
		t.Errorf("TagFilter(orcid) = %q", got)
	}
	if got := TagFilter(profileForTest(t, "orcid-2013"), "@core"); got != "~@profile-orcid && ~@profile-orcid-registry && ~@profile-standard-webhooks && @core" {
		t.Errorf("TagFilter(orcid-2013, @core) = %q", got)
	}
}
