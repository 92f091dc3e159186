package loadgen

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

var shardStart = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

// shardSummary is shard i of n as Run would write it: changes answered in
// lat each, notified after notify each.
func shardSummary(i, n int, lat, notify time.Duration) *report.Summary {
	cfg := Config{Target: "https://registry.example", Shard: Shard{i, n}, Timing: testTiming, Pacing: Pacing{Shape: "constant", Rate: 400, Duration: 10 * time.Second}}
	s := Placeholder(cfg, shardStart)
	s.Partial, s.Warnings, s.Ended = false, nil, shardStart.Add(12*time.Second)
	s.Records = 100
	for range 1000 {
		s.API.Add(204, "", lat)
		s.Notify.Latency.Add(notify)
	}
	s.Notify.Changes, s.Notify.Covered, s.Notify.Calls, s.Notify.ChangesKnown = 1000, 1000, 1000, true
	s.Sends.Planned, s.Sends.Sent = 1000, 1000
	return s
}

func files(sums ...*report.Summary) []ShardFile {
	var fs []ShardFile
	for _, s := range sums {
		sh, _ := ParseShard(s.Shards[0])
		fs = append(fs, ShardFile{Path: "shard-" + s.Shards[0][:1] + ".json", Summary: s, Shard: sh})
	}
	return fs
}

func TestMergeShards(t *testing.T) {
	ms := time.Millisecond
	other := func(f func(s *report.Summary)) *report.Summary { s := shardSummary(1, 3, ms, ms); f(s); return s }
	placeholder := Placeholder(Config{Target: "https://registry.example", Shard: Shard{1, 3}, Timing: testTiming, Pacing: Pacing{Shape: "constant", Rate: 400, Duration: 10 * time.Second}}, shardStart)
	tests := []struct {
		name    string
		files   []ShardFile
		partial bool
		want    string // in the missing shards or warnings, or the error
		err     bool
	}{
		{"all shards", files(shardSummary(0, 3, ms, ms), shardSummary(1, 3, ms, ms), shardSummary(2, 3, ms, ms)), false, "", false},
		{"one shard missing", files(shardSummary(0, 3, ms, ms), shardSummary(2, 3, ms, ms)), true, "1/3 (no result file)", false},
		{"one shard killed", files(shardSummary(0, 3, ms, ms), placeholder, shardSummary(2, 3, ms, ms)), true, "1/3 (shard-1.json: started at 2026-05-01T10:00:00Z, never finished", false},
		{"one shard failed", files(shardSummary(0, 3, ms, ms), Failed(placeholder, errors.New("target unreachable"), shardStart), shardSummary(2, 3, ms, ms)), true, "shard 1/3 failed: target unreachable", false},
		{"given twice", files(shardSummary(0, 3, ms, ms), shardSummary(0, 3, ms, ms)), false, "shard 0/3 given twice", true},
		{"another n", files(shardSummary(0, 3, ms, ms), shardSummary(1, 2, ms, ms)), false, "shards of different runs", true},
		{"another target", files(shardSummary(0, 3, ms, ms), other(func(s *report.Summary) { s.Target = "https://elsewhere.example" })), false, "against https://elsewhere.example: shards of different runs", true},
		{"another duration", files(shardSummary(0, 3, ms, ms), other(func(s *report.Summary) { s.Pacing.Duration = time.Minute })), false, "shards of different runs", true},
		{"another timing", files(shardSummary(0, 3, ms, ms), other(func(s *report.Summary) { s.Timing.Window = time.Minute })), false, "different timing", true},
		{"nothing finished", files(placeholder), false, "no shard finished: none of 3", true},
		{"nothing at all", nil, false, "no shard finished: no shard summaries found", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := MergeShards(tt.files)
			if tt.err {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %v, want one containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Partial != tt.partial {
				t.Fatalf("partial %v, want %v; warnings %q", s.Partial, tt.partial, s.Warnings)
			}
			if said := strings.Join(append(s.Missing, s.Warnings...), "\n"); !strings.Contains(said, tt.want) {
				t.Fatalf("missing %q, warnings %q; want one containing %q", s.Missing, s.Warnings, tt.want)
			}
			var text strings.Builder
			s.WriteText(&text)
			if len(s.Missing) > 0 && !strings.HasPrefix(text.String(), "PARTIAL: shards missing: "+s.Missing[0]) {
				t.Fatalf("console summary does not start by naming the missing shards:\n%s", text.String())
			}
			if ok, _ := Judge(s, nil); tt.partial && ok && !s.Partial {
				t.Fatal("a merge with missing shards judged whole")
			}
		})
	}
}

// TestMergedPercentiles: percentiles of the merged run come from the merged
// histograms, so that a fast shard cannot average a slow one away.
func TestMergedPercentiles(t *testing.T) {
	fast, slow := shardSummary(0, 2, time.Millisecond, 10*time.Millisecond), shardSummary(1, 2, 100*time.Millisecond, time.Second)
	avg := (fast.API.Latency.Quantile(0.99) + slow.API.Latency.Quantile(0.99)) / 2
	s, err := MergeShards(files(fast, slow))
	if err != nil {
		t.Fatal(err)
	}
	near := func(got, want time.Duration) bool { return got > want*98/100 && got < want*102/100 }
	if p99 := s.API.Latency.Quantile(0.99); !near(p99, 100*time.Millisecond) || near(p99, avg) {
		t.Errorf("merged p99 %s, want ≈100ms (the average of the shards' p99 is %s)", p99, avg)
	}
	if p50 := s.API.Latency.Quantile(0.5); !near(p50, time.Millisecond) {
		t.Errorf("merged p50 %s, want ≈1ms", p50)
	}
	if p99 := s.Notify.Latency.Quantile(0.99); !near(p99, time.Second) {
		t.Errorf("merged notify p99 %s, want ≈1s", p99)
	}
	if _, ok := Judge(s, mustThresholds(t, "p99<60ms")); ok || s.Limits[0].Observed == nil {
		t.Fatalf("p99<60ms passed on the merged run: %+v (only an average of the shards' p99 would pass)", s.Limits[0])
	}
	if d, err := time.ParseDuration(*s.Limits[0].Observed); err != nil || !near(d, 100*time.Millisecond) {
		t.Fatalf("p99<60ms observed %s (%v), want ≈100ms", *s.Limits[0].Observed, err)
	}
}

func writeSummary(t *testing.T, s *report.Summary, path string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := s.WriteJSON(tmp); err != nil {
		t.Fatal(err)
	}
	if err := report.ValidateFile(report.SchemaLoad, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestAwaitShards waits for shards' final summaries: a placeholder is
// waited on, a complete set returns at once, a deadline returns what is there.
func TestAwaitShards(t *testing.T) {
	dir := t.TempDir()
	pattern := filepath.Join(dir, "run-shard-*.json")
	ms := time.Millisecond
	writeSummary(t, shardSummary(0, 2, ms, ms), filepath.Join(dir, "run-shard-0.json"))
	writeSummary(t, Placeholder(Config{Target: "https://registry.example", Shard: Shard{1, 2}, Timing: testTiming, Pacing: Pacing{Shape: "constant", Rate: 400, Duration: 10 * time.Second}}, shardStart), filepath.Join(dir, "run-shard-1.json"))

	got, err := AwaitShards(context.Background(), []string{pattern}, 0, time.Millisecond)
	if err != nil || len(got) != 2 || finished(got[1].Summary) {
		t.Fatalf("no wait: %d files (%v), want both, the second unfinished", len(got), err)
	}
	done := make(chan []ShardFile)
	go func() {
		fs, err := AwaitShards(context.Background(), []string{pattern}, time.Minute, 5*time.Millisecond)
		if err != nil {
			t.Error(err)
		}
		done <- fs
	}()
	writeSummary(t, shardSummary(1, 2, ms, ms), filepath.Join(dir, "run-shard-1.json"))
	got = <-done
	if len(got) != 2 || !finished(got[0].Summary) || !finished(got[1].Summary) {
		t.Fatalf("after the wait: %+v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got, err := AwaitShards(ctx, []string{filepath.Join(dir, "other-*.json")}, time.Hour, time.Hour); err != nil || len(got) != 0 {
		t.Fatalf("interrupted wait on nothing: %v %v", got, err)
	}
}

func TestReadShardsRefuses(t *testing.T) {
	dir := t.TempDir()
	ms := time.Millisecond
	merged, _ := MergeShards(files(shardSummary(0, 2, ms, ms), shardSummary(1, 2, ms, ms)))
	writeSummary(t, merged, filepath.Join(dir, "merged.json"))
	os.WriteFile(filepath.Join(dir, "torn.json"), []byte(`{"shards":["0/2"],"notif`), 0o644)
	for _, tt := range []struct{ path, want string }{
		{filepath.Join(dir, "merged.json"), "a merge of shards [0/2 1/2]"},
		{filepath.Join(dir, "torn.json"), "not a load summary"},
		{filepath.Join(dir, "absent.json"), "no such file"},
		{filepath.Join(dir, "[.json"), "syntax error in pattern"},
	} {
		if _, err := ReadShards([]string{tt.path}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.path, err, tt.want)
		}
	}
}

func TestCallbackBase(t *testing.T) {
	for _, tt := range []struct {
		base, host, local, want string
	}{
		{"", "", "http://127.0.0.1:4000", "http://127.0.0.1:4000"},
		{"https://hooks.example/", "", "http://127.0.0.1:4000", "https://hooks.example"},
		{"", "10.1.2.3", "http://[::]:4000", "http://10.1.2.3:4000"},
		{"", "fd00::7", "http://[::]:4000", "http://[fd00::7]:4000"},
		{"", "[fd00::7]", "http://[::]:4000", "http://[fd00::7]:4000"},
		{"", "shard-0.hookcheck", "http://0.0.0.0:8090", "http://shard-0.hookcheck:8090"},
	} {
		got, err := callbackBase(Config{CallbackBase: tt.base, CallbackHost: tt.host}, tt.local)
		if err != nil || got != tt.want {
			t.Errorf("base %q host %q local %q: %q (%v), want %q", tt.base, tt.host, tt.local, got, err, tt.want)
		}
	}
	cfg := loadConfig("http://127.0.0.1:1", Shard{})
	cfg.CallbackBase, cfg.CallbackHost = "http://a", "b"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("base and host: %v", err)
	}
}

// TestMergedProfile: a merge judges the shards by the profile they were
// judged by, read back from its name and flags, or says what to give.
func TestMergedProfile(t *testing.T) {
	acme := filepath.Join("..", "judge", "testdata", "acme.yaml")
	shardBy := func(p judge.Profile) *report.Summary {
		s := shardSummary(0, 1, time.Millisecond, time.Second)
		s.Profile, s.ProfileArgs, s.Timing = p.Name, p.Args, p.Timing()
		return s
	}
	profile := func(base string, args ...string) judge.Profile {
		p, err := judge.LoadProfile(base)
		if err != nil {
			t.Fatal(err)
		}
		if p, err = judge.ApplyArgs(p, args); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name  string
		shard judge.Profile
		file  string
		check func(judge.Profile) bool
		err   string
	}{
		{"built-in", profile("orcid"), "", func(p judge.Profile) bool { return p.Retry.Kind == timing.Doubling && p.EventKey.IsZero() }, ""},
		{"built-in with flags", profile("orcid", "--event-key", "header:X-Event-Id", "--retry-lag", "300ms", "--retry-jitter", "20%"), "",
			func(p judge.Profile) bool {
				return !p.EventKey.IsZero() && p.Retry.Lag == 300*time.Millisecond && p.Retry.Jitter.Share == 0.2
			}, ""},
		{"a list of delays", profile("orcid", "--retry", "list", "--retry-delays", "0s,5s,5m"), "",
			func(p judge.Profile) bool { return len(p.Retry.Delays) == 3 && p.Retry.Delays[2] == 5*time.Minute }, ""},
		{"ORCID's code, counted from the end", profile("orcid-registry"), "", func(p judge.Profile) bool { return p.Retry.FromEnd }, ""},
		{"a profile file, given", profile(acme, "--max-attempts", "3"), acme, func(p judge.Profile) bool { return p.Retry.MaxAttempts == 3 && p.Retry.Ratio == 1.5 }, ""},
		{"a profile file, not given", profile(acme), "", nil, `the shards were judged by profile "acme", no built-in one: give --profile with its file`},
		{"another file", profile("orcid"), acme, nil, `the shards were judged by profile "orcid", not "acme"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := MergedProfile(shardBy(tt.shard), tt.file)
			switch {
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want %q", err, tt.err)
			case tt.err == "" && err != nil:
				t.Fatal(err)
			case tt.err == "" && (p.Name != tt.shard.Name || !tt.check(p)):
				t.Errorf("merged profile %q %+v is not the shards' %q", p.Name, p.Retry, tt.shard.Name)
			}
		})
	}
}

// TestProfileOfSaysWhenItFallsBack: a summary whose profile cannot be read
// back is judged by the orcid profile, and says so.
func TestProfileOfSaysWhenItFallsBack(t *testing.T) {
	s := shardSummary(0, 1, time.Millisecond, time.Second)
	s.Profile = "acme"
	if p := ProfileOf(s); p.Name != "orcid" || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], `judged by the orcid profile with the run's timing: the shards were judged by profile "acme"`) {
		t.Errorf("profile %q, warnings %q", p.Name, s.Warnings)
	}
	s = shardSummary(0, 1, time.Millisecond, time.Second)
	s.Profile, s.ProfileArgs = "orcid with --retry-lag 300ms", []string{"--retry-lag", "300ms"}
	if p := ProfileOf(s); p.Retry.Lag != 300*time.Millisecond || len(s.Warnings) != 0 {
		t.Errorf("profile %q lag %s, warnings %q", p.Name, p.Retry.Lag, s.Warnings)
	}
}
