package bench

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/report"
)

func TestTimeWaitCountsClosedConnectionsOfAPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { b := make([]byte, 1); c.Read(b); c.Close() }() // closes after the client
		}
	}()
	before, err := TimeWait(port)
	if err != nil {
		t.Fatal(err)
	}
	const n = 3
	for range n {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.Close() // the client closes first: its side waits in TIME_WAIT
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		after, err := TimeWait(port)
		if err != nil {
			t.Fatal(err)
		}
		if after-before >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d new TIME_WAIT sockets on port %d after %d closed connections", after-before, port, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestVmHWM(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		status string
		want   int64
	}{
		{"Name:\tx\nVmPeak:\t 2000 kB\nVmHWM:\t   1234 kB\nVmRSS:\t 1000 kB\n", 1234},
		{"Name:\tx\n", 0},
	}
	for i, tt := range tests {
		p := filepath.Join(dir, "status"+string(rune('a'+i)))
		os.WriteFile(p, []byte(tt.status), 0o644)
		if got := vmHWM(p); got != tt.want {
			t.Errorf("%q: %d, want %d", tt.status, got, tt.want)
		}
	}
	if got := vmHWM(filepath.Join(dir, "gone")); got != 0 {
		t.Errorf("a process gone: %d, want 0", got)
	}
}

func TestFormatting(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 12345.6: "12,346", 1e6: "1,000,000"} {
		if got := thousands(v); got != want {
			t.Errorf("thousands(%v) = %q, want %q", v, got, want)
		}
	}
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median of 3 1 2 = %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median of 4 1 3 2 = %v", m)
	}
}

// TestHarnessTableSaysWhenNotComparable: a load run that did not pass
// judged fewer notifications, so its ratio is marked not comparable; one
// that passed is not, and the one-change run has no per-change figure.
func TestHarnessTableSaysWhenNotComparable(t *testing.T) {
	for _, tt := range []struct {
		verdict string
		marked  bool
	}{{report.LoadPass, false}, {report.LoadFail, true}, {report.LoadInconclusive, true}} {
		h := HarnessCost{Changes: 80000, Notifications: 77000, Verdict: tt.verdict,
			Load: Usage{CPU: 11 * time.Second}, Setup: Usage{CPU: time.Second}, Minimum: Usage{CPU: 8 * time.Second}}
		var b strings.Builder
		WriteHarness(&b, h, HarnessConfig{Records: 10000, Rate: 8000, Duration: 10 * time.Second})
		out := b.String()
		if got := strings.Contains(out, "NOT COMPARABLE"); got != tt.marked {
			t.Errorf("verdict %s: marked not comparable %v, want %v:\n%s", tt.verdict, got, tt.marked, out)
		}
		if !strings.Contains(out, "all in 1.38×, beyond setup 1.25×") || !strings.Contains(out, "(setup and teardown) | 1.00 s (0.00 s) |  |") {
			t.Errorf("verdict %s: table\n%s", tt.verdict, out)
		}
	}
}
