package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/interdict/interdict"
)

// OwnershipStore implements interdict.OwnershipStore: the institution's
// ownership and control records, replaced a source (file) at a time.
type OwnershipStore struct {
	db *DB
}

var _ interdict.OwnershipStore = (*OwnershipStore)(nil)

// NewOwnershipStore returns an OwnershipStore on db.
func NewOwnershipStore(db *DB) *OwnershipStore {
	return &OwnershipStore{db: db}
}

const ownershipColumns = `id, source, record, owner, owned, share, share_min, share_max, share_known, role, control, valid_from, valid_to, created_at`

// ReplaceOwnerships implements interdict.OwnershipStore.
func (s *OwnershipStore) ReplaceOwnerships(ctx context.Context, source string, recs []*interdict.Ownership) (err error) {
	defer s.db.wrap(&err, "ReplaceOwnerships")
	if strings.TrimSpace(source) == "" {
		return interdict.Errorf(interdict.EINVALID, "Ownership records need a source (the file they came from).")
	}
	for i, o := range recs {
		if strings.TrimSpace(o.Owner) == "" || strings.TrimSpace(o.Owned) == "" {
			return interdict.Errorf(interdict.EINVALID, "Ownership record %d of %s has no owner or no owned.", i+1, source)
		}
	}
	now := s.db.stamp(s.db.Now())
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, s.db.rebind(`DELETE FROM ownerships WHERE source = ?`), source); err != nil {
		return fmt.Errorf("delete ownerships of %s: %w", source, err)
	}
	stmt, err := tx.PrepareContext(ctx, s.db.rebind(`INSERT INTO ownerships (`+ownershipColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, o := range recs {
		o.ID = interdict.NewID()
		o.Source = source
		o.CreatedAt = now
		if _, err := stmt.ExecContext(ctx, o.ID, o.Source, o.Record, o.Owner, o.Owned, o.Share, o.ShareMin, o.ShareMax, o.ShareKnown,
			o.Role, o.Control, o.From, o.To, s.db.ts(now)); err != nil {
			return fmt.Errorf("insert ownership %s of %s: %w", o.Record, source, err)
		}
	}
	return tx.Commit()
}

// FindOwnerships implements interdict.OwnershipStore.
func (s *OwnershipStore) FindOwnerships(ctx context.Context, f interdict.OwnershipFilter) (_ []*interdict.Ownership, err error) {
	defer s.db.wrap(&err, "FindOwnerships")
	q := `SELECT ` + ownershipColumns + ` FROM ownerships WHERE 1 = 1`
	var args []any
	if f.Node != "" {
		q += ` AND (owner = ? OR owned = ?)`
		args = append(args, f.Node, f.Node)
	}
	if f.Source != "" {
		q += ` AND source = ?`
		args = append(args, f.Source)
	}
	q += ` ORDER BY source, seq`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*interdict.Ownership{}
	for rows.Next() {
		var o interdict.Ownership
		if err := rows.Scan(&o.ID, &o.Source, &o.Record, &o.Owner, &o.Owned, &o.Share, &o.ShareMin, &o.ShareMax, &o.ShareKnown,
			&o.Role, &o.Control, &o.From, &o.To, s.db.tsCol(&o.CreatedAt)); err != nil {
			return nil, err
		}
		out = append(out, &o)
	}
	return out, rows.Err()
}

// OwnershipSources implements interdict.OwnershipStore.
func (s *OwnershipStore) OwnershipSources(ctx context.Context) (_ map[string]int, err error) {
	defer s.db.wrap(&err, "OwnershipSources")
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT source, COUNT(*) FROM ownerships GROUP BY source ORDER BY source`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var src string
		var n int
		if err := rows.Scan(&src, &n); err != nil {
			return nil, err
		}
		out[src] = n
	}
	return out, rows.Err()
}
