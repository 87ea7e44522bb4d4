package review_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/postgres"
)

// reviewStores names the review stores the store-dependent tests run on:
// SQLite, and PostgreSQL when INTERDICT_TEST_POSTGRES_DSN is set.
func reviewStores() []string {
	if os.Getenv("INTERDICT_TEST_POSTGRES_DSN") == "" {
		return []string{"sqlite"}
	}
	return []string{"sqlite", "postgres"}
}

var pgSchemas atomic.Int64

// postgresReviewStore returns a review store in a fresh schema of the
// database of INTERDICT_TEST_POSTGRES_DSN, dropped when the test ends.
func postgresReviewStore(tb testing.TB) interdict.ReviewStore {
	tb.Helper()
	dsn := os.Getenv("INTERDICT_TEST_POSTGRES_DSN")
	ctx := context.Background()
	schema := fmt.Sprintf("interdict_review_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, pgSchemas.Add(1))
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if admin, err := sql.Open("pgx", dsn); err == nil {
			_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return postgres.NewReviewStore(db)
}
