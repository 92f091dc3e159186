// Package steps binds the feature files to Go: godog step definitions and
// the per-scenario state they act on (scenario for the conformance suite,
// rcvScenario for the receiver certification), thin methods that read like
// the Gherkin they bind. It reaches the target through package target,
// judges through package judge and records results as package report's
// types; it knows nothing of flags or output files.
//
// Nothing is global: the suite-wide parts (target, receiver, token cache,
// redactor, results) live in a suite value made by Run, so suites may run
// side by side. Run is the entry point for the binary and for go test.
package steps
