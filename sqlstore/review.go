package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/interdict/interdict"
)

// ReviewStore implements interdict.ReviewStore: the book, alerts,
// decisions, the good-guy list, run checkpoints and the audit trail.
type ReviewStore struct {
	db     *DB
	writes *writeQueue
}

var _ interdict.ReviewStore = (*ReviewStore)(nil)

// NewReviewStore returns a ReviewStore on db.
func NewReviewStore(db *DB) *ReviewStore {
	return &ReviewStore{db: db, writes: &writeQueue{on: db.Dialect.SerializeWrites}}
}

func (s *ReviewStore) now() time.Time { return s.db.Now().UTC() }

// The book.

const partyColumns = `id, kind, name, aliases, dob, country, identifiers, address, hash, version, removed, created_at, updated_at`

func (s *ReviewStore) scanParty(sc scanner) (*interdict.Party, error) {
	var p interdict.Party
	if err := sc.Scan(&p.ID, &p.Kind, &p.Name, jsonCol{&p.Aliases}, &p.DOB, &p.Country, jsonCol{&p.Identifiers}, &p.Address,
		&p.Hash, &p.Version, &p.Removed, s.db.tsCol(&p.CreatedAt), s.db.tsCol(&p.UpdatedAt)); err != nil {
		return nil, err
	}
	return &p, nil
}

// PutParty implements interdict.ReviewStore.
func (s *ReviewStore) PutParty(ctx context.Context, p *interdict.Party) (changed bool, err error) {
	ch, err := s.PutParties(ctx, []*interdict.Party{p})
	if err != nil {
		return false, err
	}
	return ch[0], nil
}

// PutParties implements interdict.ReviewStore.
func (s *ReviewStore) PutParties(ctx context.Context, ps []*interdict.Party) (_ []bool, err error) {
	defer s.db.wrap(&err, "PutParties")
	for _, p := range ps {
		if strings.TrimSpace(p.ID) == "" {
			return nil, interdict.Errorf(interdict.EINVALID, "A party needs an ID.")
		}
		if strings.TrimSpace(p.Name) == "" {
			return nil, interdict.Errorf(interdict.EINVALID, "Party %s needs a name.", p.ID)
		}
	}
	defer s.writes.lock()()
	now := s.now()
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// One statement inserts a new party, or updates one whose data changed
	// or that was removed, and returns its version; it returns no row for a
	// party stored with the same data.
	put, err := tx.PrepareContext(ctx, s.db.rebind(`INSERT INTO parties (`+partyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, false, ?, ?)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, aliases = excluded.aliases, dob = excluded.dob,
		country = excluded.country, identifiers = excluded.identifiers, address = excluded.address, hash = excluded.hash,
		version = parties.version + CASE WHEN parties.hash = excluded.hash THEN 0 ELSE 1 END, removed = false, updated_at = excluded.updated_at
		WHERE parties.hash <> excluded.hash OR parties.removed
		RETURNING version, created_at`))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	defer put.Close()
	get, err := tx.PrepareContext(ctx, s.db.rebind(`SELECT version, created_at, updated_at FROM parties WHERE id = ?`))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	defer get.Close()
	changed := make([]bool, len(ps))
	for i, p := range ps {
		p.Hash = p.DataHash()
		err := put.QueryRowContext(ctx, p.ID, p.Kind, p.Name, s.db.jsonText(nonNil(p.Aliases)), p.DOB, p.Country, s.db.jsonText(nonNil(p.Identifiers)),
			p.Address, p.Hash, s.db.ts(now), s.db.ts(now)).Scan(&p.Version, s.db.tsCol(&p.CreatedAt))
		switch {
		case err == nil:
			changed[i], p.UpdatedAt = true, now
		case errors.Is(err, sql.ErrNoRows):
			if err := get.QueryRowContext(ctx, p.ID).Scan(&p.Version, s.db.tsCol(&p.CreatedAt), s.db.tsCol(&p.UpdatedAt)); err != nil {
				return nil, fmt.Errorf("find party %s: %w", p.ID, err)
			}
		default:
			return nil, fmt.Errorf("put party %s: %w", p.ID, err)
		}
		p.Removed = false
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit parties: %w", err)
	}
	return changed, nil
}

// FindParty implements interdict.ReviewStore.
func (s *ReviewStore) FindParty(ctx context.Context, id string) (_ *interdict.Party, err error) {
	defer s.db.wrap(&err, "FindParty")
	p, err := s.scanParty(s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT `+partyColumns+` FROM parties WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No party %s in the book.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find party %s: %w", id, err)
	}
	return p, nil
}

// FindParties implements interdict.ReviewStore.
func (s *ReviewStore) FindParties(ctx context.Context, f interdict.PartyFilter) (_ []*interdict.Party, n int, err error) {
	defer s.db.wrap(&err, "FindParties")
	where, args := []string{"1 = 1"}, []any{}
	if !f.Removed {
		where = append(where, "removed = false")
	}
	if f.AfterID != "" {
		where = append(where, "id > ?")
		args = append(args, f.AfterID)
	}
	cond := strings.Join(where, " AND ")
	if err := s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT COUNT(*) FROM parties WHERE `+cond), args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count parties: %w", err)
	}
	q := `SELECT ` + partyColumns + ` FROM parties WHERE ` + cond + ` ORDER BY id` + s.db.page(f.Offset, f.Limit)
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(q), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find parties: %w", err)
	}
	ps, err := collect(rows, "party", s.scanParty)
	if err != nil {
		return nil, 0, fmt.Errorf("find parties: %w", err)
	}
	return ps, n, nil
}

// DeleteParty implements interdict.ReviewStore.
func (s *ReviewStore) DeleteParty(ctx context.Context, id string) (err error) {
	defer s.db.wrap(&err, "DeleteParty")
	defer s.writes.lock()()
	res, err := s.db.SQL.ExecContext(ctx, s.db.rebind(`UPDATE parties SET removed = true, updated_at = ? WHERE id = ? AND removed = false`), s.db.ts(s.now()), id)
	if err != nil {
		return fmt.Errorf("remove party %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return interdict.Errorf(interdict.ENOTFOUND, "No party %s in the book.", id)
	}
	return nil
}

// Alerts.

const alertColumns = `id, party_id, party_hash, party_name, entity_id, entity_hash, entity_name, listings, policy, score, explanation,
	state, assignee, comments, changes, notes, version, created_at, updated_at`

func (s *ReviewStore) scanAlert(sc scanner) (*interdict.Alert, error) {
	var a interdict.Alert
	var expl string
	if err := sc.Scan(&a.ID, &a.PartyID, &a.PartyHash, &a.PartyName, &a.EntityID, &a.EntityHash, &a.EntityName, jsonCol{&a.Listings},
		&a.Policy, &a.Score, &expl, &a.State, &a.Assignee, jsonCol{&a.Comments}, jsonCol{&a.Changes}, jsonCol{&a.Notes}, &a.Version,
		s.db.tsCol(&a.CreatedAt), s.db.tsCol(&a.UpdatedAt)); err != nil {
		return nil, err
	}
	a.Explanation = json.RawMessage(expl)
	return &a, nil
}

func listsKey(a *interdict.Alert) string {
	return "," + strings.Join(a.Lists(), ",") + ","
}

func explanationText(a *interdict.Alert) (string, error) {
	if len(a.Explanation) == 0 {
		return "null", nil
	}
	if !json.Valid(a.Explanation) {
		return "", interdict.Errorf(interdict.EINVALID, "The explanation of the alert on party %s and entity %s is not JSON.", a.PartyID, a.EntityID)
	}
	return string(a.Explanation), nil
}

// CreateAlert implements interdict.ReviewStore.
func (s *ReviewStore) CreateAlert(ctx context.Context, a *interdict.Alert) (err error) {
	defer s.db.wrap(&err, "CreateAlert")
	defer s.writes.lock()()
	if a.PartyID == "" || a.EntityID == "" {
		return interdict.Errorf(interdict.EINVALID, "An alert needs a party and an entity.")
	}
	if a.State == "" {
		a.State = interdict.AlertOpen
	}
	if !a.State.Valid() {
		return interdict.Errorf(interdict.EINVALID, "Alert state %q is unknown.", a.State)
	}
	expl, err := explanationText(a)
	if err != nil {
		return err
	}
	if a.ID == "" {
		a.ID = interdict.NewID()
	}
	if a.Listings == nil {
		a.Listings = []interdict.AlertListing{}
	}
	a.Version = 1
	a.CreatedAt = s.now()
	a.UpdatedAt = a.CreatedAt
	if r := a.Audit; r != nil {
		if r.Object == "" {
			r.Object = "alert:" + a.ID
		}
		if err := s.checkAudit(r); err != nil {
			return err
		}
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, s.db.rebind(`INSERT INTO alerts (`+alertColumns+`, lists, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		a.ID, a.PartyID, a.PartyHash, a.PartyName, a.EntityID, a.EntityHash, a.EntityName, s.db.jsonText(a.Listings), a.Policy, a.Score, expl,
		a.State, a.Assignee, s.db.jsonText(a.Comments), s.db.jsonText(a.Changes), s.db.jsonText(a.Notes), a.Version, s.db.ts(a.CreatedAt), s.db.ts(a.UpdatedAt),
		listsKey(a), a.State.Closed())
	if s.db.Dialect.IsUnique(err) {
		return interdict.Errorf(interdict.ECONFLICT, "Party %s and entity %s have an alert that is not closed, or alert ID %s is taken.", a.PartyID, a.EntityID, a.ID)
	} else if err != nil {
		return fmt.Errorf("insert alert %s: %w", a.ID, err)
	}
	if a.Audit != nil {
		if err := s.appendAudit(ctx, tx, a.Audit); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit alert %s: %w", a.ID, err)
	}
	return nil
}

// FindAlert implements interdict.ReviewStore.
func (s *ReviewStore) FindAlert(ctx context.Context, id string) (_ *interdict.Alert, err error) {
	defer s.db.wrap(&err, "FindAlert")
	return s.findAlert(ctx, s.db.SQL, id)
}

func (s *ReviewStore) findAlert(ctx context.Context, q queryer, id string) (*interdict.Alert, error) {
	a, err := s.scanAlert(q.QueryRowContext(ctx, s.db.rebind(`SELECT `+alertColumns+` FROM alerts WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No alert %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find alert %s: %w", id, err)
	}
	return a, nil
}

// FindAlerts implements interdict.ReviewStore.
func (s *ReviewStore) FindAlerts(ctx context.Context, f interdict.AlertFilter) (_ []*interdict.Alert, n int, err error) {
	defer s.db.wrap(&err, "FindAlerts")
	from, order, where, args := "alerts", "alerts.seq", []string{"1 = 1"}, []any{}
	if f.State != "" {
		where, args = append(where, "state = ?"), append(args, f.State)
	}
	if f.PartyID != "" {
		where, args = append(where, "party_id = ?"), append(args, f.PartyID)
	}
	if f.EntityID != "" {
		where, args = append(where, "entity_id = ?"), append(args, f.EntityID)
	}
	if f.List != "" {
		// Driven by the list's index of alerts, newest first.
		from, order = "alert_lists l JOIN alerts ON alerts.seq = l.seq", "l.seq"
		where, args = append(where, "l.list = ?"), append(args, f.List)
	}
	if f.Assignee != "" {
		where, args = append(where, "assignee = ?"), append(args, f.Assignee)
	}
	if f.MinScore > 0 {
		where, args = append(where, "score >= ?"), append(args, f.MinScore)
	}
	cond := strings.Join(where, " AND ")
	count, cargs := `SELECT COUNT(*) FROM `+from+` WHERE `+cond, args
	if f.PartyID == "" && f.EntityID == "" && f.MinScore == 0 {
		// The counts the triggers keep by list, state and assignee.
		count, cargs = `SELECT COALESCE(SUM(n), 0) FROM alert_counts WHERE list = ?`, []any{f.List}
		if f.State != "" {
			count, cargs = count+` AND state = ?`, append(cargs, f.State)
		}
		if f.Assignee != "" {
			count, cargs = count+` AND assignee = ?`, append(cargs, f.Assignee)
		}
	}
	if err := s.db.SQL.QueryRowContext(ctx, s.db.rebind(count), cargs...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count alerts: %w", err)
	}
	var q queryer = s.db.SQL
	if hint := s.db.Dialect.PageHint; hint != "" && f.PartyID == "" && f.EntityID == "" {
		// A page of the queue is read in the order of an index (by state,
		// assignee and state, list, or seq), never by sorting the alerts of
		// a state (see Dialect.PageHint). A party's or an entity's alerts
		// are few and sorted.
		tx, err := s.db.SQL.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, 0, fmt.Errorf("begin: %w", err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `SET LOCAL `+hint); err != nil {
			return nil, 0, fmt.Errorf("find alerts: %w", err)
		}
		q = tx
	}
	rows, err := q.QueryContext(ctx, s.db.rebind(`SELECT `+alertColumns+` FROM `+from+` WHERE `+cond+` ORDER BY `+order+` DESC`+s.db.page(f.Offset, f.Limit)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find alerts: %w", err)
	}
	as, err := collect(rows, "alert", s.scanAlert)
	if err != nil {
		return nil, 0, fmt.Errorf("find alerts: %w", err)
	}
	return as, n, nil
}

// CountAlerts implements interdict.ReviewStore.
func (s *ReviewStore) CountAlerts(ctx context.Context) (_ map[interdict.AlertState]int, err error) {
	defer s.db.wrap(&err, "CountAlerts")
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT state, SUM(n) FROM alert_counts WHERE list = '' GROUP BY state HAVING SUM(n) > 0`)
	if err != nil {
		return nil, fmt.Errorf("count alerts: %w", err)
	}
	defer rows.Close()
	m := map[interdict.AlertState]int{}
	for rows.Next() {
		var st interdict.AlertState
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count alerts: %w", err)
		}
		m[st] = n
	}
	return m, rows.Err()
}

// UpdateAlert implements interdict.ReviewStore.
func (s *ReviewStore) UpdateAlert(ctx context.Context, u interdict.AlertUpdate) (_ *interdict.Alert, err error) {
	defer s.db.wrap(&err, "UpdateAlert")
	defer s.writes.lock()()
	a := u.Alert
	if a == nil {
		return nil, interdict.Errorf(interdict.EINVALID, "No alert to update.")
	}
	if !a.State.Valid() {
		return nil, interdict.Errorf(interdict.EINVALID, "Alert state %q is unknown.", a.State)
	}
	if d := u.Decision; d != nil && !d.State.Valid() {
		return nil, interdict.Errorf(interdict.EINVALID, "Decision state %q is unknown.", d.State)
	}
	expl, err := explanationText(a)
	if err != nil {
		return nil, err
	}
	now := s.now()
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// The compare-and-set comes first: it takes the write lock (SQLite) or
	// the row lock (PostgreSQL), and of two updates of one version only the
	// first changes a row; the second finds the version changed.
	res, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE alerts SET party_hash = ?, party_name = ?, entity_hash = ?, entity_name = ?, listings = ?, lists = ?,
		policy = ?, score = ?, explanation = ?, state = ?, closed = ?, assignee = ?, comments = ?, changes = ?, notes = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`), a.PartyHash, a.PartyName, a.EntityHash, a.EntityName, s.db.jsonText(nonNilListings(a.Listings)), listsKey(a),
		a.Policy, a.Score, expl, a.State, a.State.Closed(), a.Assignee, s.db.jsonText(a.Comments), s.db.jsonText(a.Changes), s.db.jsonText(a.Notes), s.db.ts(now), a.ID, a.Version)
	if s.db.Dialect.IsUnique(err) {
		return nil, interdict.Errorf(interdict.ECONFLICT, "Party %s and entity %s have another alert that is not closed.", a.PartyID, a.EntityID)
	} else if err != nil {
		return nil, fmt.Errorf("update alert %s: %w", a.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n == 0 {
		cur, err := s.findAlert(ctx, tx, a.ID)
		if err != nil {
			return nil, err
		}
		return nil, interdict.Errorf(interdict.ECONFLICT, "Alert %s changed (version %d, not %d): reload it and decide again.", a.ID, cur.Version, a.Version)
	}
	if d := u.Decision; d != nil {
		if d.ID == "" {
			d.ID = interdict.NewID()
		}
		d.AlertID = a.ID
		if d.ProposedAt.IsZero() {
			d.ProposedAt = now
		}
		if _, err := tx.ExecContext(ctx, s.db.rebind(`INSERT INTO decisions (id, alert_id, state, suppress, comment, status, proposed_by, proposed_at, approved_by, approved_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET status = excluded.status, approved_by = excluded.approved_by, approved_at = excluded.approved_at`),
			d.ID, d.AlertID, d.State, d.Suppress, d.Comment, d.Status, d.ProposedBy, s.db.ts(d.ProposedAt), d.ApprovedBy, s.db.ts(d.ApprovedAt)); err != nil {
			return nil, fmt.Errorf("store decision %s on alert %s: %w", d.ID, a.ID, err)
		}
	}
	if u.ClearGoodGuy {
		if _, err := tx.ExecContext(ctx, s.db.rebind(`DELETE FROM good_guys WHERE party_id = ? AND entity_id = ?`), a.PartyID, a.EntityID); err != nil {
			return nil, fmt.Errorf("clear good-guy entry of alert %s: %w", a.ID, err)
		}
	}
	if g := u.GoodGuy; g != nil {
		if g.CreatedAt.IsZero() {
			g.CreatedAt = now
		}
		if _, err := tx.ExecContext(ctx, s.db.rebind(`INSERT INTO good_guys (party_id, entity_id, party_hash, entity_hash, score, decision_id, approved_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (party_id, entity_id) DO UPDATE SET party_hash = excluded.party_hash, entity_hash = excluded.entity_hash, score = excluded.score,
			decision_id = excluded.decision_id, approved_by = excluded.approved_by, created_at = excluded.created_at`),
			g.PartyID, g.EntityID, g.PartyHash, g.EntityHash, g.Score, g.DecisionID, g.ApprovedBy, s.db.ts(g.CreatedAt)); err != nil {
			return nil, fmt.Errorf("store good-guy entry of alert %s: %w", a.ID, err)
		}
	}
	out, err := s.findAlert(ctx, tx, a.ID)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit alert %s: %w", a.ID, err)
	}
	return out, nil
}

func nonNilListings(ls []interdict.AlertListing) []interdict.AlertListing {
	if ls == nil {
		return []interdict.AlertListing{}
	}
	return ls
}

// Decisions.

const decisionColumns = `id, alert_id, state, suppress, comment, status, proposed_by, proposed_at, approved_by, approved_at`

func (s *ReviewStore) scanDecision(sc scanner) (*interdict.Decision, error) {
	var d interdict.Decision
	if err := sc.Scan(&d.ID, &d.AlertID, &d.State, &d.Suppress, &d.Comment, &d.Status, &d.ProposedBy, s.db.tsCol(&d.ProposedAt),
		&d.ApprovedBy, s.db.tsCol(&d.ApprovedAt)); err != nil {
		return nil, err
	}
	return &d, nil
}

// FindDecisions implements interdict.ReviewStore.
func (s *ReviewStore) FindDecisions(ctx context.Context, alertID string) (_ []*interdict.Decision, err error) {
	defer s.db.wrap(&err, "FindDecisions")
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(`SELECT `+decisionColumns+` FROM decisions WHERE alert_id = ? ORDER BY proposed_at, id`), alertID)
	if err != nil {
		return nil, fmt.Errorf("find decisions of alert %s: %w", alertID, err)
	}
	defer rows.Close()
	var ds []*interdict.Decision
	for rows.Next() {
		d, err := s.scanDecision(rows)
		if err != nil {
			return nil, fmt.Errorf("read decision: %w", err)
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// FindDecision implements interdict.ReviewStore.
func (s *ReviewStore) FindDecision(ctx context.Context, id string) (_ *interdict.Decision, err error) {
	defer s.db.wrap(&err, "FindDecision")
	d, err := s.scanDecision(s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT `+decisionColumns+` FROM decisions WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No decision %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find decision %s: %w", id, err)
	}
	return d, nil
}

// The good-guy list.

const goodGuyColumns = `party_id, entity_id, party_hash, entity_hash, score, decision_id, approved_by, created_at`

func (s *ReviewStore) scanGoodGuy(sc scanner) (*interdict.GoodGuy, error) {
	var g interdict.GoodGuy
	if err := sc.Scan(&g.PartyID, &g.EntityID, &g.PartyHash, &g.EntityHash, &g.Score, &g.DecisionID, &g.ApprovedBy, s.db.tsCol(&g.CreatedAt)); err != nil {
		return nil, err
	}
	return &g, nil
}

// FindGoodGuy implements interdict.ReviewStore.
func (s *ReviewStore) FindGoodGuy(ctx context.Context, partyID, entityID string) (_ *interdict.GoodGuy, err error) {
	defer s.db.wrap(&err, "FindGoodGuy")
	g, err := s.scanGoodGuy(s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT `+goodGuyColumns+` FROM good_guys WHERE party_id = ? AND entity_id = ?`), partyID, entityID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "Party %s and entity %s are not on the good-guy list.", partyID, entityID)
	} else if err != nil {
		return nil, fmt.Errorf("find good-guy entry of party %s and entity %s: %w", partyID, entityID, err)
	}
	return g, nil
}

// FindGoodGuys implements interdict.ReviewStore.
func (s *ReviewStore) FindGoodGuys(ctx context.Context, partyID string) (_ []*interdict.GoodGuy, err error) {
	defer s.db.wrap(&err, "FindGoodGuys")
	q, args := `SELECT `+goodGuyColumns+` FROM good_guys`, []any{}
	if partyID != "" {
		q, args = q+` WHERE party_id = ?`, append(args, partyID)
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(q+` ORDER BY party_id, entity_id`), args...)
	if err != nil {
		return nil, fmt.Errorf("find good-guy entries: %w", err)
	}
	return collect(rows, "good-guy entry", s.scanGoodGuy)
}

// Checkpoints.

// SetCheckpoint implements interdict.ReviewStore.
func (s *ReviewStore) SetCheckpoint(ctx context.Context, name string, data []byte) (err error) {
	defer s.db.wrap(&err, "SetCheckpoint")
	defer s.writes.lock()()
	if data == nil {
		data = []byte{}
	}
	if _, err := s.db.SQL.ExecContext(ctx, s.db.rebind(`INSERT INTO checkpoints (name, data, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`), name, data, s.db.ts(s.now())); err != nil {
		return fmt.Errorf("store checkpoint %s: %w", name, err)
	}
	return nil
}

// FindCheckpoint implements interdict.ReviewStore.
func (s *ReviewStore) FindCheckpoint(ctx context.Context, name string) (_ []byte, err error) {
	defer s.db.wrap(&err, "FindCheckpoint")
	var data []byte
	err = s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT data FROM checkpoints WHERE name = ?`), name).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No checkpoint %s.", name)
	} else if err != nil {
		return nil, fmt.Errorf("find checkpoint %s: %w", name, err)
	}
	return data, nil
}

// DeleteCheckpoint implements interdict.ReviewStore.
func (s *ReviewStore) DeleteCheckpoint(ctx context.Context, name string) (err error) {
	defer s.db.wrap(&err, "DeleteCheckpoint")
	defer s.writes.lock()()
	if _, err := s.db.SQL.ExecContext(ctx, s.db.rebind(`DELETE FROM checkpoints WHERE name = ?`), name); err != nil {
		return fmt.Errorf("delete checkpoint %s: %w", name, err)
	}
	return nil
}

// The audit trail.

// AppendAudit implements interdict.ReviewStore.
func (s *ReviewStore) AppendAudit(ctx context.Context, r *interdict.AuditRecord) (err error) {
	defer s.db.wrap(&err, "AppendAudit")
	defer s.writes.lock()()
	if err := s.checkAudit(r); err != nil {
		return err
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := s.appendAudit(ctx, tx, r); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit audit record %d: %w", r.Seq, err)
	}
	return nil
}

// checkAudit validates r and sets its time (now when zero, to the
// microsecond, as the hash covers it).
func (s *ReviewStore) checkAudit(r *interdict.AuditRecord) error {
	if r.Actor == "" || r.Action == "" {
		return interdict.Errorf(interdict.EINVALID, "An audit record needs an actor and an action.")
	}
	if len(r.Payload) > 0 && !json.Valid(r.Payload) {
		return interdict.Errorf(interdict.EINVALID, "The payload of audit record %s %s is not JSON.", r.Action, r.Object)
	}
	if r.Time.IsZero() {
		r.Time = s.now()
	}
	r.Time = r.Time.UTC().Truncate(time.Microsecond)
	return nil
}

// appendAudit appends r, checked, to the audit trail within tx: it takes
// the trail's lock before reading the head, so that appends form one chain.
func (s *ReviewStore) appendAudit(ctx context.Context, tx *sql.Tx, r *interdict.AuditRecord) error {
	if _, err := tx.ExecContext(ctx, `UPDATE audit_lock SET appends = appends + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("lock the audit trail: %w", err)
	}
	var seq int64
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read the audit head: %w", err)
	}
	r.Seq, r.Prev = seq+1, prev
	r.Hash = r.ComputeHash()
	if _, err := tx.ExecContext(ctx, s.db.rebind(`INSERT INTO audit (seq, time, actor, action, object, payload, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		r.Seq, s.db.ts(r.Time), r.Actor, r.Action, r.Object, string(r.Payload), r.Prev, r.Hash); err != nil {
		return fmt.Errorf("append audit record %d: %w", r.Seq, err)
	}
	return nil
}

// FindAuditRecords implements interdict.ReviewStore.
func (s *ReviewStore) FindAuditRecords(ctx context.Context, f interdict.AuditFilter, fn func(*interdict.AuditRecord) error) (err error) {
	defer s.db.wrap(&err, "FindAuditRecords")
	where, args := []string{"seq >= ?"}, []any{f.FromSeq}
	if !f.From.IsZero() {
		where, args = append(where, "time >= ?"), append(args, s.db.ts(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "time < ?"), append(args, s.db.ts(f.To))
	}
	if f.Object != "" {
		where, args = append(where, "object = ?"), append(args, f.Object)
	}
	// Read in pages so that fn may take its time without holding a read
	// transaction open over the whole trail.
	const pageSize = 1000
	for {
		rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(`SELECT seq, time, actor, action, object, payload, prev, hash FROM audit WHERE `+
			strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY seq LIMIT %d`, pageSize)), args...)
		if err != nil {
			return fmt.Errorf("read audit trail: %w", err)
		}
		var recs []*interdict.AuditRecord
		for rows.Next() {
			var r interdict.AuditRecord
			var payload string
			if err := rows.Scan(&r.Seq, s.db.tsCol(&r.Time), &r.Actor, &r.Action, &r.Object, &payload, &r.Prev, &r.Hash); err != nil {
				rows.Close()
				return fmt.Errorf("read audit record: %w", err)
			}
			if payload != "" {
				r.Payload = json.RawMessage(payload)
			}
			recs = append(recs, &r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read audit trail: %w", err)
		}
		for _, r := range recs {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(recs) < pageSize {
			return nil
		}
		args[0] = recs[len(recs)-1].Seq + 1
	}
}

// AuditHead implements interdict.ReviewStore.
func (s *ReviewStore) AuditHead(ctx context.Context) (seq int64, hash string, err error) {
	defer s.db.wrap(&err, "AuditHead")
	err = s.db.SQL.QueryRowContext(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	} else if err != nil {
		return 0, "", fmt.Errorf("read the audit head: %w", err)
	}
	return seq, hash, nil
}
