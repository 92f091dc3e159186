package main

import (
	"io"
	"time"

	"github.com/hookcheck/hookcheck/judge"
	"github.com/hookcheck/hookcheck/steps"
	"github.com/hookcheck/hookcheck/target"
)

// conformanceFlags are the flags of hookcheck conformance.
type conformanceFlags struct {
	spec                   target.Spec
	profile                string
	overrides              func(judge.Profile) (judge.Profile, error)
	behaviour              string
	maxWait, progressEvery time.Duration
	steps.ConsoleFlags
}

func parseConformanceFlags(args []string, stdout, stderr io.Writer) (*conformanceFlags, int, bool) {
	fs := newFlags("conformance", stderr)
	f := &conformanceFlags{}
	f.spec.AddFlags(fs)
	fs.StringVar(&f.profile, "profile", "orcid", "expectations: orcid (doubling retries), orcid-2013 (fixed 5-minute retries), orcid-registry (ORCID's code: linear 10 min × n), or a profile file")
	fs.StringVar(&f.behaviour, "target-behaviour", "", "embedded and container targets: how our registry behaves, docs (ORCID's documentation) or orcid-registry (ORCID's code); default: what the profile describes (orcid-registry for that profile, else docs)")
	f.overrides = judge.OverrideFlags(fs)
	fs.DurationVar(&f.maxWait, "max-wait", time.Hour, "skip scenarios that need more waiting than this (e.g. max attempts against real time)")
	fs.DurationVar(&f.progressEvery, "progress-every", 30*time.Second, "report progress of waits longer than this on stderr")
	f.ConsoleFlags.AddFlags(fs, 0, "scenarios run at once (default 8 embedded, 16 for URLs, at most the records given)", "the conformance report (JSON)")
	if code, done := parseFlags(fs, args, stdout); done {
		return nil, code, true
	}
	return f, 0, false
}
