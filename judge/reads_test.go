package judge

import "testing"

func TestMatchReads(t *testing.T) {
	note := func(rec string, sent, answered int, ok bool) Notification {
		return Notification{Record: rec, Sent: at(sent), Answered: at(answered), OK: ok}
	}
	read := func(rec string, t int) RecordRead {
		return RecordRead{Record: rec, At: at(t), Auth: "client", Status: 200}
	}
	tests := []struct {
		name                        string
		notes                       []Notification
		reads                       []RecordRead
		matched, unmatched, counted int
	}{
		{"every notification read", []Notification{note("a", 0, 10, true), note("b", 0, 10, true)}, []RecordRead{read("a", 5), read("b", 3)}, 2, 0, 2},
		{"no reads at all", []Notification{note("a", 0, 10, true)}, nil, 0, 1, 0},
		{"a read of another record does not count", []Notification{note("a", 0, 10, true)}, []RecordRead{read("b", 5)}, 0, 1, 0},
		{"a read long before the notification does not count", []Notification{note("a", 1000, 1010, true)}, []RecordRead{read("a", 5)}, 0, 1, 1},
		{"a read after the answer does not count", []Notification{note("a", 0, 10, true)}, []RecordRead{read("a", 500)}, 0, 1, 1},
		{"within the slack counts", []Notification{note("a", 100, 110, true)}, []RecordRead{read("a", 90)}, 1, 0, 1},
		{"one read serves one notification", []Notification{note("a", 0, 10, true), note("a", 0, 12, true)}, []RecordRead{read("a", 5)}, 1, 1, 1},
		{"overlapping notifications each take their own read", []Notification{note("a", 0, 50, true), note("a", 20, 30, true)}, []RecordRead{read("a", 5), read("a", 25)}, 2, 0, 2},
		{"a failed notification takes its read but is not counted", []Notification{note("a", 0, 10, false), note("a", 0, 11, true)}, []RecordRead{read("a", 5)}, 0, 1, 1},
		{"failed notifications alone", []Notification{note("a", 0, 10, false)}, nil, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MatchReads(tt.notes, tt.reads)
			if m.Matched != tt.matched || m.Unmatched != tt.unmatched || m.Reads != tt.counted || m.Notifications != tt.matched+tt.unmatched {
				t.Errorf("got %+v, want matched %d unmatched %d reads %d", m, tt.matched, tt.unmatched, tt.counted)
			}
			if m.OK() != (tt.unmatched == 0) || (tt.unmatched > 0 && len(m.Examples) == 0) {
				t.Errorf("OK %v, examples %v", m.OK(), m.Examples)
			}
		})
	}
}

// BenchmarkMatchReads matches a 2,000/s × 30 s flood (60,000 notifications
// over 104 records, each read once) to its reads.
func BenchmarkMatchReads(b *testing.B) {
	const n = 60_000
	notes := make([]Notification, n)
	reads := make([]RecordRead, n)
	for i := range notes {
		rec := string(rune('a'+i%26)) + string(rune('a'+(i/26)%4))
		sent := at(i / 2) // 2 per ms
		notes[i] = Notification{Record: rec, Sent: sent, Answered: sent.Add(ms(3)), OK: true}
		reads[i] = RecordRead{Record: rec, At: sent.Add(ms(1)), Auth: "client", Status: 200}
	}
	b.ReportAllocs()
	for b.Loop() {
		if m := MatchReads(notes, reads); m.Unmatched != 0 {
			b.Fatalf("%+v", m)
		}
	}
}
