// Package clustertest holds the acceptance tests of a cluster: the
// interdict binary built and started as three `serve` replicas on
// PostgreSQL and NATS JetStream, with a replica killed and restarted while
// they re-screen a large book. The tests run only when both
// INTERDICT_TEST_POSTGRES_DSN and INTERDICT_TEST_NATS_URL are set (as
// .ci/run does), each in a schema and on NATS subjects of its own.
package clustertest
