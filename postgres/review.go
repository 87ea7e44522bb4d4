package postgres

import (
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/sqlstore"
)

// ReviewStore implements interdict.ReviewStore on PostgreSQL: the book,
// alerts, decisions, the good-guy list, run checkpoints and the audit
// trail (the SQL is sqlstore.ReviewStore's). Pages of the alert queue are
// read in index order (Dialect.PageHint).
type ReviewStore struct {
	*sqlstore.ReviewStore
}

var _ interdict.ReviewStore = (*ReviewStore)(nil)

// NewReviewStore returns a ReviewStore on db.
func NewReviewStore(db *DB) *ReviewStore {
	return &ReviewStore{sqlstore.NewReviewStore(db.store())}
}
