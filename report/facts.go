package report

import (
	"slices"

	"github.com/hookcheck/hookcheck/judge"
)

// ScenarioFacts is one scenario of a conformance run, with the facts of
// ORCID's behaviour (docs/orcid-behaviour.md) it checks.
type ScenarioFacts struct {
	ID     string   `json:"id"`
	Status string   `json:"status"`
	Facts  []string `json:"facts"`
	// Observed is the retry schedule fitted to a retry scenario's attempts,
	// pass or fail.
	Observed *judge.Fit `json:"observed,omitempty"`
}

// FactSummary says which facts of ORCID's behaviour a run proved of the
// target: proven (a scenario checking it passed and none failed), failed
// (a scenario checking it failed or was undefined) and unproven (the
// scenarios checking it were all skipped). Facts no scenario of the run
// checks are in none of the lists.
type FactSummary struct {
	Proven   []string `json:"proven"`
	Failed   []string `json:"failed"`
	Unproven []string `json:"unproven"`
}

// scenarioFacts lists the scenarios of res with their facts, and sums the
// facts up.
func scenarioFacts(res *Result) ([]ScenarioFacts, FactSummary) {
	list := make([]ScenarioFacts, 0, len(res.Scenarios))
	passed, failed, seen := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, s := range res.Scenarios {
		facts := s.Facts
		if facts == nil {
			facts = []string{}
		}
		list = append(list, ScenarioFacts{ID: s.ID, Status: s.Status, Facts: facts, Observed: s.Observed})
		for _, f := range facts {
			seen[f] = true
			switch s.Status {
			case StatusPassed:
				passed[f] = true
			case StatusFailed, StatusUndefined:
				failed[f] = true
			}
		}
	}
	sum := FactSummary{Proven: []string{}, Failed: []string{}, Unproven: []string{}}
	for f := range seen {
		switch {
		case failed[f]:
			sum.Failed = append(sum.Failed, f)
		case passed[f]:
			sum.Proven = append(sum.Proven, f)
		default:
			sum.Unproven = append(sum.Unproven, f)
		}
	}
	slices.Sort(sum.Proven)
	slices.Sort(sum.Failed)
	slices.Sort(sum.Unproven)
	return list, sum
}
