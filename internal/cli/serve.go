package cli

import (
	"context"
	"fmt"
	"io"
	"time"
)

// ServeUntilDone waits for ctx to end (Ctrl-C, SIGTERM), then closes what
// is served, allowing it ten seconds; it returns the exit code.
func ServeUntilDone(ctx context.Context, name string, closeFn func() error, stdout, stderr io.Writer) int {
	<-ctx.Done()
	fmt.Fprintf(stdout, "%s stopping\n", name)
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- closeFn() }()
	var err error
	select {
	case err = <-done:
	case <-shutdown.Done():
		err = shutdown.Err()
	}
	if err != nil {
		fmt.Fprintf(stderr, "hookcheck %s: shutdown: %v\n", name, err)
		return ExitFail
	}
	return ExitOK
}
