package postgres

import (
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/sqlstore"
)

// OwnershipStore implements interdict.OwnershipStore on PostgreSQL (the SQL is
// sqlstore.OwnershipStore's).
type OwnershipStore struct {
	*sqlstore.OwnershipStore
}

var _ interdict.OwnershipStore = (*OwnershipStore)(nil)

// NewOwnershipStore returns an OwnershipStore on db.
func NewOwnershipStore(db *DB) *OwnershipStore {
	return &OwnershipStore{sqlstore.NewOwnershipStore(db.store())}
}
