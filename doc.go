// Package interdict holds the domain of the interdict screening engine: the
// entities published on sanctions and denied-party lists, the versions of those
// lists, and the contracts (such as ListStore) that adapters implement.
//
// The package imports only the standard library. Parsers for each list format
// live under source/, storage adapters in sqlite/, and all wiring in
// internal/cli.
package interdict
