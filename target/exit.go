package target

import (
	"errors"
	"net"
	"strings"

	"github.com/hookcheck/hookcheck/internal/cli"
)

// Exit is the exit code and message of an error from opening or driving a
// target: refused input or credentials (ErrConfig) 2, no usable answer
// (ErrUnreachable, a network error, a bad certificate) 3, an answer that
// is not the API (ErrNotConformant) 1, anything else otherwise.
func Exit(err error, url string, otherwise int) (int, string) {
	var nerr net.Error
	var oerr *net.OpError
	if problem, ok := CertificateProblem(err); ok && url != "" {
		return cli.ExitUnreachable, url + ": " + problem
	}
	switch {
	case errors.Is(err, ErrConfig):
		return cli.ExitUsage, strings.TrimPrefix(err.Error(), ErrConfig.Error()+": ")
	case errors.Is(err, ErrUnreachable):
		return cli.ExitUnreachable, err.Error()
	case errors.Is(err, ErrNotConformant):
		return cli.ExitFail, err.Error()
	case errors.As(err, &oerr) || errors.As(err, &nerr):
		return cli.ExitUnreachable, "target unreachable: " + err.Error()
	}
	return otherwise, err.Error()
}
