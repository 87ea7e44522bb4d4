package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// ListStore implements interdict.ListStore on PostgreSQL, so that the
// replicas of a cluster share their list versions: a version is imported
// once, by one replica, and every replica loads it from here. Each version
// keeps a full copy of its entities, as the embedded store does.
//
// When Events is set, every version made current (by CreateListVersion or
// SetCurrentVersion) is published as an interdict.EventListVersionStored
// once committed; on a cluster Events is the NATS bus, so that every
// replica reloads at once. Replicas that miss the event still see the new
// version through Generation.
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

// CreateListVersion implements interdict.ListStore. The entities are
// copied in with COPY in the version's transaction.
func (s *ListStore) CreateListVersion(ctx context.Context, v *interdict.ListVersion, entities []interdict.Entity) (err error) {
	defer wrap(&err, "postgres.CreateListVersion")
	if err := sqlstore.CheckVersion(v); err != nil {
		return err
	}
	if v.ImportedAt.IsZero() {
		v.ImportedAt = s.db.Now()
	}
	v.ImportedAt = v.ImportedAt.UTC().Truncate(time.Microsecond)
	sources, _ := json.Marshal(v.Sources)
	counts, _ := json.Marshal(v.Counts)
	report, _ := json.Marshal(v.Report)
	if v.Sources == nil {
		sources = []byte("[]")
	}
	if v.Counts == nil {
		counts = []byte("{}")
	}
	rows := make([][]any, len(entities))
	for i := range entities {
		e := &entities[i]
		data, hash := e.Encode()
		rows[i] = []any{v.List, 0, e.ID, hash, data}
	}
	conn, err := s.db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		if _, err := tx.Exec(ctx, sqlstore.Rebind(dialect.TxLock), sqlstore.ListLockKey, v.List); err != nil {
			return fmt.Errorf("lock the versions of %s: %w", v.List, err)
		}
		var last int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM list_versions WHERE list = $1`, v.List).Scan(&last); err != nil {
			return fmt.Errorf("find last version of %s: %w", v.List, err)
		}
		v.Version = last + 1
		if v.Current {
			if _, err := tx.Exec(ctx, `UPDATE list_versions SET current = false WHERE list = $1 AND current`, v.List); err != nil {
				return fmt.Errorf("clear current version of %s: %w", v.List, err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO list_versions
			(list, version, publisher, format, published, imported_at, checksum, sources, counts, total, current, report)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			v.List, v.Version, v.Publisher, v.Format, v.Published, v.ImportedAt,
			v.Checksum, string(sources), string(counts), v.Total, v.Current, string(report)); err != nil {
			return fmt.Errorf("insert version %d of %s: %w", v.Version, v.List, err)
		}
		for _, r := range rows {
			r[1] = v.Version
		}
		if len(rows) > 0 {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"entities"}, []string{"list", "version", "id", "hash", "data"}, pgx.CopyFromRows(rows)); err != nil {
				if isUnique(err) {
					return interdict.Errorf(interdict.EINVALID, "Version %d of %s holds an entity ID twice: %v", v.Version, v.List, err)
				}
				return fmt.Errorf("copy the %d entities of %s version %d: %w", len(rows), v.List, v.Version, err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("commit version %d of %s: %w", v.Version, v.List, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.Stored(ctx, v.List, v.Version, v.Current)
}

// Generation implements interdict.ListStore: the current version of every
// list, read from the small list_versions table (an index-only read of
// the current rows), so that a version stored by another replica is seen
// as soon as it commits.
func (s *ListStore) Generation(ctx context.Context) (gen string, err error) {
	defer wrap(&err, "postgres.Generation")
	var g sql.NullString
	if err := s.db.db.QueryRowContext(ctx, `SELECT string_agg(list || ':' || version || ':' || checksum, ' ' ORDER BY list)
		FROM list_versions WHERE current`).Scan(&g); err != nil {
		return "", fmt.Errorf("read current versions: %w", err)
	}
	return g.String, nil
}
