package judge

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/receiver"
	"github.com/hookcheck/hookcheck/fixtures/webhooksig"
)

// LogVerifier re-verifies the calls of a log with the endpoint's secret
// (analyze --secret): a call whose whole body the log kept is checked
// again, signature and timestamp against its arrival; any other keeps the
// result the receiver recorded.
func LogVerifier(secret string, tolerance time.Duration) (func(*receiver.Observation) string, error) {
	sec, err := webhooksig.ParseSecret(secret)
	if err != nil {
		return nil, fmt.Errorf("judge: secret: %w", err)
	}
	v, err := webhooksig.NewVerifier(tolerance, sec)
	if err != nil {
		return nil, fmt.Errorf("judge: %w", err)
	}
	return func(o *receiver.Observation) string {
		if head, whole := bodyHead(o); whole && headersRecorded(o) {
			return string(v.Verify(http.Header(o.Headers), head, o.At).Result)
		}
		return recordedSignature(o)
	}, nil
}
