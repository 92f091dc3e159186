package report

import (
	"fmt"
	"io"

	"github.com/hookcheck/hookcheck/judge"
)

// marks are the console's words for check results.
var marks = map[judge.Result]string{judge.Pass: "ok  ", judge.Fail: "FAIL", judge.Skip: "skip"}

// WriteCheck writes one verdict on a line, with its examples when it failed.
func WriteCheck(w io.Writer, c judge.Check) {
	fmt.Fprintf(w, "  %s %-16s %s\n", marks[c.Result], c.Name, c.Reason)
	if c.Failed() {
		for _, e := range c.Examples {
			fmt.Fprintf(w, "         e.g. %s\n", e)
		}
	}
}
