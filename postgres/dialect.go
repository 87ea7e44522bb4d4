package postgres

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/interdict/interdict/sqlstore"
)

// dialect is PostgreSQL's SQL for the stores of package sqlstore: $n
// placeholders, TIMESTAMPTZ columns (to the microsecond), row locks and
// table locks, and pages of the alert queue read in index order.
var dialect = &sqlstore.Dialect{
	Name:       "postgres",
	Numbered:   true,
	Time:       func(t time.Time) any { return ts(t) },
	TimeCol:    func(t *time.Time) sql.Scanner { return tsCol{t} },
	Resolution: time.Microsecond,
	IsUnique:   isUnique,
	NoLimit:    "ALL",
	Contains:   func(col string) string { return `strpos(lower(` + col + `), lower(?)) > 0` },
	ForUpdate:  " FOR UPDATE",
	LockTable:  func(table string) string { return `LOCK TABLE ` + table + ` IN SHARE ROW EXCLUSIVE MODE` },
	PageHint:   `enable_sort = off`,
	TxLock:     `SELECT pg_advisory_xact_lock(?, hashtext(current_schema() || '.' || ?))`,
}

// store returns db for the stores of package sqlstore. It reads db.Now at
// each call, so that a clock set after the store is made still counts.
func (db *DB) store() *sqlstore.DB {
	return &sqlstore.DB{SQL: db.db, Dialect: dialect, Now: func() time.Time { return db.Now() }}
}

// ts encodes t for a TIMESTAMPTZ column, the zero time as NULL.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// tsCol scans a TIMESTAMPTZ column, NULL as the zero time.
type tsCol struct{ t *time.Time }

func (c tsCol) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*c.t = v.UTC()
	case nil:
		*c.t = time.Time{}
	default:
		return fmt.Errorf("time column of type %T", v)
	}
	return nil
}
