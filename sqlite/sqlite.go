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
	"os"
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

// BusyTimeout is how long a write waits for another connection's (or
// process's) write to finish before it fails with "database is locked": an
// import of the largest list commits in seconds, so two imports started
// together, or an import while the server records a batch job, wait for
// each other instead.
const BusyTimeout = 2 * time.Minute

// Open opens the database, sets WAL mode and foreign keys, and migrates the
// schema to the latest version. A database file is created readable and
// writable by its owner only (0600). Every transaction begins IMMEDIATE
// (it takes the write lock at once and waits up to BusyTimeout for it), so
// that two writers queue rather than one failing when it upgrades a read
// to a write. The migration runs under a lock file beside the database, so
// that two first runs on one home migrate it once.
func (db *DB) Open(ctx context.Context) error {
	if db.DSN == "" {
		return fmt.Errorf("sqlite: database path required")
	}
	dsn := db.DSN
	if dsn == ":memory:" {
		// One shared in-memory database for the whole pool.
		dsn = "file::memory:?cache=shared"
	} else {
		f, err := os.OpenFile(db.DSN, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("open %s: %w", db.DSN, err)
		}
		f.Close()
		dsn = "file:" + dsn
	}
	dsn += sep(dsn) + fmt.Sprintf("_pragma=foreign_keys(1)&_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate", BusyTimeout.Milliseconds())
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open %s: %w", db.DSN, err)
	}
	if db.DSN == ":memory:" {
		sqldb.SetMaxOpenConns(1)
	}
	db.db = sqldb
	unlock, err := lockFile(ctx, db.DSN)
	if err != nil {
		sqldb.Close()
		return fmt.Errorf("migrate %s: %w", db.DSN, err)
	}
	err = db.migrate(ctx)
	unlock()
	if err != nil {
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
