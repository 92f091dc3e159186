// Package target is the harness's side of the system under test: the
// target (embedded registry, container, URL) and how it is opened, the API
// client (token, register, unregister) with its token cache, the member
// credentials, the triggers that change records, and the sender that calls
// a member's receiver as the registry does. Steps, loadgen, certify and the
// command all reach the target through it. It must not judge what it sees
// (that is package judge) nor report it.
package target
