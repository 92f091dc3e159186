package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestProfileFlagsEveryCommand: analyze, load and conformance take the same
// profile flags and refuse the same bad values, naming the flag, with exit
// 2 before any work starts.
func TestProfileFlagsEveryCommand(t *testing.T) {
	t.Setenv("HOOKCHECK_CLIENT_ID", "")
	t.Setenv("HOOKCHECK_CLIENT_SECRET", "")
	commands := map[string][]string{
		"analyze":     {"analyze", "--log", "absent.jsonl"},
		"load":        {"load"},
		"conformance": {"conformance"},
	}
	bad := []struct {
		args []string
		want string
	}{
		{[]string{"--window", "0s"}, "--window must be positive"},
		{[]string{"--retry-base", "0s"}, "--retry-base must be positive"},
		{[]string{"--retry-lag", "-1s"}, "--retry-lag must be positive"},
		{[]string{"--retry-jitter", "soon"}, "--retry-jitter"},
		{[]string{"--retry-delays", "1s,later"}, "--retry-delays"},
		{[]string{"--retry-ratio", "0"}, "--retry-ratio must be ≥ 1"},
		{[]string{"--max-attempts", "-5"}, "--max-attempts must be ≥ 0"},
		{[]string{"--event-key", "cookie"}, "--event-key"},
		{[]string{"--retry", "sometimes"}, "--retry: unknown retry policy"},
	}
	for name, base := range commands {
		for _, b := range bad {
			t.Run(name+" "+strings.Join(b.args, " "), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				code := run(context.Background(), append(append([]string{}, base...), b.args...), &stdout, &stderr)
				if code != exitUsage || !strings.Contains(stderr.String(), b.want) {
					t.Errorf("exit %d, stderr %q; want 2 naming %q", code, stderr.String(), b.want)
				}
			})
		}
	}
	// conformance: the registry's behaviour is chosen only where hookcheck
	// starts the registry.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"conformance", "--target-behaviour", "orcid-code"}, `--target-behaviour: unknown behaviour "orcid-code"`},
		{[]string{"conformance", "--target", "http://127.0.0.1:1", "--client-id", "x", "--client-secret", "y", "--target-behaviour", "docs"}, "--target-behaviour applies to the targets that run our registry"},
		{[]string{"conformance", "--window", "none"}, "--window must be positive for conformance"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), c.args, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %q", c.args, code, stderr.String(), c.want)
		}
	}
}
