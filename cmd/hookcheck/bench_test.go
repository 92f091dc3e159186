package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestBenchUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in stderr (stdout for --help)
	}{
		{[]string{"bench"}, exitUsage, "give attack, harness, soak or analyze"},
		{[]string{"bench", "sideways"}, exitUsage, `unknown benchmark "sideways"`},
		{[]string{"bench", "attack", "--rates", "5000,fast"}, exitUsage, `--rates: "fast"`},
		{[]string{"bench", "attack", "--rates", "-1"}, exitUsage, "--rates"},
		{[]string{"bench", "attack", "--duration", "0s"}, exitUsage, "--duration must be positive"},
		{[]string{"bench", "attack", "--workers", "0"}, exitUsage, "--workers must be at least 1"},
		{[]string{"bench", "attack", "--repeat", "0"}, exitUsage, "--repeat must be at least 1"},
		{[]string{"bench", "attack", "--vegeta", "/nonexistent/vegeta"}, exitUsage, "--vegeta"},
		{[]string{"bench", "harness", "--records", "0"}, exitUsage, "--records must be at least 1"},
		{[]string{"bench", "harness", "--rate", "0"}, exitUsage, "--rate must be positive"},
		{[]string{"bench", "soak", "--duration", "5s"}, exitUsage, "--duration must be at least 10s"},
		{[]string{"bench", "soak", "--fail-ratio", "2"}, exitUsage, "--fail-ratio must be in [0, 1]"},
		{[]string{"bench", "soak", "--records", "0"}, exitUsage, "--records must be at least 1"},
		{[]string{"bench", "analyze", "--lines", "0"}, exitUsage, "--lines must be at least 1"},
		{[]string{"bench", "--help"}, exitOK, "bench attack [flags]"},
		{[]string{"bench", "--help"}, exitOK, "bench soak [flags]"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tt.args, &stdout, &stderr)
		out := stderr.String()
		if tt.code == exitOK {
			out = stdout.String()
		}
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("%v: exit %d, output %q; want %d with %q", tt.args, code, out, tt.code, tt.want)
		}
	}
}
