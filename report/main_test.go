package report

import (
	"testing"

	"github.com/hookcheck/hookcheck/internal/skiptest"
)

// TestMain sums up the tests skipped for want of Chromium.
func TestMain(m *testing.M) { skiptest.Main(m) }
