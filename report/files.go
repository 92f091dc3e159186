package report

import (
	"errors"
	"fmt"
	"io"
	"os"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// LoadOutputs are where a load run's or flood's reports go: the console
// summary to Text, and when set JSON and a self-contained HTML page to
// files.
type LoadOutputs struct {
	Text       io.Writer
	JSON, HTML string
}

// WriteLoad writes the judged summary s (and, for the HTML latency plot,
// the kept vegeta results) to o; an error names the output that failed.
func WriteLoad(s *Summary, results []vegeta.Result, o LoadOutputs) error {
	if o.Text != nil {
		s.WriteText(o.Text)
	}
	if o.JSON != "" {
		if err := s.WriteJSON(o.JSON); err != nil {
			return fmt.Errorf("--json: %w", err)
		}
	}
	if o.HTML != "" {
		f, err := os.Create(o.HTML)
		if err == nil {
			err = s.WriteHTML(f, results)
			err = errors.Join(err, f.Close())
		}
		if err != nil {
			return fmt.Errorf("--html: %w", err)
		}
	}
	return nil
}
