package main

import (
	"fmt"
	"io"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/report"
)

// finishLoad judges a summary, writes the reports and picks the exit code.
func finishLoad(sum *report.Summary, results []vegeta.Result, limits []loadgen.Threshold, jsonOut, htmlOut string, stdout, stderr io.Writer) int {
	loadgen.Judge(sum, limits)
	if err := report.WriteLoad(sum, results, report.LoadOutputs{Text: stdout, JSON: jsonOut, HTML: htmlOut}); err != nil {
		fmt.Fprintf(stderr, "hookcheck: %v\n", err)
		return exitUsage
	}
	return loadExit(sum.Verdict)
}

// loadExit is the exit code of a judged load run's verdict.
func loadExit(verdict string) int {
	switch verdict {
	case report.LoadPass:
		return exitOK
	case report.LoadThreshold:
		return exitThreshold
	case report.LoadInconclusive:
		return exitInconclusive
	}
	return exitFail
}
