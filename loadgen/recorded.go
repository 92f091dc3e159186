package loadgen

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hookcheck/hookcheck/fixtures/orcid"
	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/judge"
)

// JudgeRecorded judges a recorded load run in one batch, as load did
// before it judged live: every call of the receivers' log (load --log: a
// file after its rotated parts, or a directory) and every accepted change
// of the vegeta results (load --results, any of vegeta's formats) held in
// memory and judged by judge.All against p. It is the reference a live judgement is
// compared with (hookcheck bench soak); its memory grows with the run.
func JudgeRecorded(logPath, resultsPath string, p judge.Profile) (*judge.Report, error) {
	f, err := os.Open(resultsPath)
	if err != nil {
		return nil, fmt.Errorf("recorded run: %w", err)
	}
	defer f.Close()
	changes := map[string][]time.Time{}
	dec := vegeta.DecoderFor(f)
	if dec == nil {
		return nil, fmt.Errorf("recorded run: %s is not vegeta results (gob, json or csv)", resultsPath)
	}
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("recorded run: %s: %w", resultsPath, err)
		}
		if r.Code/100 == 2 {
			id := orcid.Find(r.URL)
			changes[id] = append(changes[id], r.Timestamp)
		}
	}
	var obs []receiver.Observation
	if err := receiver.ReadLogs(logPath, func(o receiver.Observation) error { obs = append(obs, o); return nil }); err != nil {
		return nil, fmt.Errorf("recorded run: %w", err)
	}
	return judge.All(judge.Input{Profile: p, Changes: changes, Observations: obs})
}
