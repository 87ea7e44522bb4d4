package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/interdict/interdict"
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

// listLockKey is the namespace of the transaction-scoped advisory locks
// that number the versions of one list: two replicas importing the same
// list at once get versions n and n+1, never two versions n.
const listLockKey = 0x6c697374 // "list"

// CreateListVersion implements interdict.ListStore. The entities are
// copied in with COPY in the version's transaction.
func (s *ListStore) CreateListVersion(ctx context.Context, v *interdict.ListVersion, entities []interdict.Entity) (err error) {
	defer wrap(&err, "postgres.CreateListVersion")
	if v.List == "" {
		return interdict.Errorf(interdict.EINVALID, "list version has no list")
	}
	if v.Checksum == "" {
		return interdict.Errorf(interdict.EINVALID, "list version of %s has no checksum", v.List)
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
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(current_schema() || '.' || $2))`, listLockKey, v.List); err != nil {
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

const versionColumns = `list, version, publisher, format, published, imported_at, checksum, sources, counts, total, current, report`

func scanVersion(sc interface{ Scan(...any) error }) (*interdict.ListVersion, error) {
	var v interdict.ListVersion
	var sources, counts, report string
	if err := sc.Scan(&v.List, &v.Version, &v.Publisher, &v.Format, &v.Published, tsCol{&v.ImportedAt}, &v.Checksum,
		&sources, &counts, &v.Total, &v.Current, &report); err != nil {
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
	defer wrap(&err, "postgres.FindListVersions")
	if list == "" {
		return s.queryVersions(ctx, `SELECT `+versionColumns+` FROM list_versions ORDER BY list, version DESC`)
	}
	return s.queryVersions(ctx, `SELECT `+versionColumns+` FROM list_versions WHERE list = $1 ORDER BY version DESC`, list)
}

// FindCurrentVersions implements interdict.ListStore.
func (s *ListStore) FindCurrentVersions(ctx context.Context) (_ []*interdict.ListVersion, err error) {
	defer wrap(&err, "postgres.FindCurrentVersions")
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
	defer wrap(&err, "postgres.FindListVersion")
	row := s.db.db.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM list_versions WHERE list = $1 AND version = $2`, list, version)
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
	defer wrap(&err, "postgres.FindEntities")
	v, err := s.FindListVersion(ctx, list, version)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT data FROM entities WHERE list = $1 AND version = $2 ORDER BY id`, list, version)
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
	defer wrap(&err, "postgres.FindEntityByID")
	list, _, ok := interdict.SplitEntityID(id)
	if !ok {
		return nil, nil, interdict.Errorf(interdict.EINVALID, "Entity ID %q is not of the form <list>:<id>.", id)
	}
	row := s.db.db.QueryRowContext(ctx, `SELECT e.data, `+prefixed("v.", versionColumns)+` FROM entities e
		JOIN list_versions v ON v.list = e.list AND v.version = e.version AND v.current
		WHERE e.list = $1 AND e.id = $2`, list, id)
	var data []byte
	var v interdict.ListVersion
	var sources, counts, report string
	err = row.Scan(&data, &v.List, &v.Version, &v.Publisher, &v.Format, &v.Published, tsCol{&v.ImportedAt}, &v.Checksum,
		&sources, &counts, &v.Total, &v.Current, &report)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, interdict.Errorf(interdict.ENOTFOUND, "Entity %s is not on the current version of list %s.", id, list)
	} else if err != nil {
		return nil, nil, fmt.Errorf("find entity %s: %w", id, err)
	}
	var e interdict.Entity
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, nil, fmt.Errorf("decode entity %s: %w", id, err)
	}
	for _, c := range []struct {
		name string
		src  string
		dst  any
	}{{"sources", sources, &v.Sources}, {"counts", counts, &v.Counts}, {"report", report, &v.Report}} {
		if err := json.Unmarshal([]byte(c.src), c.dst); err != nil {
			return nil, nil, fmt.Errorf("version %d of %s: %s: %w", v.Version, v.List, c.name, err)
		}
	}
	return &e, &v, nil
}

// prefixed returns the comma-separated columns with each name prefixed.
func prefixed(prefix, columns string) string {
	return prefix + strings.ReplaceAll(columns, ", ", ", "+prefix)
}

// SetCurrentVersion implements interdict.ListStore.
func (s *ListStore) SetCurrentVersion(ctx context.Context, list string, version int) (err error) {
	defer wrap(&err, "postgres.SetCurrentVersion")
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(current_schema() || '.' || $2))`, listLockKey, list); err != nil {
		return fmt.Errorf("lock the versions of %s: %w", list, err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM list_versions WHERE list = $1 AND version = $2`, list, version).Scan(&n); err != nil {
		return fmt.Errorf("find version %d of %s: %w", version, list, err)
	}
	if n == 0 {
		return interdict.Errorf(interdict.ENOTFOUND, "List %s has no version %d.", list, version)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE list_versions SET current = false WHERE list = $1 AND current AND version <> $2`, list, version); err != nil {
		return fmt.Errorf("clear current version of %s: %w", list, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE list_versions SET current = true WHERE list = $1 AND version = $2`, list, version); err != nil {
		return fmt.Errorf("set current version of %s: %w", list, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit current version of %s: %w", list, err)
	}
	return s.publish(ctx, list, version, true)
}
