// Package sqlite implements interdict's storage contracts on an embedded
// SQLite database (modernc.org/sqlite, pure Go), the default store. The
// schema lives in migration/*.sql and is applied by goose on Open.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

//go:embed migration/*.sql
var migrations embed.FS

// DB is an open interdict database.
type DB struct {
	db *sql.DB
	// DSN is the data source: a file path or ":memory:".
	DSN string
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// NewDB returns a DB for the given path; call Open before use.
func NewDB(dsn string) *DB {
	return &DB{DSN: dsn, Now: time.Now}
}

// Open opens the database, sets WAL mode and foreign keys, and migrates the
// schema to the latest version.
func (db *DB) Open(ctx context.Context) error {
	if db.DSN == "" {
		return fmt.Errorf("sqlite: database path required")
	}
	dsn := db.DSN
	if dsn == ":memory:" {
		// One shared in-memory database for the whole pool.
		dsn = "file::memory:?cache=shared"
	} else {
		dsn = "file:" + dsn
	}
	dsn += sep(dsn) + "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open %s: %w", db.DSN, err)
	}
	if db.DSN == ":memory:" {
		sqldb.SetMaxOpenConns(1)
	}
	db.db = sqldb
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return fmt.Errorf("migrate %s: %w", db.DSN, err)
	}
	return nil
}

func sep(dsn string) string {
	for i := 0; i < len(dsn); i++ {
		if dsn[i] == '?' {
			return "&"
		}
	}
	return "?"
}

func (db *DB) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migration")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db.db, sub)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// Close closes the database.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	return db.db.Close()
}

// BeginTx starts a transaction.
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	return db.db.BeginTx(ctx, opts)
}
