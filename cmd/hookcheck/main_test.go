package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"

	"github.com/hookcheck/hookcheck/internal/skiptest"
)

// cliEnv, when set to a JSON array of arguments, makes the test binary
// behave as the hookcheck binary: tests start real processes with it.
const cliEnv = "HOOKCHECK_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if key := os.Getenv(signerEnv); key != "" {
		os.Exit(runSigner(key, os.Args[1:]))
	}
	if a := os.Getenv(cliEnv); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			os.Exit(exitUsage)
		}
		os.Exit(run(context.Background(), args, os.Stdout, os.Stderr))
	}
	skiptest.Main(m) // sums up the tests skipped for want of Docker or Chromium
}

// hookcheckCmd is a hookcheck process running args.
func hookcheckCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	b, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), cliEnv+"="+string(b))
	return cmd
}
