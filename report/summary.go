package report

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
)

// KindFlood marks a Summary of a flood of a member's receiver (no registry,
// no hooks): its verdicts are the thresholds on the answers.
const KindFlood = "flood"

// Pacing is the arrival schedule a run was paced by (see loadgen.Pacing).
type Pacing struct {
	Shape    string        // constant, linear or sine
	Rate     float64       // hits/s: the constant rate, the rate after the ramp, or the sine's mean
	Ramp     time.Duration // linear: time to climb from ~0 to Rate
	Period   time.Duration // sine: period (default the duration)
	Amp      float64       // sine: amplitude in hits/s (default Rate/2)
	Duration time.Duration
}

// Summary is everything a load run found, in a form that shards Merge.
//
// Its JSON (MarshalJSON) is the load report of docs/load.schema.json.
type Summary struct {
	Kind string `json:"-"` // "" for a load run ("load" in JSON), KindFlood for a receiver flood
	// Harness is the version of hookcheck that wrote the summary (empty:
	// this one); Profile the sender profile the notifications were judged
	// by ("" for a flood, which judges a receiver).
	Harness string `json:"-"`
	Profile string `json:"profile"`
	// JudgedBy is that profile, with the run's timing, when the summary
	// was made in this process; nil: the orcid profile with Timing (a
	// summary read from a file, until the merge is told its profile).
	JudgedBy *judge.Profile `json:"-"`
	// ProfileArgs are the profile's override flags (judge.Profile.Args):
	// a merge of shards reads its profile back from Profile and them.
	ProfileArgs []string `json:"profile_flags,omitempty"`
	Partial     bool     `json:"-"` // the run was interrupted, or shards are missing
	// Interim marks a report of a run still going (load --json-every):
	// partial, its figures so far; the final report replaces it.
	Interim bool `json:"interim,omitempty"`
	// Missing names the shards a merge lacked (no final summary), with why;
	// the summary is then partial.
	Missing  []string      `json:"missing_shards,omitempty"`
	Shards   []string      `json:"shards"`
	Target   string        `json:"target"`
	Timing   timing.Timing `json:"-"`
	Pacing   Pacing        `json:"pacing"`
	Records  int           `json:"records"`
	Failing  int           `json:"failing_hooks"`
	Started  time.Time     `json:"started_at"`
	Ended    time.Time     `json:"ended_at"`
	API      APIStats      `json:"api"`
	Sends    SendStats     `json:"sends"`
	Notify   *judge.Report `json:"notifications"`
	Checks   []judge.Check `json:"checks"`
	Limits   []Outcome     `json:"thresholds,omitempty"`
	Warnings []string      `json:"warnings,omitempty"`
	// Reads is how a flood's notifications matched record reads (nil:
	// not judged).
	Reads *judge.ReadMatch `json:"record_reads,omitempty"`
	// Verdict is the judged run's result: LoadPass, LoadFail,
	// LoadThreshold, LoadInconclusive or LoadPartial.
	Verdict string `json:"-"`
	// Behind says how the generator fell behind its plan ("": it kept
	// up). The run is then LoadInconclusive, unless its every worker was
	// busy waiting on the target (the target's own slowness held the
	// sends back) and something failed: that failure stands.
	Behind string `json:"generator_behind,omitempty"`
	// RegistryLag is how late the embedded registry started its calls
	// (nil for another target).
	RegistryLag *RegistryLag `json:"embedded_registry_lag,omitempty"`
	// PerWindow counts notifications, ChangesPerWindow the changes sent
	// (answered 2xx), per batch window from Started.
	PerWindow        []uint64 `json:"notifications_per_window"`
	ChangesPerWindow []uint64 `json:"changes_per_window,omitempty"`
}

// The verdicts of a judged load run or flood, most telling first.
const (
	LoadPartial      = "partial"      // interrupted: the figures cover what happened until then
	LoadInconclusive = "inconclusive" // the generator fell behind: the figures measure this machine, not the target
	LoadFail         = "fail"         // a verdict failed
	LoadThreshold    = "threshold"    // only thresholds failed
	LoadPass         = "pass"         // every verdict and threshold passed
)

// InconclusiveText heads the result of a run whose generator fell behind.
const InconclusiveText = "INCONCLUSIVE — the figures measure this machine, not the target"

// Outcome is a threshold evaluated on a summary.
type Outcome struct {
	Threshold string  `json:"threshold"`
	OK        bool    `json:"ok"`
	Observed  *string `json:"observed"` // nil: no data, which fails
	Detail    string  `json:"detail,omitempty"`
}

// APIStats are the answers to the attack's requests (record changes).
type APIStats struct {
	Requests uint64            `json:"requests"`
	OK       uint64            `json:"ok"` // 2xx only
	Codes    map[string]uint64 `json:"codes"`
	Errors   map[string]uint64 `json:"errors,omitempty"` // transport errors, first 20 kinds
	Latency  judge.Histogram   `json:"latency"`
}

// Add counts one answer: its code (0: none), transport error and latency.
func (a *APIStats) Add(code uint16, errText string, lat time.Duration) {
	if a.Codes == nil {
		a.Codes = map[string]uint64{}
	}
	a.Requests++
	a.Codes[codeText(code)]++
	if code/100 == 2 {
		a.OK++
	}
	if errText != "" && code == 0 { // vegeta also sets the status text for non-2xx codes
		if a.Errors == nil {
			a.Errors = map[string]uint64{}
		}
		if _, ok := a.Errors[errText]; ok || len(a.Errors) < 20 {
			a.Errors[errText]++
		}
	}
	a.Latency.Add(lat)
}

// Merge adds o's answers to a.
func (a *APIStats) Merge(o *APIStats) {
	a.Requests += o.Requests
	a.OK += o.OK
	for k, v := range o.Codes {
		if a.Codes == nil {
			a.Codes = map[string]uint64{}
		}
		a.Codes[k] += v
	}
	for k, v := range o.Errors {
		if a.Errors == nil {
			a.Errors = map[string]uint64{}
		}
		a.Errors[k] += v
	}
	a.Latency.Merge(&o.Latency)
}

// codeTexts are the status codes as map keys, made once.
var codeTexts = func() (t [600]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

// codeText is code as text ("0": no answer).
func codeText(code uint16) string {
	if int(code) < len(codeTexts) {
		return codeTexts[code]
	}
	return strconv.Itoa(int(code))
}

// RegistryLag is how late the embedded registry, which runs in the
// harness's own process, started its calls: when it fell behind its own
// schedule, late notifications measure this machine, not a sender.
type RegistryLag struct {
	Calls  uint64  `json:"calls"`
	Late   uint64  `json:"late"`    // started more than Bound after they were due
	BoundS float64 `json:"bound_s"` // half the declared tolerance
	WorstS float64 `json:"worst_s"`
}

// SendStats measure the generator's honesty: how late each send left
// against its intended time, how many planned sends never left, and how
// busy its bounded pool of workers was.
type SendStats struct {
	Planned  uint64          `json:"planned"`
	Sent     uint64          `json:"sent"`
	Dropped  uint64          `json:"dropped"`
	Lateness judge.Histogram `json:"lateness"`
	// Workers is the pool (shards: summed); PeakInFlight the most requests
	// in flight at once (shards: summed peaks); Waited the sends whose time
	// came while every worker was busy.
	Workers      int    `json:"workers"`
	PeakInFlight int64  `json:"peak_in_flight"`
	Waited       uint64 `json:"waited"`
}

// Merge adds o's sends to st (pools and peaks add up: shards run side by
// side).
func (st *SendStats) Merge(o *SendStats) {
	st.Planned += o.Planned
	st.Sent += o.Sent
	st.Dropped += o.Dropped
	st.Lateness.Merge(&o.Lateness)
	st.Workers += o.Workers
	st.PeakInFlight += o.PeakInFlight
	st.Waited += o.Waited
}

// Merge adds a shard's summary to s.
func (s *Summary) Merge(o *Summary) error {
	if !s.Timing.Equal(o.Timing) {
		return fmt.Errorf("shards ran with different timing: %+v and %+v", s.Timing, o.Timing)
	}
	if s.Profile != o.Profile || !slices.Equal(s.ProfileArgs, o.ProfileArgs) {
		return fmt.Errorf("shards were judged by different profiles: %q and %q", s.Profile, o.Profile)
	}
	s.Partial = s.Partial || o.Partial
	s.Missing = append(s.Missing, o.Missing...)
	s.Shards = append(s.Shards, o.Shards...)
	s.Records += o.Records
	s.Failing += o.Failing
	s.Pacing.Rate += o.Pacing.Rate
	s.PerWindow = addWindows(s.PerWindow, s.Started, o.PerWindow, o.Started, s.Timing.Window)
	s.ChangesPerWindow = addWindows(s.ChangesPerWindow, s.Started, o.ChangesPerWindow, o.Started, s.Timing.Window)
	if o.Started.Before(s.Started) {
		s.Started = o.Started
	}
	if o.Ended.After(s.Ended) {
		s.Ended = o.Ended
	}
	s.API.Merge(&o.API)
	s.Sends.Merge(&o.Sends)
	s.Notify.Merge(o.Notify)
	s.Warnings = append(s.Warnings, o.Warnings...)
	return nil
}

// addWindows adds two per-window counts, starting at a and at b, into one
// series from the earlier start: shards start apart, and each count goes to
// the merged window its own window began in.
func addWindows(x []uint64, a time.Time, y []uint64, b time.Time, w time.Duration) []uint64 {
	if w <= 0 {
		w = time.Second
	}
	if b.Before(a) {
		x, a, y, b = y, b, x, a
	}
	shift := int(b.Sub(a) / w)
	out := make([]uint64, max(len(x), shift+len(y)))
	copy(out, x)
	for i, v := range y {
		out[shift+i] += v
	}
	return out
}

// WriteJSON writes s to path.
func (s *Summary) WriteJSON(path string) error {
	return writeJSON(path, s)
}

// ReadSummary reads a summary written by WriteJSON.
func ReadSummary(path string) (*Summary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: not a load summary: %w", path, err)
	}
	if s.Notify == nil || len(s.Shards) == 0 {
		return nil, fmt.Errorf("%s: not a load summary (no shards or notification figures)", path)
	}
	return &s, nil
}
