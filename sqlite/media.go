package sqlite

import (
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/sqlstore"
)

// MediaStore implements interdict.MediaStore on SQLite: adverse-media
// articles, what they mention, and the alerts raised on them (the SQL is
// sqlstore.MediaStore's).
type MediaStore struct {
	*sqlstore.MediaStore
}

var _ interdict.MediaStore = (*MediaStore)(nil)

// NewMediaStore returns a MediaStore on db.
func NewMediaStore(db *DB) *MediaStore { return &MediaStore{sqlstore.NewMediaStore(db.store())} }
