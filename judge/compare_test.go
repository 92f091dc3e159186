package judge

import (
	"strings"
	"testing"
	"time"
)

func TestReportDiffNamesTheFirstFigureThatDiffers(t *testing.T) {
	base := func() *Report {
		r := &Report{ChangesKnown: true, Calls: 10, Late: 1}
		r.Latency.Add(300 * time.Millisecond)
		r.Latency.Add(301 * time.Millisecond)
		r.addGap(2, time.Second)
		r.example("coverage", "one late")
		return r
	}
	tests := []struct {
		name   string
		change func(*Report)
		want   string // "" : no difference
	}{
		{"the same", func(*Report) {}, ""},
		{"examples only", func(r *Report) { r.example("coverage", "another") }, ""},
		{"nanoseconds off each value", func(r *Report) {
			r.Latency = Histogram{}
			r.Latency.Add(300*time.Millisecond + 40)
			r.Latency.Add(301*time.Millisecond - 30)
		}, ""},
		{"a count", func(r *Report) { r.Late++ }, "report.late"},
		{"a value in another bucket", func(r *Report) {
			r.Latency = Histogram{}
			r.Latency.Add(300 * time.Millisecond)
			r.Latency.Add(400 * time.Millisecond)
		}, "report.latency"},
		{"a gap after another failure count", func(r *Report) { r.Gaps = nil; r.addGap(1, time.Second) }, "report.gaps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base()
			tt.change(o)
			got := base().Diff(o)
			if (tt.want == "") != (got == "") || !strings.HasPrefix(got, tt.want) {
				t.Fatalf("Diff = %q, want one naming %q", got, tt.want)
			}
		})
	}
}
