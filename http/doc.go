// Package http serves interdict over HTTP: the JSON API (version 1, described
// by the OpenAPI 3.1 document at /openapi.json), the analyst web UI rendered
// from the templates of package html, health and readiness probes, and
// Prometheus metrics. Callers import it as interdicthttp.
//
// A Server screens against a Snapshot: an immutable, loaded index of the
// current list versions. A reload builds a new Snapshot and swaps it in with
// Server.Swap; each request loads the snapshot once and uses it from start to
// finish, so requests in flight finish on the old index and none fails
// during the swap.
//
// Errors are RFC 9457 problem details (application/problem+json). The
// interdict error codes map to HTTP statuses in one table (see errorStatus);
// any other error is reported as "Internal error." and its detail goes only
// to the log.
package http
