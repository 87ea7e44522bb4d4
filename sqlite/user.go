package sqlite

import (
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/sqlstore"
)

// UserStore implements interdict.UserStore on SQLite (the SQL is
// sqlstore.UserStore's).
type UserStore struct {
	*sqlstore.UserStore
}

var _ interdict.UserStore = (*UserStore)(nil)

// NewUserStore returns a UserStore on db.
func NewUserStore(db *DB) *UserStore {
	return &UserStore{sqlstore.NewUserStore(db.store())}
}
