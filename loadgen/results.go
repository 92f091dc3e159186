package loadgen

import (
	"fmt"
	"io"
	"os"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// OpenResults creates path for an attack's raw vegeta results in format
// (gob, vegeta's default; json; csv), which vegeta report and plot read. An
// empty path gives a nil encoder. Close the returned closer when done.
func OpenResults(path, format string) (vegeta.Encoder, io.Closer, error) {
	if path == "" {
		return nil, io.NopCloser(nil), nil
	}
	var enc func(io.Writer) vegeta.Encoder
	switch format {
	case "gob":
		enc = vegeta.NewEncoder
	case "json":
		enc = vegeta.NewJSONEncoder
	case "csv":
		enc = vegeta.NewCSVEncoder
	default:
		return nil, nil, fmt.Errorf("--results-format: want gob, json or csv, got %q", format)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("--results: %w", err)
	}
	return enc(f), f, nil
}
