package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/sqlstore"
)

// ListStore implements interdict.ListStore on SQLite. Each version keeps a
// full copy of its entities so that any two versions can be compared and any
// past decision traced to the data it rested on.
//
// When Events is set, every version made current (by CreateListVersion or
// SetCurrentVersion) is published as an interdict.EventListVersionStored
// once committed: the store is the one place that tells screening indexes
// to reload.
//
// The reading of versions and entities and SetCurrentVersion are
// sqlstore.ListStore's (its Events field is this store's).
type ListStore struct {
	*sqlstore.ListStore
	db *DB
}

var _ interdict.ListStore = (*ListStore)(nil)

// NewListStore returns a ListStore on db.
func NewListStore(db *DB) *ListStore {
	return &ListStore{ListStore: sqlstore.NewListStore(db.store()), db: db}
}

// CreateListVersion implements interdict.ListStore.
func (s *ListStore) CreateListVersion(ctx context.Context, v *interdict.ListVersion, entities []interdict.Entity) (err error) {
	defer wrap(&err, "sqlite.CreateListVersion")
	if err := sqlstore.CheckVersion(v); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM list_versions WHERE list = ?`, v.List).Scan(&last); err != nil {
		return fmt.Errorf("find last version of %s: %w", v.List, err)
	}
	v.Version = int(last.Int64) + 1
	if v.ImportedAt.IsZero() {
		v.ImportedAt = s.db.Now()
	}
	sources, _ := json.Marshal(v.Sources)
	counts, _ := json.Marshal(v.Counts)
	report, _ := json.Marshal(v.Report)
	if v.Current {
		if _, err := tx.ExecContext(ctx, `UPDATE list_versions SET current = 0 WHERE list = ?`, v.List); err != nil {
			return fmt.Errorf("clear current version of %s: %w", v.List, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO list_versions
		(list, version, publisher, format, published, imported_at, checksum, sources, counts, total, current, report)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.List, v.Version, v.Publisher, v.Format, v.Published, v.ImportedAt.UTC().Format(time.RFC3339Nano),
		v.Checksum, string(sources), string(counts), v.Total, v.Current, string(report)); err != nil {
		return fmt.Errorf("insert version %d of %s: %w", v.Version, v.List, err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO entities (list, version, id, hash, data) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare entity insert: %w", err)
	}
	defer stmt.Close()
	for i := range entities {
		e := &entities[i]
		data, hash := e.Encode()
		if _, err := stmt.ExecContext(ctx, v.List, v.Version, e.ID, hash, data); err != nil {
			return fmt.Errorf("insert entity %s: %w", e.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit version %d of %s: %w", v.Version, v.List, err)
	}
	return s.Stored(ctx, v.List, v.Version, v.Current)
}

// Generation implements interdict.ListStore: the current version of every
// list, read from the small list_versions table, so that an import by
// another process is seen as soon as it commits.
func (s *ListStore) Generation(ctx context.Context) (gen string, err error) {
	defer wrap(&err, "sqlite.Generation")
	var g sql.NullString
	if err := s.db.db.QueryRowContext(ctx, `SELECT group_concat(list || ':' || version || ':' || checksum, ' ')
		FROM (SELECT list, version, checksum FROM list_versions WHERE current = 1 ORDER BY list)`).Scan(&g); err != nil {
		return "", fmt.Errorf("read current versions: %w", err)
	}
	return g.String, nil
}
