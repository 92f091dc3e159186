package cli

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestTuneGCForAttack(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tt := range []struct {
		name string
		env  *string
		want int
	}{
		{"GOGC unset", nil, AttackGCPercent},
		{"GOGC set", new("50"), 100},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGC", "")
			if tt.env == nil {
				os.Unsetenv("GOGC")
			} else {
				os.Setenv("GOGC", *tt.env)
			}
			debug.SetGCPercent(100)
			TuneGCForAttack()
			if got := debug.SetGCPercent(100); got != tt.want {
				t.Errorf("GC percent %d, want %d", got, tt.want)
			}
		})
	}
}
