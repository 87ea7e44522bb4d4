package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/interdict/interdict"
)

// ListStore is the part of interdict.ListStore that the SQL adapters
// share: reading list versions and their entities, and choosing the
// current version. Each adapter adds CreateListVersion (SQLite inserts the
// entities a row at a time, PostgreSQL copies them in) and Generation.
//
// When Events is set, every version made current is published as an
// interdict.EventListVersionStored once committed (see Stored).
type ListStore struct {
	db *DB
	// Events, when set, receives an event for each version made current.
	Events interdict.Events
}

// NewListStore returns a ListStore on db.
func NewListStore(db *DB) *ListStore {
	return &ListStore{db: db}
}

// ListLockKey is the namespace of the transaction-scoped locks
// (Dialect.TxLock) that number the versions of one list and choose its
// current one: two replicas importing the same list at once get versions
// n and n+1, never two versions n.
const ListLockKey = 0x6c697374 // "list"

// Stored tells Events, if set, that version of list was stored (and made
// current, if current), after its transaction committed.
func (s *ListStore) Stored(ctx context.Context, list string, version int, current bool) error {
	if s.Events == nil {
		return nil
	}
	e := interdict.Event{Type: interdict.EventListVersionStored, List: list, Version: version, Current: current, At: s.db.Now()}
	if err := s.Events.Publish(context.WithoutCancel(ctx), e); err != nil {
		return fmt.Errorf("publish version %d of %s: %w", version, list, err)
	}
	return nil
}

// CheckVersion returns an EINVALID error when v, a version to be stored,
// names no list or has no checksum.
func CheckVersion(v *interdict.ListVersion) error {
	if v.List == "" {
		return interdict.Errorf(interdict.EINVALID, "list version has no list")
	}
	if v.Checksum == "" {
		return interdict.Errorf(interdict.EINVALID, "list version of %s has no checksum", v.List)
	}
	return nil
}

const versionColumns = `list, version, publisher, format, published, imported_at, checksum, sources, counts, total, current, report`

// scanVersion reads the versionColumns, after any columns of extra.
func (s *ListStore) scanVersion(sc scanner, extra ...any) (*interdict.ListVersion, error) {
	var v interdict.ListVersion
	var sources, counts, report string
	dest := append(extra, &v.List, &v.Version, &v.Publisher, &v.Format, &v.Published, s.db.tsCol(&v.ImportedAt), &v.Checksum,
		&sources, &counts, &v.Total, &v.Current, &report)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(sources), &v.Sources); err != nil {
		return nil, fmt.Errorf("version %d of %s: sources: %w", v.Version, v.List, err)
	}
	if err := json.Unmarshal([]byte(counts), &v.Counts); err != nil {
		return nil, fmt.Errorf("version %d of %s: counts: %w", v.Version, v.List, err)
	}
	if err := json.Unmarshal([]byte(report), &v.Report); err != nil {
		return nil, fmt.Errorf("version %d of %s: report: %w", v.Version, v.List, err)
	}
	return &v, nil
}

func (s *ListStore) queryVersions(ctx context.Context, query string, args ...any) ([]*interdict.ListVersion, error) {
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("query list versions: %w", err)
	}
	defer rows.Close()
	var out []*interdict.ListVersion
	for rows.Next() {
		v, err := s.scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindListVersions implements interdict.ListStore.
func (s *ListStore) FindListVersions(ctx context.Context, list string) (_ []*interdict.ListVersion, err error) {
	defer s.db.wrap(&err, "FindListVersions")
	if list == "" {
		return s.queryVersions(ctx, `SELECT `+versionColumns+` FROM list_versions ORDER BY list, version DESC`)
	}
	return s.queryVersions(ctx, `SELECT `+versionColumns+` FROM list_versions WHERE list = ? ORDER BY version DESC`, list)
}

// FindCurrentVersions implements interdict.ListStore.
func (s *ListStore) FindCurrentVersions(ctx context.Context) (_ []*interdict.ListVersion, err error) {
	defer s.db.wrap(&err, "FindCurrentVersions")
	vs, err := s.queryVersions(ctx, `SELECT `+versionColumns+` FROM list_versions WHERE current`)
	if err != nil {
		return nil, err
	}
	return sortByListOrder(vs), nil
}

// sortByListOrder orders versions as interdict.Lists does, unknown lists
// (the institution's own) last in the order read.
func sortByListOrder(vs []*interdict.ListVersion) []*interdict.ListVersion {
	out := make([]*interdict.ListVersion, 0, len(vs))
	for _, l := range interdict.Lists {
		for _, v := range vs {
			if v.List == l.ID {
				out = append(out, v)
			}
		}
	}
	for _, v := range vs {
		if _, ok := interdict.LookupList(v.List); !ok {
			out = append(out, v)
		}
	}
	return out
}

// FindListVersion implements interdict.ListStore.
func (s *ListStore) FindListVersion(ctx context.Context, list string, version int) (_ *interdict.ListVersion, err error) {
	defer s.db.wrap(&err, "FindListVersion")
	row := s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT `+versionColumns+` FROM list_versions WHERE list = ? AND version = ?`), list, version)
	v, err := s.scanVersion(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "List %s has no version %d.", list, version)
	} else if err != nil {
		return nil, fmt.Errorf("find version %d of %s: %w", version, list, err)
	}
	return v, nil
}

// FindEntities implements interdict.ListStore.
func (s *ListStore) FindEntities(ctx context.Context, list string, version int) (_ []interdict.Entity, err error) {
	defer s.db.wrap(&err, "FindEntities")
	v, err := s.FindListVersion(ctx, list, version)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(`SELECT data FROM entities WHERE list = ? AND version = ? ORDER BY id`), list, version)
	if err != nil {
		return nil, fmt.Errorf("query entities of %s version %d: %w", list, version, err)
	}
	defer rows.Close()
	out := make([]interdict.Entity, 0, v.Total)
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var e interdict.Entity
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, fmt.Errorf("decode entity of %s version %d: %w", list, version, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// FindEntityByID implements interdict.ListStore: the entity and its list's
// current version, read together.
func (s *ListStore) FindEntityByID(ctx context.Context, id string) (_ *interdict.Entity, _ *interdict.ListVersion, err error) {
	defer s.db.wrap(&err, "FindEntityByID")
	list, _, ok := interdict.SplitEntityID(id)
	if !ok {
		return nil, nil, interdict.Errorf(interdict.EINVALID, "Entity ID %q is not of the form <list>:<id>.", id)
	}
	row := s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT e.data, `+prefixed("v.", versionColumns)+` FROM entities e
		JOIN list_versions v ON v.list = e.list AND v.version = e.version AND v.current
		WHERE e.list = ? AND e.id = ?`), list, id)
	var data []byte
	v, err := s.scanVersion(row, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, interdict.Errorf(interdict.ENOTFOUND, "Entity %s is not on the current version of list %s.", id, list)
	} else if err != nil {
		return nil, nil, fmt.Errorf("find entity %s: %w", id, err)
	}
	var e interdict.Entity
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, nil, fmt.Errorf("decode entity %s: %w", id, err)
	}
	return &e, v, nil
}

// prefixed returns the comma-separated columns with each name prefixed.
func prefixed(prefix, columns string) string {
	return prefix + strings.ReplaceAll(columns, ", ", ", "+prefix)
}

// SetCurrentVersion implements interdict.ListStore.
func (s *ListStore) SetCurrentVersion(ctx context.Context, list string, version int) (err error) {
	defer s.db.wrap(&err, "SetCurrentVersion")
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if lock := s.db.Dialect.TxLock; lock != "" {
		if _, err := tx.ExecContext(ctx, s.db.rebind(lock), ListLockKey, list); err != nil {
			return fmt.Errorf("lock the versions of %s: %w", list, err)
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.db.rebind(`SELECT count(*) FROM list_versions WHERE list = ? AND version = ?`), list, version).Scan(&n); err != nil {
		return fmt.Errorf("find version %d of %s: %w", version, list, err)
	}
	if n == 0 {
		return interdict.Errorf(interdict.ENOTFOUND, "List %s has no version %d.", list, version)
	}
	if _, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE list_versions SET current = false WHERE list = ? AND current AND version <> ?`), list, version); err != nil {
		return fmt.Errorf("clear current version of %s: %w", list, err)
	}
	if _, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE list_versions SET current = true WHERE list = ? AND version = ?`), list, version); err != nil {
		return fmt.Errorf("set current version of %s: %w", list, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit current version of %s: %w", list, err)
	}
	return s.Stored(ctx, list, version, true)
}
