package sqlite_test

import (
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
