// Package report holds hookcheck's report types — the API a CI tool or a
// vendor reads — and writes every format: the console summaries, the
// conformance and receiver-certification JSON reports, the load and flood
// summaries (JSON, text, HTML with plots). Commands choose formats; they do
// not format. It knows verdicts and figures; it must not know how runs are
// driven (godog, vegeta attacks) nor parse flags.
package report
