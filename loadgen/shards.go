package loadgen

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/report"
)

// ErrNoShardFinished says that no shard of the run left a final summary.
var ErrNoShardFinished = errors.New("no shard finished")

// ShardFile is one shard's summary as read from a file.
type ShardFile struct {
	Path    string
	Summary *report.Summary
	Shard   Shard
}

// Placeholder is the summary a shard writes before it starts: partial and
// without an end, so that a shard killed before its real summary replaces
// it is reported as never finished, not missed or taken from an older run.
func Placeholder(cfg Config, started time.Time) *report.Summary {
	s := &report.Summary{
		Partial: true, Shards: []string{cfg.Shard.String()}, Target: cfg.Target, Profile: cfg.profile().Name, ProfileArgs: cfg.profile().Args,
		Timing: cfg.Timing, Pacing: report.Pacing(cfg.Pacing), Started: started, Notify: &judge.Report{},
		Warnings: []string{fmt.Sprintf("shard %s started at %s and has not finished", cfg.Shard, started.UTC().Format(time.RFC3339))},
	}
	s.Pacing.Rate = cfg.Shard.Rate(cfg.Pacing.Rate)
	return s
}

// Failed turns a placeholder into the summary of a shard that stopped on
// err before it had figures: finished, partial, with the reason.
func Failed(placeholder *report.Summary, err error, at time.Time) *report.Summary {
	s := *placeholder
	s.Ended = at
	s.Warnings = []string{fmt.Sprintf("shard %s failed: %v", strings.Join(s.Shards, " "), err)}
	return &s
}

// finished reports whether s is a shard's final summary, not the
// placeholder it wrote at start.
func finished(s *report.Summary) bool { return !s.Ended.IsZero() }

// ReadShards reads the summaries at the given paths, each a file or a glob
// pattern (expanded here: the harness image has no shell). Each must be one
// shard's summary.
func ReadShards(paths []string) ([]ShardFile, error) {
	var out []ShardFile
	for _, p := range paths {
		matches := []string{p}
		if strings.ContainsAny(p, "*?[") {
			var err error
			if matches, err = filepath.Glob(p); err != nil {
				return nil, fmt.Errorf("pattern %s: %w", p, err)
			}
		}
		for _, m := range matches {
			s, err := report.ReadSummary(m)
			if err != nil {
				return nil, err
			}
			if len(s.Shards) != 1 {
				return nil, fmt.Errorf("%s: a merge of shards %v, not one shard's summary", m, s.Shards)
			}
			sh, err := ParseShard(s.Shards[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m, err)
			}
			out = append(out, ShardFile{Path: m, Summary: s, Shard: sh})
		}
	}
	return out, nil
}

// AwaitShards reads the shards at paths until every shard of the run has
// its final summary, or until wait has passed (or ctx is done), polling
// every poll; it returns what it read last. A file that does not parse yet
// (being written) is retried until the deadline.
func AwaitShards(ctx context.Context, paths []string, wait, poll time.Duration) ([]ShardFile, error) {
	deadline := time.Now().Add(wait)
	for {
		files, err := ReadShards(paths)
		if err == nil && complete(files) {
			return files, nil
		}
		left := time.Until(deadline)
		if left <= 0 || ctx.Err() != nil {
			return files, err
		}
		select {
		case <-ctx.Done():
		case <-time.After(min(poll, left)):
		}
	}
}

// complete reports whether files hold a final summary for each of their n shards.
func complete(files []ShardFile) bool {
	if len(files) == 0 {
		return false
	}
	done := map[int]bool{}
	for _, f := range files {
		if f.Shard.N != files[0].Shard.N {
			return true // inconsistent: waiting will not mend it; MergeShards says why
		}
		if finished(f.Summary) {
			done[f.Shard.I] = true
		}
	}
	return len(done) == files[0].Shard.N
}

// MergeShards merges the shards of one run into its summary. Shards of
// different runs (another n, target or timing) or a shard given twice are
// errors. A shard with no file, or whose file is still the placeholder,
// is named in Missing and makes the summary partial: never a pass.
func MergeShards(files []ShardFile) (*report.Summary, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no shard summaries found", ErrNoShardFinished)
	}
	n := files[0].Shard.N
	byIndex := map[int]ShardFile{}
	for _, f := range files {
		switch prev, dup := byIndex[f.Shard.I]; {
		case f.Shard.N != n:
			return nil, fmt.Errorf("%s is shard %s but %s is shard %s: shards of different runs", files[0].Path, files[0].Shard, f.Path, f.Shard)
		case f.Summary.Target != files[0].Summary.Target:
			return nil, fmt.Errorf("%s ran against %s but %s against %s: shards of different runs", files[0].Path, files[0].Summary.Target, f.Path, f.Summary.Target)
		case f.Summary.Pacing.Shape != files[0].Summary.Pacing.Shape || f.Summary.Pacing.Duration != files[0].Summary.Pacing.Duration:
			return nil, fmt.Errorf("%s ran %s for %s but %s %s for %s: shards of different runs", files[0].Path, files[0].Summary.Pacing.Shape, files[0].Summary.Pacing.Duration, f.Path, f.Summary.Pacing.Shape, f.Summary.Pacing.Duration)
		case dup:
			return nil, fmt.Errorf("shard %s given twice: %s and %s", f.Shard, prev.Path, f.Path)
		}
		byIndex[f.Shard.I] = f
	}
	var merged *report.Summary
	var missing []string
	for i := range n {
		f, ok := byIndex[i]
		switch {
		case !ok:
			missing = append(missing, fmt.Sprintf("%d/%d (no result file)", i, n))
			continue
		case !finished(f.Summary):
			missing = append(missing, fmt.Sprintf("%d/%d (%s: started at %s, never finished: killed, evicted or still running)", i, n, f.Path, f.Summary.Started.UTC().Format(time.RFC3339)))
			continue
		}
		if merged == nil {
			merged = f.Summary
		} else if err := merged.Merge(f.Summary); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	if merged == nil {
		return nil, fmt.Errorf("%w: none of %d: %s", ErrNoShardFinished, n, strings.Join(missing, "; "))
	}
	if len(missing) > 0 {
		merged.Partial, merged.Missing = true, missing
	}
	return merged, nil
}

// MergedProfile is the profile a merge s of shards is judged by: the
// shards' own, read back from its name and flags with the shards' timing;
// file names its profile file when the shards were judged by one.
func MergedProfile(s *report.Summary, file string) (judge.Profile, error) {
	base := judge.Profile{Name: s.Profile}.BaseName()
	if file != "" {
		base = file
	}
	p, err := judge.LoadProfile(base)
	switch {
	case err != nil && file == "":
		return p, fmt.Errorf("the shards were judged by profile %q, no built-in one: give --profile with its file", s.Profile)
	case err != nil:
		return p, fmt.Errorf("--profile: %w", err)
	}
	if p, err = judge.ApplyArgs(judge.WithTiming(p, s.Timing), s.ProfileArgs); err != nil {
		return p, fmt.Errorf("the shards' profile flags: %w", err)
	}
	if p.Name != s.Profile {
		return p, fmt.Errorf("the shards were judged by profile %q, not %q", s.Profile, p.Name)
	}
	return p, nil
}
