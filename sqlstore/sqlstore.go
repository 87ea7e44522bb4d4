// Package sqlstore holds the storage contracts that the SQL adapters share:
// the review store (book, alerts, decisions, good guys, checkpoints, audit
// trail), users, adverse media, ownership records and the reading side of
// list versions, written once over database/sql. The sqlite and postgres
// packages open their databases, apply their migrations and describe their
// SQL in a Dialect; what is left different between them (placeholders,
// time encoding, unique violations, row and table locks, how writes queue)
// is in the Dialect and nowhere else.
//
// The queries are written with ? placeholders and the SQL both databases
// accept; Dialect.Rebind numbers them for PostgreSQL.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/interdict/interdict"
)

// Dialect describes one SQL database: what the shared stores need to
// know to speak to it. Its fields are set once, by the adapter, and never
// changed.
type Dialect struct {
	// Name is the adapter's name ("sqlite", "postgres"); it prefixes the
	// operation named by the stores' errors ("sqlite.FindAlert").
	Name string
	// Numbered is true when the driver wants $1, $2, ... placeholders
	// (PostgreSQL) rather than ? (SQLite).
	Numbered bool
	// Time encodes a time for a time column, the zero time as the
	// column's empty value ("" or NULL).
	Time func(t time.Time) any
	// TimeCol returns the scanner of a time column written by Time; it
	// scans the empty value as the zero time.
	TimeCol func(t *time.Time) sql.Scanner
	// Resolution is what a stored time keeps: times the stores set
	// themselves (a user's, an ownership record's) are truncated to it so
	// that what they return equals what they read back later. Zero keeps
	// every nanosecond.
	Resolution time.Duration
	// IsUnique reports whether err is a unique-constraint violation.
	IsUnique func(err error) bool
	// NoLimit is the LIMIT that means every row ("-1", "ALL"), for an
	// OFFSET without a limit.
	NoLimit string
	// Contains returns an SQL condition that is true when the text of
	// column col holds the text of the next argument, both lowercased.
	Contains func(col string) string
	// ForUpdate is the clause that locks the rows a SELECT reads until
	// the transaction ends (" FOR UPDATE"), or "" where a write
	// transaction locks the whole database when it begins (SQLite's
	// immediate transactions).
	ForUpdate string
	// LockTable returns the statement that locks a table in a transaction
	// against concurrent writers (PostgreSQL's LOCK TABLE), or "" where the
	// transaction holds the database's write lock already.
	LockTable func(table string) string
	// TxLock, when set, is the statement that takes an advisory lock until
	// the transaction ends, with two arguments: a namespace (such as
	// ListLockKey) and a name. It is "" where a write transaction holds the
	// database's write lock already.
	TxLock string
	// SerializeWrites makes each store queue its write transactions
	// behind a mutex of its own (SQLite: one writer at a time, and a writer
	// that finds the database locked waits by sleeping in busy_timeout,
	// which costs far more than queueing in the process). Writers in other
	// processes still wait on the database's lock.
	SerializeWrites bool
	// PageHint, when set, is run (with SET LOCAL) in a read-only
	// transaction before a page of the alert queue is read. PostgreSQL
	// sets enable_sort = off: with the planner's statistics missing or
	// stale (autovacuum off or behind) it would otherwise sort tens of
	// thousands of rows to skip to a page, where an index gives them in
	// order.
	PageHint string
}

// DB is an open database with its dialect: what the stores are built on.
type DB struct {
	// SQL is the connection pool.
	SQL *sql.DB
	// Dialect describes the database.
	Dialect *Dialect
	// Now returns the current time; the adapters pass their own clock,
	// which tests replace.
	Now func() time.Time
}

// rebind returns q with its ? placeholders as the dialect wants them.
func (db *DB) rebind(q string) string {
	if !db.Dialect.Numbered {
		return q
	}
	return Rebind(q)
}

// Rebind returns q with its ? placeholders numbered as PostgreSQL wants
// them ($1, $2, ...). The queries of the stores are written with ? and
// hold no ? of their own in literals.
func Rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// ts encodes t for a time column.
func (db *DB) ts(t time.Time) any { return db.Dialect.Time(t) }

// tsCol scans a time column into *t.
func (db *DB) tsCol(t *time.Time) sql.Scanner { return db.Dialect.TimeCol(t) }

// stamp returns t in UTC at the dialect's resolution.
func (db *DB) stamp(t time.Time) time.Time {
	return t.UTC().Truncate(db.Dialect.Resolution)
}

// page returns the LIMIT and OFFSET clauses of a page; no limit and no
// offset give "".
func (db *DB) page(offset, limit int) string {
	s := ""
	if limit > 0 {
		s += fmt.Sprintf(" LIMIT %d", limit)
	} else if offset > 0 {
		s += " LIMIT " + db.Dialect.NoLimit
	}
	if offset > 0 {
		s += fmt.Sprintf(" OFFSET %d", offset)
	}
	return s
}

// wrap turns *err, unless it is nil or already an application error with a
// code, into an *interdict.Error naming the operation op of the dialect
// ("sqlite.FindAlert").
func (db *DB) wrap(err *error, op string) {
	if *err == nil || interdict.ErrorCode(*err) != interdict.EINTERNAL {
		return
	}
	Wrap(err, db.Dialect.Name+"."+op)
}

// Wrap turns *err, unless it is nil or already an application error with
// a code, into an *interdict.Error naming the operation op. The stores
// defer it: defer Wrap(&err, "create article").
func Wrap(err *error, op string) {
	if *err == nil {
		return
	}
	if c := interdict.ErrorCode(*err); c != interdict.EINTERNAL {
		return
	}
	*err = interdict.OpError(op, *err)
}

// queryer is what a query runs on: the pool or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// scanner is a row or rows.
type scanner interface{ Scan(...any) error }

// collect reads every row of rows with scan, in order, and closes rows.
// A row scan fails with "read <what>: ..."; the end of the rows with
// rows.Err as it is.
func collect[T any](rows *sql.Rows, what string, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// jsonCol scans a JSON text column into v; NULL and "" leave v as it is.
type jsonCol struct{ v any }

func (c jsonCol) Scan(src any) error {
	var b []byte
	switch s := src.(type) {
	case string:
		b = []byte(s)
	case []byte:
		b = s
	case nil:
		return nil
	default:
		return fmt.Errorf("JSON column of type %T", src)
	}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, c.v)
}

// jsonText encodes v, which must be encodable, as JSON text.
func (db *DB) jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(db.Dialect.Name + ": not encodable: " + err.Error())
	}
	return string(b)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeQueue queues the write transactions of one store behind each other
// where the dialect wants it (Dialect.SerializeWrites).
type writeQueue struct {
	on bool
	mu sync.Mutex
}

// lock waits for the store's other writes, if queued, and returns the
// unlock.
func (q *writeQueue) lock() func() {
	if !q.on {
		return func() {}
	}
	q.mu.Lock()
	return q.mu.Unlock
}
