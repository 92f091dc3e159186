package main

import (
	"context"
	"io"
)

// The main job's short load check: 1,000 hooks on the embedded registry,
// 500 changes/s for 5 s, a tenth of the receivers failing three times.
func init() {
	mainJobSteps = append(mainJobSteps, mainJobStep{name: "load", run: func(ctx context.Context, stdout, stderr io.Writer) int {
		return runLoad(ctx, []string{"--records", "1000", "--rate", "500", "--duration", "5s", "--threshold", "lost==0", "--threshold", "success>=100%"}, stdout, stderr)
	}})
}
