package deploy

import (
	"testing"

	"github.com/hookcheck/hookcheck/internal/dockertest"
)

func TestMain(m *testing.M) { dockertest.Main(m) }
