package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/webhooksig"
	"github.com/hookcheck/hookcheck/judge"
)

// lockedBuffer collects output written from another goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startReceiver runs hookcheck receiver in-process until the test ends and
// returns its URL and its output so far.
func startReceiver(t *testing.T, args ...string) (url string, stop func() (stdout, stderr string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var out, errOut lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"receiver", "--addr", "127.0.0.1:0"}, args...), pw, &errOut)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		cancel()
		t.Fatalf("receiver did not start: exit %d: %s", <-done, errOut.String())
	}
	first := lines.Text()
	out.Write([]byte(first + "\n"))
	go func() {
		for lines.Scan() {
			out.Write([]byte(lines.Text() + "\n"))
		}
	}()
	_, url, _ = strings.Cut(first, "listening on ")
	url, _, _ = strings.Cut(url, " ")
	stopped := false
	stop = func() (string, string) {
		if !stopped {
			stopped = true
			cancel()
			if code := <-done; code != exitOK {
				t.Errorf("receiver exit %d: %s", code, errOut.String())
			}
		}
		return out.String(), errOut.String()
	}
	t.Cleanup(func() { stop() })
	return url, stop
}

func TestReceiverCommandVerifiesAndRotates(t *testing.T) {
	secret := webhooksig.NewSecret(32)
	t.Setenv(judge.SecretEnv, secret.Reveal())
	dir := t.TempDir()
	url, stop := startReceiver(t, "--profile", "standard-webhooks", "--log", filepath.Join(dir, "calls.jsonl"), "--log-max-size", "2KB", "--timestamp-tolerance", "1m")
	wrong := webhooksig.NewSecret(32)
	body := []byte(`{"type":"invoice.paid","data":{"id":"in_1"}}`)
	tests := []struct {
		name   string
		secret webhooksig.Secret
		ts     time.Time
		want   int
	}{
		{"signed", secret, time.Now(), 204},
		{"wrong secret", wrong, time.Now(), 401},
		{"outside the 1m tolerance", secret, time.Now().Add(-2 * time.Minute), 401},
	}
	for round := range 4 { // enough lines to rotate
		for _, tt := range tests {
			req, _ := http.NewRequest(http.MethodPost, url+"/hooks/shop", bytes.NewReader(body))
			webhooksig.SetHeaders(req.Header, "msg_"+tt.name, tt.ts, body, tt.secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("round %d, %s: %d, want %d", round, tt.name, resp.StatusCode, tt.want)
			}
		}
	}
	stdout, stderr := stop()
	if !strings.Contains(stdout, "verifying signatures: standard-webhooks") || !strings.Contains(stdout, "rotating at 2000 bytes") {
		t.Errorf("stdout: %s", stdout)
	}
	files, err := receiver.LogFiles(dir)
	if err != nil || len(files) < 2 {
		t.Fatalf("log files %v (%v): want the log rotated", files, err)
	}
	results := map[webhooksig.Result]int{}
	n := 0
	err = receiver.ReadLogs(dir, func(o receiver.Observation) error {
		n++
		results[o.Signature]++
		return nil
	})
	if err != nil || n != 12 || results[webhooksig.Valid] != 4 || results[webhooksig.Invalid] != 4 || results[webhooksig.Stale] != 4 {
		t.Errorf("log: %d calls, %v, %v", n, results, err)
	}
	key := strings.TrimPrefix(secret.Reveal(), "whsec_")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), key) {
			t.Errorf("%s holds the secret", f)
		}
	}
	if strings.Contains(stdout+stderr, key) {
		t.Error("the secret was printed")
	}
	// analyze reads the rotated parts and the current file as one log
	for _, path := range []string{dir, filepath.Join(dir, "calls.jsonl")} {
		var out, errOut bytes.Buffer
		run(context.Background(), []string{"analyze", "--log", path}, &out, &errOut)
		if !strings.Contains(out.String(), "Analysed 12 calls on 1 callback") {
			t.Errorf("analyze --log %s: %s%s", path, out.String(), errOut.String())
		}
	}
}

func TestReceiverCommandUsage(t *testing.T) {
	good := webhooksig.NewSecret(0).Reveal()
	tests := []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--profile", "standard-webhooks"}, "", "give the endpoint's secret with --secret or " + judge.SecretEnv},
		{[]string{"--profile", "github"}, "", `unknown profile "github" (known: [orcid orcid-2013 orcid-registry standard-webhooks]`},
		{[]string{"--secret", good}, "", "profile orcid sends unsigned deliveries"},
		{[]string{"--timestamp-tolerance", "1m"}, "", "--timestamp-tolerance: profile orcid sends unsigned deliveries"},
		{[]string{"--profile", "standard-webhooks", "--secret", "whsec_!!notbase64secret"}, "", "--secret: webhooksig: secret is not whsec_ followed by standard base64"},
		{[]string{"--profile", "standard-webhooks"}, "whsec_!!notbase64secret", judge.SecretEnv + ": webhooksig: secret is not"},
		{[]string{"--profile", "standard-webhooks", "--secret", good, "--timestamp-tolerance", "-1s"}, "", "--timestamp-tolerance must be positive"},
		{[]string{"--log-max-size", "12 parsecs", "--log", "x"}, "", `--log-max-size: "12 parsecs": want a size`},
		{[]string{"--log-max-size", "1MB"}, "", "--log-max-size needs --log FILE"},
		{[]string{"--body-head", "-1"}, "", "must not be negative"},
	}
	for _, tt := range tests {
		t.Setenv(judge.SecretEnv, tt.env)
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"receiver", "--addr", "127.0.0.1:0"}, tt.args...), &out, &errOut)
		if code != exitUsage || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut.String(), tt.want)
		}
		if strings.Contains(errOut.String(), "notbase64secret") || strings.Contains(errOut.String(), strings.TrimPrefix(good, "whsec_")) {
			t.Errorf("%v: the secret was printed: %s", tt.args, errOut.String())
		}
	}
}
