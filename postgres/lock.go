package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// lockKey is the namespace (the first key) of the session-level advisory
// locks that Lock takes; the second key is a hash of the schema and the
// lock's name, so that clusters on separate schemas of one database do
// not share their locks.
const lockKey = 0x6c656164 // "lead"

// Lock is a PostgreSQL session-level advisory lock, held on a connection
// of its own: the replicas of a cluster take one to lead a scheduled job
// (the list update, the delta re-screen) so that it runs once. PostgreSQL
// releases it when the holder unlocks, or when its connection ends, so a
// replica that dies gives up its leadership by itself.
type Lock struct {
	name   string
	conn   *sql.Conn
	lost   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// TryLock takes the advisory lock called name if no session holds it, and
// returns nil, nil if one does.
func (db *DB) TryLock(ctx context.Context, name string) (*Lock, error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock %s: connect: %w", name, err)
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, hashtext(current_schema() || '.' || $2))`, lockKey, name).Scan(&ok); err != nil {
		conn.Close()
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if !ok {
		conn.Close()
		return nil, nil
	}
	life, cancel := context.WithCancel(context.Background())
	l := &Lock{name: name, conn: conn, lost: make(chan struct{}), cancel: cancel, done: make(chan struct{})}
	go l.watch(life)
	return l, nil
}

// watch checks the lock's connection every few seconds and closes lost
// when it fails: the lock may then be held by another session.
func (l *Lock) watch(ctx context.Context) {
	defer close(l.done)
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err := l.conn.PingContext(pctx)
			cancel()
			if err != nil && ctx.Err() == nil {
				close(l.lost)
				return
			}
		}
	}
}

// Lost is closed if the lock's connection fails while it is held.
func (l *Lock) Lost() <-chan struct{} { return l.lost }

// Unlock releases the lock and its connection.
func (l *Lock) Unlock() error {
	l.cancel()
	<-l.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := l.conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1, hashtext(current_schema() || '.' || $2))`, lockKey, l.name)
	if cerr := l.conn.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unlock %s: %w", l.name, err)
	}
	return nil
}

// WithLock runs fn while holding the advisory lock called name, waiting
// for it as long as ctx allows: a one-off step that must not run twice at
// once, such as importing the bundled snapshot into an empty database.
func (db *DB) WithLock(ctx context.Context, name string, fn func(ctx context.Context) error) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("lock %s: connect: %w", name, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema() || '.' || $2))`, lockKey, name); err != nil {
		return fmt.Errorf("lock %s: %w", name, err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1, hashtext(current_schema() || '.' || $2))`, lockKey, name)
	}()
	return fn(ctx)
}
