package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/interdict/interdict"
)

// ListStore implements interdict.ListStore on SQLite. Each version keeps a
// full copy of its entities so that any two versions can be compared and any
// past decision traced to the data it rested on.
//
// When Events is set, every version made current (by CreateListVersion or
// SetCurrentVersion) is published as an interdict.EventListVersionStored
// once committed: the store is the one place that tells screening indexes
// to reload.
type ListStore struct {
	db *DB
	// Events, when set, receives an event for each version made current.
	Events interdict.Events
}

var _ interdict.ListStore = (*ListStore)(nil)

// NewListStore returns a ListStore on db.
func NewListStore(db *DB) *ListStore {
	return &ListStore{db: db}
}

// CreateListVersion implements interdict.ListStore.
func (s *ListStore) CreateListVersion(ctx context.Context, v *interdict.ListVersion, entities []interdict.Entity) (err error) {
	defer wrap(&err, "sqlite.CreateListVersion")
	if v.List == "" {
		return interdict.Errorf(interdict.EINVALID, "list version has no list")
	}
	if v.Checksum == "" {
		return interdict.Errorf(interdict.EINVALID, "list version of %s has no checksum", v.List)
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
	return s.publish(ctx, v.List, v.Version, v.Current)
}

// publish tells Events, if set, that a version was stored.
func (s *ListStore) publish(ctx context.Context, list string, version int, current bool) error {
	if s.Events == nil {
		return nil
	}
	e := interdict.Event{Type: interdict.EventListVersionStored, List: list, Version: version, Current: current, At: s.db.Now()}
	if err := s.Events.Publish(context.WithoutCancel(ctx), e); err != nil {
		return fmt.Errorf("publish version %d of %s: %w", version, list, err)
	}
	return nil
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

const versionColumns = `list, version, publisher, format, published, imported_at, checksum, sources, counts, total, current, report`

func scanVersion(sc interface{ Scan(...any) error }) (*interdict.ListVersion, error) {
	var v interdict.ListVersion
	var imported, sources, counts, report string
	if err := sc.Scan(&v.List, &v.Version, &v.Publisher, &v.Format, &v.Published, &imported, &v.Checksum,
		&sources, &counts, &v.Total, &v.Current, &report); err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339Nano, imported)
	if err != nil {
		return nil, fmt.Errorf("version %d of %s: imported_at %q: %w", v.Version, v.List, imported, err)
	}
	v.ImportedAt = t
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
	rows, err := s.db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query list versions: %w", err)
	}
	defer rows.Close()
	var out []*interdict.ListVersion
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindListVersions implements interdict.ListStore.
func (s *ListStore) FindListVersions(ctx context.Context, list string) (_ []*interdict.ListVersion, err error) {
	defer wrap(&err, "sqlite.FindListVersions")
	if list == "" {
		return s.queryVersions(ctx, `SELECT `+versionColumns+` FROM list_versions ORDER BY list, version DESC`)
	}
	return s.queryVersions(ctx, `SELECT `+versionColumns+` FROM list_versions WHERE list = ? ORDER BY version DESC`, list)
}

// FindCurrentVersions implements interdict.ListStore.
func (s *ListStore) FindCurrentVersions(ctx context.Context) (_ []*interdict.ListVersion, err error) {
	defer wrap(&err, "sqlite.FindCurrentVersions")
	vs, err := s.queryVersions(ctx, `SELECT `+versionColumns+` FROM list_versions WHERE current = 1`)
	if err != nil {
		return nil, err
	}
	return sortByListOrder(vs), nil
}

// sortByListOrder orders versions as interdict.Lists does, unknown lists last.
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
	defer wrap(&err, "sqlite.FindListVersion")
	row := s.db.db.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM list_versions WHERE list = ? AND version = ?`, list, version)
	v, err := scanVersion(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "List %s has no version %d.", list, version)
	} else if err != nil {
		return nil, fmt.Errorf("find version %d of %s: %w", version, list, err)
	}
	return v, nil
}

// FindEntities implements interdict.ListStore.
func (s *ListStore) FindEntities(ctx context.Context, list string, version int) (_ []interdict.Entity, err error) {
	defer wrap(&err, "sqlite.FindEntities")
	v, err := s.FindListVersion(ctx, list, version)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT data FROM entities WHERE list = ? AND version = ? ORDER BY id`, list, version)
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

// FindEntityByID implements interdict.ListStore.
func (s *ListStore) FindEntityByID(ctx context.Context, id string) (_ *interdict.Entity, _ *interdict.ListVersion, err error) {
	defer wrap(&err, "sqlite.FindEntityByID")
	list, _, ok := interdict.SplitEntityID(id)
	if !ok {
		return nil, nil, interdict.Errorf(interdict.EINVALID, "Entity ID %q is not of the form <list>:<id>.", id)
	}
	var version int
	var data []byte
	err = s.db.db.QueryRowContext(ctx, `SELECT e.version, e.data FROM entities e
		JOIN list_versions v ON v.list = e.list AND v.version = e.version AND v.current = 1
		WHERE e.list = ? AND e.id = ?`, list, id).Scan(&version, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, interdict.Errorf(interdict.ENOTFOUND, "Entity %s is not on the current version of list %s.", id, list)
	} else if err != nil {
		return nil, nil, fmt.Errorf("find entity %s: %w", id, err)
	}
	var e interdict.Entity
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, nil, fmt.Errorf("decode entity %s: %w", id, err)
	}
	v, err := s.FindListVersion(ctx, list, version)
	if err != nil {
		return nil, nil, err
	}
	return &e, v, nil
}

// SetCurrentVersion implements interdict.ListStore.
func (s *ListStore) SetCurrentVersion(ctx context.Context, list string, version int) (err error) {
	defer wrap(&err, "sqlite.SetCurrentVersion")
	if _, err := s.FindListVersion(ctx, list, version); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE list_versions SET current = (version = ?) WHERE list = ?`, version, list); err != nil {
		return fmt.Errorf("set current version of %s: %w", list, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit current version of %s: %w", list, err)
	}
	return s.publish(ctx, list, version, true)
}
