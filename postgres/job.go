package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/interdict/interdict"
)

// JobStore implements interdict.JobStore on PostgreSQL: jobs, their input
// files and their results live in the database, so that they survive a
// restart.
type JobStore struct {
	db *DB
}

var _ interdict.JobStore = (*JobStore)(nil)

// NewJobStore returns a JobStore on db.
func NewJobStore(db *DB) *JobStore {
	return &JobStore{db: db}
}

const jobColumns = `id, kind, owner, input_name, options, state, total, done, alerts, errors, failure, created_at, updated_at`

func scanJob(sc interface{ Scan(...any) error }) (*interdict.Job, error) {
	var j interdict.Job
	if err := sc.Scan(&j.ID, &j.Kind, &j.Owner, &j.Input, &j.Options, &j.State, &j.Total, &j.Done, &j.Alerts, &j.Errors,
		&j.Failure, tsCol{&j.CreatedAt}, tsCol{&j.UpdatedAt}); err != nil {
		return nil, err
	}
	return &j, nil
}

func (s *JobStore) now() time.Time { return s.db.Now().UTC().Truncate(time.Microsecond) }

// CreateJob implements interdict.JobStore.
func (s *JobStore) CreateJob(ctx context.Context, j *interdict.Job, input []byte) (err error) {
	defer wrap(&err, "postgres.CreateJob")
	if j.Kind == "" {
		return interdict.Errorf(interdict.EINVALID, "A job needs a kind.")
	}
	if j.ID == "" {
		j.ID = interdict.NewID()
	}
	if input == nil {
		input = []byte{}
	}
	j.State = interdict.JobQueued
	j.CreatedAt = s.now()
	j.UpdatedAt = j.CreatedAt
	ts := j.CreatedAt
	_, err = s.db.db.ExecContext(ctx, rebind(`INSERT INTO jobs (`+jobColumns+`, input) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		j.ID, j.Kind, j.Owner, j.Input, j.Options, j.State, j.Total, j.Done, j.Alerts, j.Errors, j.Failure, ts, ts, input)
	if err != nil && isUnique(err) {
		return interdict.Errorf(interdict.ECONFLICT, "A job with ID %s exists already.", j.ID)
	} else if err != nil {
		return fmt.Errorf("insert job %s: %w", j.ID, err)
	}
	return nil
}

// UpdateJob implements interdict.JobStore.
func (s *JobStore) UpdateJob(ctx context.Context, id string, u interdict.JobUpdate) (_ *interdict.Job, err error) {
	defer wrap(&err, "postgres.UpdateJob")
	switch u.State {
	case interdict.JobQueued, interdict.JobRunning, interdict.JobDone, interdict.JobFailed:
	default:
		return nil, interdict.Errorf(interdict.EINVALID, "Job state %q is unknown.", u.State)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	j, err := scanJob(tx.QueryRowContext(ctx, rebind(`SELECT `+jobColumns+` FROM jobs WHERE id = ? FOR UPDATE`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No job %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find job %s: %w", id, err)
	}
	if j.State.Finished() {
		return nil, interdict.Errorf(interdict.ECONFLICT, "Job %s has finished (%s); it cannot change.", id, j.State)
	}
	j.State, j.Total, j.Done, j.Alerts, j.Errors, j.Failure = u.State, u.Total, u.Done, u.Alerts, u.Errors, u.Failure
	j.UpdatedAt = s.now()
	if _, err := tx.ExecContext(ctx, rebind(`UPDATE jobs SET state = ?, total = ?, done = ?, alerts = ?, errors = ?, failure = ?, updated_at = ? WHERE id = ?`),
		j.State, j.Total, j.Done, j.Alerts, j.Errors, j.Failure, j.UpdatedAt, id); err != nil {
		return nil, fmt.Errorf("update job %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit job %s: %w", id, err)
	}
	return j, nil
}

// SetJobResult implements interdict.JobStore.
func (s *JobStore) SetJobResult(ctx context.Context, id string, result []byte) (err error) {
	defer wrap(&err, "postgres.SetJobResult")
	if result == nil {
		result = []byte{}
	}
	res, err := s.db.db.ExecContext(ctx, rebind(`UPDATE jobs SET result = ? WHERE id = ?`), result, id)
	if err != nil {
		return fmt.Errorf("store result of job %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return interdict.Errorf(interdict.ENOTFOUND, "No job %s.", id)
	}
	return nil
}

// FindJob implements interdict.JobStore.
func (s *JobStore) FindJob(ctx context.Context, id string) (_ *interdict.Job, err error) {
	defer wrap(&err, "postgres.FindJob")
	j, err := scanJob(s.db.db.QueryRowContext(ctx, rebind(`SELECT `+jobColumns+` FROM jobs WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No job %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find job %s: %w", id, err)
	}
	return j, nil
}

// FindJobs implements interdict.JobStore.
func (s *JobStore) FindJobs(ctx context.Context, f interdict.JobFilter) (_ []*interdict.Job, err error) {
	defer wrap(&err, "postgres.FindJobs")
	q := `SELECT ` + jobColumns + ` FROM jobs WHERE (?::text = '' OR owner = ?) AND (?::text = '' OR state = ?) ORDER BY created_at DESC, seq DESC`
	args := []any{f.Owner, f.Owner, f.State, f.State}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.db.db.QueryContext(ctx, rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("query jobs: %w", err)
	}
	defer rows.Close()
	out := []*interdict.Job{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// blob reads one BLOB column of a job; a NULL is ENOTFOUND with missing as
// its message.
func (s *JobStore) blob(ctx context.Context, id, column, missing string) ([]byte, error) {
	var b []byte
	err := s.db.db.QueryRowContext(ctx, rebind(`SELECT `+column+` FROM jobs WHERE id = ?`), id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No job %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("read %s of job %s: %w", column, id, err)
	}
	if b == nil {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "%s", missing)
	}
	return b, nil
}

// FindJobInput implements interdict.JobStore.
func (s *JobStore) FindJobInput(ctx context.Context, id string) (_ []byte, err error) {
	defer wrap(&err, "postgres.FindJobInput")
	return s.blob(ctx, id, "input", "Job "+id+" has no input.")
}

// FindJobResult implements interdict.JobStore.
func (s *JobStore) FindJobResult(ctx context.Context, id string) (_ []byte, err error) {
	defer wrap(&err, "postgres.FindJobResult")
	return s.blob(ctx, id, "result", "Job "+id+" has no result yet.")
}

// DeleteJob implements interdict.JobStore.
func (s *JobStore) DeleteJob(ctx context.Context, id string) (err error) {
	defer wrap(&err, "postgres.DeleteJob")
	res, err := s.db.db.ExecContext(ctx, rebind(`DELETE FROM jobs WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("delete job %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return interdict.Errorf(interdict.ENOTFOUND, "No job %s.", id)
	}
	return nil
}
