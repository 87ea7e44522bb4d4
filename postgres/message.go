package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/interdict/interdict"
)

// MessageResultStore implements interdict.MessageResultStore on PostgreSQL:
// one stored result per message ID.
type MessageResultStore struct {
	db *DB
}

var _ interdict.MessageResultStore = (*MessageResultStore)(nil)

// NewMessageResultStore returns a MessageResultStore on db.
func NewMessageResultStore(db *DB) *MessageResultStore {
	return &MessageResultStore{db: db}
}

const messageResultColumns = `id, format, decision, alerts, source, result, deliveries, created_at`

func scanMessageResult(sc interface{ Scan(...any) error }, r *interdict.MessageResult) error {
	return sc.Scan(&r.ID, &r.Format, &r.Decision, &r.Alerts, &r.Source, &r.Result, &r.Deliveries, tsCol{&r.CreatedAt})
}

// PutMessageResults implements interdict.MessageResultStore.
func (s *MessageResultStore) PutMessageResults(ctx context.Context, rs []*interdict.MessageResult) (_ []bool, err error) {
	defer wrap(&err, "postgres.PutMessageResults")
	if err := interdict.ValidateMessageResults(rs); err != nil {
		return nil, err
	}
	created := make([]bool, len(rs))
	if len(rs) == 0 {
		return created, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, rebind(`INSERT INTO message_results (`+messageResultColumns+`) VALUES (?, ?, ?, ?, ?, ?, 1, ?)
		ON CONFLICT (id) DO UPDATE SET deliveries = message_results.deliveries + 1
		RETURNING `+messageResultColumns))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	defer st.Close()
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	for i, r := range rs {
		res := r.Result
		if res == nil {
			res = []byte{}
		}
		var got interdict.MessageResult
		if err := scanMessageResult(st.QueryRowContext(ctx, r.ID, r.Format, r.Decision, r.Alerts, r.Source, res, now), &got); err != nil {
			return nil, fmt.Errorf("store result of message %s: %w", r.ID, err)
		}
		created[i] = got.Deliveries == 1
		*r = got
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit message results: %w", err)
	}
	return created, nil
}

// FindMessageResult implements interdict.MessageResultStore.
func (s *MessageResultStore) FindMessageResult(ctx context.Context, id string) (_ *interdict.MessageResult, err error) {
	defer wrap(&err, "postgres.FindMessageResult")
	var r interdict.MessageResult
	err = scanMessageResult(s.db.db.QueryRowContext(ctx, rebind(`SELECT `+messageResultColumns+` FROM message_results WHERE id = ?`), id), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No result of message %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find result of message %s: %w", id, err)
	}
	return &r, nil
}

// FindMessageResults implements interdict.MessageResultStore.
func (s *MessageResultStore) FindMessageResults(ctx context.Context, f interdict.MessageResultFilter) (_ []*interdict.MessageResult, err error) {
	defer wrap(&err, "postgres.FindMessageResults")
	q := `SELECT ` + messageResultColumns + ` FROM message_results WHERE true`
	var args []any
	if f.Decision != "" {
		q += ` AND decision = ?`
		args = append(args, f.Decision)
	}
	if f.Before != "" {
		var before int64
		err := s.db.db.QueryRowContext(ctx, rebind(`SELECT seq FROM message_results WHERE id = ?`), f.Before).Scan(&before)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, interdict.Errorf(interdict.EINVALID, "No result of message %.80q is stored to page from.", f.Before)
		} else if err != nil {
			return nil, fmt.Errorf("find result of message %s: %w", f.Before, err)
		}
		q += ` AND seq < ?`
		args = append(args, before)
	}
	q += ` ORDER BY seq DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.db.db.QueryContext(ctx, rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("query message results: %w", err)
	}
	defer rows.Close()
	out := []*interdict.MessageResult{}
	for rows.Next() {
		var r interdict.MessageResult
		if err := scanMessageResult(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// CountMessageResults implements interdict.MessageResultStore.
func (s *MessageResultStore) CountMessageResults(ctx context.Context, f interdict.MessageResultFilter) (_ int, err error) {
	defer wrap(&err, "postgres.CountMessageResults")
	var n int
	if err := s.db.db.QueryRowContext(ctx, rebind(`SELECT count(*) FROM message_results WHERE (? = '' OR decision = ?)`), f.Decision, f.Decision).Scan(&n); err != nil {
		return 0, fmt.Errorf("count message results: %w", err)
	}
	return n, nil
}
