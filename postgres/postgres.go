// Package postgres implements interdict's storage contracts on PostgreSQL
// through pgx (github.com/jackc/pgx/v5, used as a database/sql driver so
// that goose applies the embedded migration/*.sql), for deployments that
// run several servers on one database.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/interdict/interdict/sqlstore"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migration/*.sql
var migrations embed.FS

// DB is an open interdict database on PostgreSQL.
type DB struct {
	db *sql.DB
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open connects to the PostgreSQL database at dsn (a postgres:// URL or
// key=value string; a search_path parameter selects a schema) and migrates
// its schema to the latest version.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, fmt.Errorf("postgres: database URL required")
	}
	sqldb, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres database: %w", err)
	}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("connect to postgres database %s: %w", redact(dsn), err)
	}
	db := &DB{db: sqldb, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("migrate postgres database %s: %w", redact(dsn), err)
	}
	return db, nil
}

// redact drops the password of a URL so that it never reaches a log.
func redact(dsn string) string {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return fmt.Sprintf("%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

func (db *DB) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migration")
	if err != nil {
		return err
	}
	// Replicas that start together migrate one at a time, under goose's
	// advisory lock.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db.db, sub, goose.WithSessionLocker(locker))
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

// ExecContext runs a statement with $n placeholders outside the stores,
// for tests and maintenance.
func (db *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.db.ExecContext(ctx, q, args...)
}

// wrap turns *err, unless it is nil or already an application error with a
// code, into an *interdict.Error naming the operation op (sqlstore.Wrap).
func wrap(err *error, op string) { sqlstore.Wrap(err, op) }

// isUnique reports whether err is a unique violation (SQLSTATE 23505).
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Rebind returns q with its ? placeholders numbered as PostgreSQL wants
// them ($1, $2, ...). The queries of this package are written with ? and
// hold no ? of their own in literals.
func Rebind(q string) string { return sqlstore.Rebind(q) }

func rebind(q string) string { return Rebind(q) }
