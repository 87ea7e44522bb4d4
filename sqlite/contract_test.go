package sqlite_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/storetest"
	"github.com/interdict/interdict/sqlite"
)

func TestListStoreContract(t *testing.T) {
	storetest.ListStore(t, func(t *testing.T, events interdict.Events) interdict.ListStore {
		s := sqlite.NewListStore(MustOpenDB(t))
		s.Events = events
		return s
	})
}

func TestJobStoreContract(t *testing.T) {
	storetest.JobStore(t, func(t *testing.T) interdict.JobStore { return sqlite.NewJobStore(MustOpenDB(t)) })
}

func TestUserStoreContract(t *testing.T) {
	storetest.UserStore(t, func(t *testing.T) interdict.UserStore { return sqlite.NewUserStore(MustOpenDB(t)) })
}

func TestReviewStoreContract(t *testing.T) {
	storetest.Review(t, func(t *testing.T) (interdict.ReviewStore, storetest.Exec) {
		db := MustOpenDB(t)
		raw, err := sql.Open("sqlite", "file:"+db.DSN+"?_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		return sqlite.NewReviewStore(db), func(ctx context.Context, q string, args ...any) error {
			_, err := raw.ExecContext(ctx, q, args...)
			return err
		}
	})
}

func TestMessageResultStoreContract(t *testing.T) {
	storetest.MessageResultStore(t, func(t *testing.T) interdict.MessageResultStore {
		return sqlite.NewMessageResultStore(MustOpenDB(t))
	})
}
