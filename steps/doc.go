// Package steps runs the conformance suite: godog step definitions for the
// feature files in package features, a client for the target's webhook API,
// triggers that change records on the target, receivers that serve the
// callbacks, and the analysers that judge what arrived.
//
// Each scenario keeps its state in its own scenario struct; the suite-wide
// parts (target, receiver, redactor, results) live in a suite value made by
// Run. Nothing is global, so suites may run side by side.
//
// Run is the entry point for the hookcheck binary and for go test.
package steps
