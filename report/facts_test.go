package report

import (
	"slices"
	"testing"
)

func TestScenarioFacts(t *testing.T) {
	res := &Result{Scenarios: []ScenarioResult{
		{ID: "REG-01", Status: StatusPassed, Facts: []string{"F001", "F003"}},
		{ID: "UNR-01", Status: StatusFailed, Facts: []string{"F001", "F021"}},
		{ID: "ACC-04", Status: StatusPassed, Facts: []string{"F021", "F013"}},
		{ID: "ACC-16-revoked", Status: StatusSkipped, Facts: []string{"F029"}},
		{ID: "TOK-12", Status: StatusUndefined, Facts: []string{"F069"}},
		{ID: "REG-04", Status: StatusPassed},
	}}
	list, sum := scenarioFacts(res)
	if len(list) != 6 || list[5].Facts == nil || len(list[5].Facts) != 0 || list[1].Status != StatusFailed {
		t.Fatalf("scenarios %+v", list)
	}
	tests := []struct {
		name      string
		got, want []string
	}{
		{"proven: passed and never failed", sum.Proven, []string{"F003", "F013"}},
		{"failed: a failed or undefined scenario checks it", sum.Failed, []string{"F001", "F021", "F069"}},
		{"unproven: only skipped scenarios check it", sum.Unproven, []string{"F029"}},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
