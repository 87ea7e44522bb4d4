package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/interdict/interdict"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// RescreenRunStore implements interdict.RescreenRunStore on PostgreSQL:
// the runs of a cluster's distributed re-screening and their pages.
type RescreenRunStore struct {
	db *DB
}

var _ interdict.RescreenRunStore = (*RescreenRunStore)(nil)

// NewRescreenRunStore returns a RescreenRunStore on db.
func NewRescreenRunStore(db *DB) *RescreenRunStore { return &RescreenRunStore{db: db} }

// CreateRescreenRun implements interdict.RescreenRunStore.
func (s *RescreenRunStore) CreateRescreenRun(ctx context.Context, r *interdict.RescreenRun, pages []interdict.RescreenPage) (err error) {
	defer wrap(&err, "postgres.CreateRescreenRun")
	if r.ID == "" {
		r.ID = interdict.NewID()
	}
	r.State, r.Pages = interdict.RunRunning, len(pages)
	r.CreatedAt = s.db.Now().UTC()
	r.UpdatedAt = r.CreatedAt
	plan := string(r.Plan)
	if plan == "" {
		plan = "{}"
	}
	rows := make([][]any, len(pages))
	for i, p := range pages {
		rows[i] = []any{r.ID, p.Page, p.After, p.Through}
	}
	conn, err := s.db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		if _, err := tx.Exec(ctx, `INSERT INTO rescreen_runs (id, state, full_run, plan, actor, pages, parties, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, r.ID, r.State, r.Full, plan, r.Actor, r.Pages, r.Parties, r.CreatedAt); err != nil {
			if isUnique(err) {
				return interdict.Errorf(interdict.ECONFLICT, "A re-screening run with ID %s exists already.", r.ID)
			}
			return fmt.Errorf("insert run %s: %w", r.ID, err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"rescreen_pages"}, []string{"run_id", "page", "after_id", "through_id"}, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("insert the %d pages of run %s: %w", len(rows), r.ID, err)
		}
		return tx.Commit(ctx)
	})
}

const runColumns = `id, state, full_run, plan, actor, pages, parties, failure, created_at, updated_at, finished_at`

func (s *RescreenRunStore) scanRuns(ctx context.Context, q string, args ...any) ([]*interdict.RescreenRun, error) {
	rows, err := s.db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query re-screening runs: %w", err)
	}
	var out []*interdict.RescreenRun
	for rows.Next() {
		var r interdict.RescreenRun
		var plan string
		var fin sql.NullTime
		if err := rows.Scan(&r.ID, &r.State, &r.Full, &plan, &r.Actor, &r.Pages, &r.Parties, &r.Failure, tsCol{&r.CreatedAt}, tsCol{&r.UpdatedAt}, &fin); err != nil {
			rows.Close()
			return nil, err
		}
		r.Plan = []byte(plan)
		if fin.Valid {
			t := fin.Time.UTC()
			r.FinishedAt = &t
		}
		out = append(out, &r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range out {
		if err := s.progress(ctx, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// progress fills the counts of the pages done.
func (s *RescreenRunStore) progress(ctx context.Context, r *interdict.RescreenRun) error {
	rows, err := s.db.db.QueryContext(ctx, `SELECT replica, count(*), sum(parties), sum(screened), sum(alerts), sum(suppressed), sum(pending), max(done_at)
		FROM rescreen_pages WHERE run_id = $1 AND done_at IS NOT NULL GROUP BY replica ORDER BY replica`, r.ID)
	if err != nil {
		return fmt.Errorf("read the progress of run %s: %w", r.ID, err)
	}
	defer rows.Close()
	r.Replicas = map[string]int{}
	for rows.Next() {
		var replica string
		var pages, parties, screened, alerts, suppressed, pending int
		var last sql.NullTime
		if err := rows.Scan(&replica, &pages, &parties, &screened, &alerts, &suppressed, &pending, &last); err != nil {
			return err
		}
		r.Replicas[replica] += pages
		r.PagesDone += pages
		r.PartiesDone += parties
		r.Screened += screened
		r.Alerts += alerts
		r.Suppressed += suppressed
		r.Pending += pending
		if last.Valid && last.Time.After(r.UpdatedAt) {
			r.UpdatedAt = last.Time.UTC()
		}
	}
	return rows.Err()
}

// FindRescreenRun implements interdict.RescreenRunStore.
func (s *RescreenRunStore) FindRescreenRun(ctx context.Context, id string) (_ *interdict.RescreenRun, err error) {
	defer wrap(&err, "postgres.FindRescreenRun")
	rs, err := s.scanRuns(ctx, `SELECT `+runColumns+` FROM rescreen_runs WHERE id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No re-screening run %s.", id)
	}
	return rs[0], nil
}

// FindRescreenRuns implements interdict.RescreenRunStore.
func (s *RescreenRunStore) FindRescreenRuns(ctx context.Context, state string, limit int) (_ []*interdict.RescreenRun, err error) {
	defer wrap(&err, "postgres.FindRescreenRuns")
	if limit <= 0 {
		limit = 100
	}
	if state == "" {
		return s.scanRuns(ctx, `SELECT `+runColumns+` FROM rescreen_runs ORDER BY created_at DESC, id LIMIT $1`, limit)
	}
	return s.scanRuns(ctx, `SELECT `+runColumns+` FROM rescreen_runs WHERE state = $1 ORDER BY created_at DESC, id LIMIT $2`, state, limit)
}

// FindOpenPages implements interdict.RescreenRunStore.
func (s *RescreenRunStore) FindOpenPages(ctx context.Context, run string) (_ []interdict.RescreenPage, err error) {
	defer wrap(&err, "postgres.FindOpenPages")
	rows, err := s.db.db.QueryContext(ctx, `SELECT page, after_id, through_id FROM rescreen_pages WHERE run_id = $1 AND done_at IS NULL ORDER BY page`, run)
	if err != nil {
		return nil, fmt.Errorf("read the open pages of run %s: %w", run, err)
	}
	defer rows.Close()
	var out []interdict.RescreenPage
	for rows.Next() {
		p := interdict.RescreenPage{Run: run}
		if err := rows.Scan(&p.Page, &p.After, &p.Through); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CompletePage implements interdict.RescreenRunStore.
func (s *RescreenRunStore) CompletePage(ctx context.Context, run string, page int, res interdict.PageResult) (_ bool, err error) {
	defer wrap(&err, "postgres.CompletePage")
	r, err := s.db.db.ExecContext(ctx, `UPDATE rescreen_pages SET replica = $3, parties = $4, screened = $5, alerts = $6, suppressed = $7, pending = $8, digest = $9, done_at = $10
		WHERE run_id = $1 AND page = $2 AND done_at IS NULL`, run, page, res.Replica, res.Parties, res.Screened, res.Alerts, res.Suppressed, res.Pending, res.Digest, s.db.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("record page %d of run %s: %w", page, run, err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

// FinishRescreenRun implements interdict.RescreenRunStore.
func (s *RescreenRunStore) FinishRescreenRun(ctx context.Context, id, state, failure string, report []byte) (err error) {
	defer wrap(&err, "postgres.FinishRescreenRun")
	if state != interdict.RunDone && state != interdict.RunFailed {
		return interdict.Errorf(interdict.EINVALID, "A run ends done or failed, not %q.", state)
	}
	if report == nil {
		report = []byte("{}")
	}
	now := s.db.Now().UTC()
	r, err := s.db.db.ExecContext(ctx, `UPDATE rescreen_runs SET state = $2, failure = $3, report = $4, updated_at = $5, finished_at = $5
		WHERE id = $1 AND state = 'running'`, id, state, failure, string(report), now)
	if err != nil {
		return fmt.Errorf("finish run %s: %w", id, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		if _, err := s.FindRescreenRun(ctx, id); err != nil {
			return err
		}
		return interdict.Errorf(interdict.ECONFLICT, "Re-screening run %s has finished already.", id)
	}
	return nil
}

// CutBook cuts the parties of the book (not removed) into pages of size
// parties by ID, in one read: the pages' bounds, the last page open-ended
// (Through "") so that parties added meanwhile at the end are in it, and
// the number of parties.
func (s *RescreenRunStore) CutBook(ctx context.Context, size int) (_ []interdict.RescreenPage, parties int, err error) {
	defer wrap(&err, "postgres.CutBook")
	if size < 1 {
		return nil, 0, interdict.Errorf(interdict.EINVALID, "A page holds at least one party.")
	}
	if err := s.db.db.QueryRowContext(ctx, `SELECT count(*) FROM parties WHERE NOT removed`).Scan(&parties); err != nil {
		return nil, 0, fmt.Errorf("count the book: %w", err)
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM parties WHERE NOT removed) t
		WHERE n % $1 = 0 ORDER BY id`, size)
	if err != nil {
		return nil, 0, fmt.Errorf("cut the book into pages: %w", err)
	}
	defer rows.Close()
	var pages []interdict.RescreenPage
	after := ""
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, 0, err
		}
		pages = append(pages, interdict.RescreenPage{Page: len(pages), After: after, Through: id})
		after = id
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if parties > len(pages)*size || len(pages) == 0 {
		pages = append(pages, interdict.RescreenPage{Page: len(pages), After: after})
	} else {
		pages[len(pages)-1].Through = ""
	}
	return pages, parties, nil
}
