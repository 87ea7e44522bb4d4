package postgres_test

import (
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/interdict/interdict/internal/storetest"
	"github.com/interdict/interdict/postgres"
)

// BenchmarkAlertQueue measures alert queue pages over
// $INTERDICT_BENCH_ALERTS alerts (default 100,000) on PostgreSQL.
func BenchmarkAlertQueue(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("INTERDICT_BENCH_ALERTS")); err == nil && v > 0 {
		n = v
	}
	queue.Do(func() {
		queue.s = postgres.NewReviewStore(MustOpenDB(b))
		storetest.FillAlerts(b, queue.s, n)
	})
	storetest.QueuePages(b, queue.s)
}

// queue is the filled store, shared by the runs of the benchmark (the
// testing package runs it once with b.N = 1 first).
var queue struct {
	sync.Once
	s *postgres.ReviewStore
}
