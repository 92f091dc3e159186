package deploy

import (
	"testing"

	"github.com/hookcheck/hookcheck/fixtures/container/dockertest"
)

func TestMain(m *testing.M) { dockertest.Main(m) }
