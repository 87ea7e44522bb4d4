package sqlite

import (
	"database/sql"
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
