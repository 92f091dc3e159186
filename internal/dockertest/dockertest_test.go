package dockertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/fixtures/container"
)

// childEnv makes the test binary run TestNeedsDocker for real.
const childEnv = "HOOKCHECK_DOCKERTEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		available = func(context.Context) error {
			return fmt.Errorf("container: %w (is dockerd running?)", container.ErrNoDocker)
		}
	}
	Main(m)
}

func TestNeedsDocker(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		return // run by TestSkipSummary, without a Docker engine
	}
	Need(t)
	t.Fatal("ran without a Docker engine")
}

// TestSkipSummary runs this package's tests as if no Docker engine
// answered: the skip is counted and summarised on stdout without -v.
func TestSkipSummary(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestNeedsDocker$", "-test.v=false")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := "dockertest: SKIPPED 1 test(s) that need Docker [TestNeedsDocker]: "
	if !strings.Contains(string(out), want) || !strings.Contains(string(out), "no Docker engine answered") {
		t.Fatalf("child output:\n%s\nwant a line starting %q naming why", out, want)
	}
	if Summary("x") != "" {
		t.Fatalf("this run skipped nothing, yet: %s", Summary("x"))
	}
}
