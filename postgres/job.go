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
//
// Several replicas share the jobs, so each unfinished job carries a lease:
// the holder running it and an expiry in the database's clock. CreateJob
// leases the job to Holder for LeaseTTL, every UpdateJob by the holder
// renews the lease (a running job records its progress several times a
// second), and ClaimJob takes over a job whose lease has expired, with
// one UPDATE ... WHERE lease_expires < now(): of several replicas
// claiming a job cut off by the death of its holder, exactly one gets it.
type JobStore struct {
	db *DB
	// Holder names this process as a lease holder: it must differ between
	// the processes sharing the database (a replica's name and a random
	// suffix). NewJobStore sets a random one.
	Holder string
	// LeaseTTL is how long a lease lasts without being renewed; 0 means
	// DefaultLeaseTTL.
	LeaseTTL time.Duration
}

var _ interdict.JobStore = (*JobStore)(nil)

// DefaultLeaseTTL is the lifetime of a job's lease unless renewed: how long
// a job cut off by the death of its replica waits to be taken over.
const DefaultLeaseTTL = 30 * time.Second

// NewJobStore returns a JobStore on db whose leases are held under a
// random holder name.
func NewJobStore(db *DB) *JobStore {
	return &JobStore{db: db, Holder: "jobs-" + interdict.NewID()}
}

// ttl returns the lease lifetime as a PostgreSQL interval.
func (s *JobStore) ttl() string {
	d := s.LeaseTTL
	if d <= 0 {
		d = DefaultLeaseTTL
	}
	return fmt.Sprintf("%d microseconds", d.Microseconds())
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
	_, err = s.db.db.ExecContext(ctx, rebind(`INSERT INTO jobs (`+jobColumns+`, input, lease_holder, lease_expires)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now() + ?::interval)`),
		j.ID, j.Kind, j.Owner, j.Input, j.Options, j.State, j.Total, j.Done, j.Alerts, j.Errors, j.Failure, ts, ts, input, s.Holder, s.ttl())
	if err != nil && isUnique(err) {
		return interdict.Errorf(interdict.ECONFLICT, "A job with ID %s exists already.", j.ID)
	} else if err != nil {
		return fmt.Errorf("insert job %s: %w", j.ID, err)
	}
	return nil
}

// UpdateJob implements interdict.JobStore. It renews the job's lease for
// Holder, or returns ECONFLICT when another holder's lease on the job is
// live (the job was taken over by another replica).
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
	var holder string
	var live bool
	j, err := scanJob(rowScanner(func(dest ...any) error {
		return tx.QueryRowContext(ctx, rebind(`SELECT `+jobColumns+`, lease_holder, coalesce(lease_expires >= now(), false) FROM jobs WHERE id = ? FOR UPDATE`), id).
			Scan(append(dest, &holder, &live)...)
	}))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No job %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find job %s: %w", id, err)
	}
	if j.State.Finished() {
		return nil, interdict.Errorf(interdict.ECONFLICT, "Job %s has finished (%s); it cannot change.", id, j.State)
	}
	if live && holder != "" && holder != s.Holder {
		return nil, interdict.Errorf(interdict.ECONFLICT, "Job %s is being run by %s.", id, holder)
	}
	j.State, j.Total, j.Done, j.Alerts, j.Errors, j.Failure = u.State, u.Total, u.Done, u.Alerts, u.Errors, u.Failure
	j.UpdatedAt = s.now()
	// A finished job keeps its last holder and needs no lease.
	if _, err := tx.ExecContext(ctx, rebind(`UPDATE jobs SET state = ?, total = ?, done = ?, alerts = ?, errors = ?, failure = ?, updated_at = ?,
		lease_holder = ?, lease_expires = CASE WHEN ? THEN NULL ELSE now() + ?::interval END WHERE id = ?`),
		j.State, j.Total, j.Done, j.Alerts, j.Errors, j.Failure, j.UpdatedAt, s.Holder, j.State.Finished(), s.ttl(), id); err != nil {
		return nil, fmt.Errorf("update job %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit job %s: %w", id, err)
	}
	return j, nil
}

// rowScanner adapts a scanning function to scanJob.
type rowScanner func(dest ...any) error

func (f rowScanner) Scan(dest ...any) error { return f(dest...) }

// ClaimJob takes the lease of an unfinished job for Holder when no lease
// on it is live: the job's holder died (or stopped) without finishing it.
// It reports whether this store now holds the job; false when the job has
// finished, does not exist, or is leased to a live holder (this one
// included: a job this process runs is not claimed again). Of several
// processes claiming the same job at once, exactly one gets it.
func (s *JobStore) ClaimJob(ctx context.Context, id string) (_ bool, err error) {
	defer wrap(&err, "postgres.ClaimJob")
	res, err := s.db.db.ExecContext(ctx, rebind(`UPDATE jobs SET lease_holder = ?, lease_expires = now() + ?::interval
		WHERE id = ? AND state IN (?, ?) AND (lease_expires IS NULL OR lease_expires < now())`),
		s.Holder, s.ttl(), id, interdict.JobQueued, interdict.JobRunning)
	if err != nil {
		return false, fmt.Errorf("claim job %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim job %s: %w", id, err)
	}
	return n == 1, nil
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
