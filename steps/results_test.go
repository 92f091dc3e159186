package steps

import (
	"fmt"
	"testing"
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
		input  []ScenarioResult
		result string
	}{
		{"all passed", []ScenarioResult{{Area: "a", Status: StatusPassed, Core: true}}, VerdictSuccess},
		{"extended skipped", []ScenarioResult{{Area: "a", Status: StatusPassed, Core: true}, {Area: "a", Status: StatusSkipped}}, VerdictSuccess},
		{"core skipped", []ScenarioResult{{Area: "a", Status: StatusPassed}, {Area: "a", Status: StatusSkipped, Core: true}}, VerdictPartial},
		{"one failed", []ScenarioResult{{Area: "a", Status: StatusSkipped, Core: true}, {Area: "b", Status: StatusFailed}}, VerdictFailure},
		{"undefined step", []ScenarioResult{{Area: "a", Status: StatusUndefined}}, VerdictFailure},
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

func TestTagFilter(t *testing.T) {
	p := profileForTest(t, "orcid")
	if got := TagFilter(p, ""); got != "~@profile-orcid-2013" {
		t.Errorf("TagFilter(orcid) = %q", got)
	}
	if got := TagFilter(profileForTest(t, "orcid-2013"), "@core"); got != "~@profile-orcid && @core" {
		t.Errorf("TagFilter(orcid-2013, @core) = %q", got)
	}
}
