package postgres_test

import (
	"os"
	"strconv"
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
	storetest.AlertQueue(b, postgres.NewReviewStore(MustOpenDB(b)), n)
}
