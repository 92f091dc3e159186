package judge

import (
	"fmt"
	"sort"
	"time"
)

// ReadSlack is how far outside a notification's call a record read may be
// logged and still count as made for it: the registry's clock and the
// sender's are two readings of the same machine's clock.
const ReadSlack = 25 * time.Millisecond

// Notification is one notification sent to a receiver about a record:
// when it left, when its answer came, and whether that was a 2xx.
type Notification struct {
	Record         string
	Sent, Answered time.Time
	OK             bool
}

// RecordRead is one read of a record the registry logged: when it
// arrived, with which credentials ("none", "client", "record",
// "invalid"), and its answer.
type RecordRead struct {
	Record string
	At     time.Time
	Auth   string
	Status int
}

// ReadMatch says how the notifications answered 2xx matched record reads:
// each needs a read of its record that arrived while it was being
// answered (within ReadSlack).
type ReadMatch struct {
	// Notifications counts those answered 2xx; Matched those of them with
	// a read, Unmatched those without.
	Notifications int `json:"notifications_2xx"`
	Matched       int `json:"matched"`
	Unmatched     int `json:"unmatched"`
	// Reads counts every read of the notified records seen, by credentials.
	Reads  int            `json:"reads"`
	ByAuth map[string]int `json:"reads_by_auth"`
	// Examples name the first unmatched notifications.
	Examples []string `json:"unmatched_examples,omitempty"`
}

// OK reports whether every 2xx had its read.
func (m ReadMatch) OK() bool { return m.Unmatched == 0 }

// String is the match for messages.
func (m ReadMatch) String() string {
	return fmt.Sprintf("%d of %d notifications answered 2xx were matched to a record read (%d reads seen)", m.Matched, m.Notifications, m.Reads)
}

// MatchReads matches notifications to reads: for each notification, in
// the order their answers came, the earliest read of its record not yet
// taken that arrived between its sending and its answer (±ReadSlack).
// Notifications not answered 2xx take reads too (a receiver that read and
// then failed read all the same) but are not counted.
func MatchReads(notes []Notification, reads []RecordRead) ReadMatch {
	m := ReadMatch{ByAuth: map[string]int{}}
	byRecord := map[string][]RecordRead{}
	for _, r := range reads {
		byRecord[r.Record] = append(byRecord[r.Record], r)
	}
	notified := map[string]bool{}
	for _, n := range notes {
		notified[n.Record] = true
	}
	for id, rs := range byRecord {
		if !notified[id] {
			continue
		}
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].At.Before(rs[j].At) })
		for _, r := range rs {
			m.Reads++
			m.ByAuth[r.Auth]++
		}
	}
	order := make([]int, len(notes))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return notes[order[a]].Answered.Before(notes[order[b]].Answered) })
	taken := map[string][]bool{}
	first := map[string]int{} // each record's first read not taken
	for _, i := range order {
		n := notes[i]
		rs := byRecord[n.Record]
		if taken[n.Record] == nil {
			taken[n.Record] = make([]bool, len(rs))
		}
		tk := taken[n.Record]
		found := false
		from, to := n.Sent.Add(-ReadSlack), n.Answered.Add(ReadSlack)
		for j := first[n.Record]; j < len(rs) && !rs[j].At.After(to); j++ {
			if !tk[j] && !rs[j].At.Before(from) {
				tk[j], found = true, true
				break
			}
		}
		for first[n.Record] < len(tk) && tk[first[n.Record]] {
			first[n.Record]++
		}
		if !n.OK {
			continue
		}
		m.Notifications++
		if found {
			m.Matched++
			continue
		}
		m.Unmatched++
		if len(m.Examples) < 3 {
			m.Examples = append(m.Examples, fmt.Sprintf("record %s notified at %s, answered 2xx after %s with no read of the record", n.Record, n.Sent.UTC().Format("15:04:05.000"), n.Answered.Sub(n.Sent).Round(time.Millisecond)))
		}
	}
	return m
}

// Add adds o's counts and examples to m.
func (m *ReadMatch) Add(o ReadMatch) {
	m.Notifications += o.Notifications
	m.Matched += o.Matched
	m.Unmatched += o.Unmatched
	m.Reads += o.Reads
	if m.ByAuth == nil {
		m.ByAuth = map[string]int{}
	}
	for k, v := range o.ByAuth {
		m.ByAuth[k] += v
	}
	for _, e := range o.Examples {
		if len(m.Examples) < 3 {
			m.Examples = append(m.Examples, e)
		}
	}
}
