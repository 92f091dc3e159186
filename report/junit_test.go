package report

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// godogJUnit is JUnit XML as godog writes it for concurrent scenarios: no
// classname, suite times shorter than their cases', a failure with its
// message and a skipped case.
const godogJUnit = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="hookcheck conformance (orcid)" tests="4" skipped="1" failures="1" errors="0" time="0.3">
  <testsuite name="Access rules" tests="2" skipped="0" failures="1" errors="0" time="0.095">
    <testcase name="ACC-01 PUT without a token is forbidden" status="passed" time="0.147"></testcase>
    <testcase name="ACC-02 a &amp; b" status="failed" time="0.052">
      <failure message="Step the answer is 403: got 401 &lt;Unauthorized&gt;"></failure>
    </testcase>
  </testsuite>
  <testsuite name="Retrying" tests="2" skipped="1" failures="0" errors="0" time="2.5">
    <testcase name="RET-01 doubling" status="passed" time="1.25"></testcase>
    <testcase name="RET-02 linear" status="skipped" time="0"><skipped message="Step undefined"></skipped></testcase>
  </testsuite>
</testsuites>
`

// TestTidyJUnit: every testcase gets its suite as classname, a suite's time
// covers its cases' and the run's its suites', and everything else
// (names, failures, skips, escapes) stays as godog wrote it.
func TestTidyJUnit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.xml")
	os.WriteFile(path, []byte(godogJUnit), 0o644)
	if err := TidyJUnit(path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	var got struct {
		Time   float64 `xml:"time,attr"`
		Name   string  `xml:"name,attr"`
		Suites []struct {
			Name  string  `xml:"name,attr"`
			Time  float64 `xml:"time,attr"`
			Cases []struct {
				Name      string  `xml:"name,attr"`
				Classname string  `xml:"classname,attr"`
				Time      float64 `xml:"time,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if got.Name != "hookcheck conformance (orcid)" || len(got.Suites) != 2 {
		t.Fatalf("testsuites %q with %d suites:\n%s", got.Name, len(got.Suites), b)
	}
	wantTimes := []float64{0.199, 2.5} // 0.147+0.052 > 0.095; 2.5 ≥ 1.25
	var suites float64
	for i, s := range got.Suites {
		var sum float64
		for _, c := range s.Cases {
			sum += c.Time
			if c.Classname != s.Name {
				t.Errorf("%s: classname %q, want %q", c.Name, c.Classname, s.Name)
			}
		}
		if s.Time < sum || strconv.FormatFloat(s.Time, 'f', 3, 64) != strconv.FormatFloat(wantTimes[i], 'f', 3, 64) {
			t.Errorf("suite %s time %v, want %v (cases sum %v)", s.Name, s.Time, wantTimes[i], sum)
		}
		suites += s.Time
	}
	if got.Time < suites {
		t.Errorf("run time %v < its suites' %v", got.Time, suites)
	}
	acc := got.Suites[0].Cases
	if acc[1].Name != "ACC-02 a & b" || acc[1].Failure == nil || acc[1].Failure.Message != "Step the answer is 403: got 401 <Unauthorized>" {
		t.Errorf("failure lost: %+v", acc[1])
	}
	if got.Suites[1].Cases[1].Skipped == nil {
		t.Errorf("skip lost:\n%s", b)
	}
	if !strings.HasPrefix(string(b), xml.Header) {
		t.Errorf("no XML header:\n%s", b)
	}
}
