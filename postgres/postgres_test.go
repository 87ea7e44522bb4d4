package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/storetest"
	"github.com/interdict/interdict/postgres"
)

var schemas atomic.Int64

// MustOpenDB opens the database of INTERDICT_TEST_POSTGRES_DSN in a fresh
// schema of its own, dropped when the test ends, or skips the test when
// the variable is not set.
func MustOpenDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	dsn := os.Getenv("INTERDICT_TEST_POSTGRES_DSN")
	if dsn == "" {
		tb.Skip("INTERDICT_TEST_POSTGRES_DSN is not set; skipping the PostgreSQL tests")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("interdict_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemas.Add(1))
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	db, err := postgres.Open(ctx, withSearchPath(tb, dsn, schema))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func withSearchPath(tb testing.TB, dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			tb.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

func TestReviewStoreContract(t *testing.T) {
	storetest.Review(t, func(t *testing.T) (interdict.ReviewStore, storetest.Exec) {
		db := MustOpenDB(t)
		return postgres.NewReviewStore(db), func(ctx context.Context, q string, args ...any) error {
			_, err := db.ExecContext(ctx, postgres.Rebind(q), args...)
			return err
		}
	})
}

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"},
	} {
		if got := postgres.Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestJobStoreContract(t *testing.T) {
	storetest.JobStore(t, func(t *testing.T) interdict.JobStore { return postgres.NewJobStore(MustOpenDB(t)) })
}

func TestUserStoreContract(t *testing.T) {
	storetest.UserStore(t, func(t *testing.T) interdict.UserStore { return postgres.NewUserStore(MustOpenDB(t)) })
}

func TestMessageResultStoreContract(t *testing.T) {
	storetest.MessageResultStore(t, func(t *testing.T) interdict.MessageResultStore {
		return postgres.NewMessageResultStore(MustOpenDB(t))
	})
}
