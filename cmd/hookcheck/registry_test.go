package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
)

func TestRegistryCommandErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout+stderr
	}{
		{"help", []string{"registry", "--help"}, exitOK, "-retry-base"},
		{"unknown flag", []string{"registry", "--colour"}, exitUsage, "flag provided but not defined: --colour\nRun 'hookcheck registry --help' for its flags.\n"},
		{"bad duration", []string{"registry", "--window", "soon"}, exitUsage, `invalid value "soon" for flag --window`},
		{"bad policy", []string{"registry", "--retry", "exponential"}, exitUsage, `unknown retry policy "exponential"`},
		{"negative base", []string{"registry", "--retry-base", "-1s"}, exitUsage, "retry base must be positive"},
		{"bad behaviour", []string{"registry", "--behaviour", "orcid-code"}, exitUsage, `--behaviour: unknown behaviour "orcid-code" (want docs or orcid-registry)`},
		{"orcid-registry needs a window", []string{"registry", "--behaviour", "orcid-registry", "--window", "0"}, exitUsage, "needs a positive window"},
		{"id without secret", []string{"registry", "--client-id", "APP-X"}, exitUsage, "go together"},
		{"port in use", []string{"registry", "--addr", busy.Addr().String()}, exitUsage, "listen on " + busy.Addr().String()},
		{"stray argument", []string{"registry", "now"}, exitUsage, "unexpected arguments: now"},
		{"unknown command", []string{"regsitry"}, exitUsage, `unknown command "regsitry"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			t.Setenv("HOOKCHECK_CLIENT_ID", "")
			t.Setenv("HOOKCHECK_CLIENT_SECRET", "")
			code := run(context.Background(), tt.args, &out, &errOut)
			all := out.String() + errOut.String()
			if code != tt.code || !strings.Contains(all, tt.want) {
				t.Fatalf("exit %d, want %d; output lacks %q:\n%s", code, tt.code, tt.want, all)
			}
		})
	}
}

func TestRegistryCommandServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan int)
	t.Setenv("HOOKCHECK_CLIENT_ID", "APP-ENV")
	t.Setenv("HOOKCHECK_CLIENT_SECRET", "env-secret-never-shown")
	go func() { done <- run(ctx, []string{"registry", "--addr", "127.0.0.1:0"}, &out, &errOut) }()
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if strings.Contains(out.String()+errOut.String(), "env-secret-never-shown") {
		t.Fatal("the client secret was printed")
	}
	if !strings.Contains(out.String(), "client_id=APP-ENV") {
		t.Fatalf("output: %s", out.String())
	}
}
