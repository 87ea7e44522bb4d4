// Package http serves interdict over HTTP: the JSON API (version 1, described
// by the OpenAPI 3.1 document at /openapi.json), the analyst web UI rendered
// from the templates of package html, health and readiness probes, and
// Prometheus metrics. Callers import it as interdicthttp.
//
// A Server screens every query through a screen.Service, which checks the
// query (warnings for unreadable fields; 422 only when the request asks for
// strict) and screens it on the service's current screen.Index. The service
// swaps in a new index when a list version is stored; a request (or a whole
// batch) uses the index it started with from start to finish, so requests in
// flight finish on the old index and none fails during the swap. The web
// UI's batch jobs are kept in an interdict.JobStore and survive a restart.
//
// The OpenAPI document (openapi.json, embedded) is written by hand rather
// than generated with oapi-codegen: the API has a handful of routes whose
// bodies are the root types (interdict.Query, interdict.ScreenResult,
// interdict.Entity) that the CLI prints too, and a generated strict server
// would wrap those types in generated copies and add kin-openapi and the
// oapi runtime to the binary. Drift is caught by tests instead: every route
// must be documented and every documented operation routed, and the
// responses of the unit and end-to-end tests are validated against the
// document's schemas (package openapitest), which forbid undocumented
// properties.
//
// Errors are RFC 9457 problem details (application/problem+json). The
// interdict error codes map to HTTP statuses in one table (see errorStatus);
// any other error is reported as "Internal error." and its detail goes only
// to the log.
package http
