package sqlite

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/interdict/interdict/sqlstore"
)

// dialect is SQLite's SQL for the stores of package sqlstore: ? for
// placeholders, times as fixed-width UTC text (ts), one writer at a time.
var dialect = &sqlstore.Dialect{
	Name:     "sqlite",
	Time:     func(t time.Time) any { return ts(t) },
	TimeCol:  func(t *time.Time) sql.Scanner { return tsCol{t} },
	IsUnique: isUnique,
	NoLimit:  "-1",
	Contains: func(col string) string { return `instr(lower(` + col + `), lower(?)) > 0` },
	// Every transaction begins IMMEDIATE (see Open): it holds the
	// database's write lock from its first statement, which serves for
	// row and table locks.
	ForUpdate:       "",
	LockTable:       func(string) string { return "" },
	SerializeWrites: true,
}

// store returns db for the stores of package sqlstore. It reads db.Now at
// each call, so that a clock set after the store is made still counts.
func (db *DB) store() *sqlstore.DB {
	return &sqlstore.DB{SQL: db.db, Dialect: dialect, Now: func() time.Time { return db.Now() }}
}

// tsLayout is a fixed-width UTC time, so that text order is time order.
const tsLayout = "2006-01-02T15:04:05.000000000Z"

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(tsLayout)
}

// tsCol scans a time column written by ts.
type tsCol struct{ t *time.Time }

func (c tsCol) Scan(v any) error {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	case nil:
	default:
		return fmt.Errorf("time column of type %T", v)
	}
	if s == "" {
		*c.t = time.Time{}
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("time column %q: %w", s, err)
	}
	*c.t = t
	return nil
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
