package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/interdict/interdict"
)

// UserStore implements interdict.UserStore on SQLite.
type UserStore struct {
	db *DB
}

var _ interdict.UserStore = (*UserStore)(nil)

// NewUserStore returns a UserStore on db.
func NewUserStore(db *DB) *UserStore {
	return &UserStore{db: db}
}

// userTimeFormat is fixed-width, so that stored times sort as text.
const userTimeFormat = "2006-01-02T15:04:05.000000000Z"

func fmtUserTime(t time.Time) string { return t.UTC().Format(userTimeFormat) }

func parseUserTime(what, s string) (time.Time, error) {
	t, err := time.Parse(userTimeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: %w", what, s, err)
	}
	return t, nil
}

func (s *UserStore) now() time.Time { return s.db.Now().UTC() }

func userUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

const userColumns = `name, role, password_hash, disabled, created_at, updated_at, failed_signins, locked_until`

func scanUser(sc interface{ Scan(...any) error }) (*interdict.User, error) {
	var u interdict.User
	var created, updated, locked string
	if err := sc.Scan(&u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &created, &updated, &u.FailedSignIns, &locked); err != nil {
		return nil, err
	}
	var err error
	if locked != "" {
		if u.LockedUntil, err = parseUserTime("user "+u.Name+": locked_until", locked); err != nil {
			return nil, err
		}
	}
	if u.CreatedAt, err = parseUserTime("user "+u.Name+": created_at", created); err != nil {
		return nil, err
	}
	if u.UpdatedAt, err = parseUserTime("user "+u.Name+": updated_at", updated); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUser implements interdict.UserStore.
func (s *UserStore) CreateUser(ctx context.Context, u *interdict.User) (err error) {
	defer wrap(&err, "sqlite.CreateUser")
	if err := interdict.CheckUserName(u.Name); err != nil {
		return err
	}
	if !u.Role.Valid() {
		return interdict.Errorf(interdict.EINVALID, "Role %q is unknown; use analyst, approver, admin or api-client.", u.Role)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return fmt.Errorf("count users: %w", err)
	}
	if n == 0 && u.Role != interdict.RoleAdmin {
		return interdict.Errorf(interdict.EINVALID, "The first user must be an admin (--role admin), so that someone can manage the others.")
	}
	u.CreatedAt = s.now()
	u.UpdatedAt = u.CreatedAt
	u.FailedSignIns, u.LockedUntil = 0, time.Time{}
	_, err = tx.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, 0, '')`,
		u.Name, u.Role, u.PasswordHash, u.Disabled, fmtUserTime(u.CreatedAt), fmtUserTime(u.UpdatedAt))
	if userUnique(err) {
		return interdict.Errorf(interdict.ECONFLICT, "A user named %s exists already.", u.Name)
	} else if err != nil {
		return fmt.Errorf("insert user %s: %w", u.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit user %s: %w", u.Name, err)
	}
	return nil
}

// UpdateUser implements interdict.UserStore.
func (s *UserStore) UpdateUser(ctx context.Context, name string, upd interdict.UserUpdate) (_ *interdict.User, err error) {
	defer wrap(&err, "sqlite.UpdateUser")
	if upd.Role != nil && !upd.Role.Valid() {
		return nil, interdict.Errorf(interdict.EINVALID, "Role %q is unknown; use analyst, approver, admin or api-client.", *upd.Role)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// A write first, so that SQLite takes the write lock now and two
	// updates cannot both count the same admins.
	res, err := tx.ExecContext(ctx, `UPDATE users SET updated_at = updated_at WHERE name = ?`, name)
	if err != nil {
		return nil, fmt.Errorf("lock user %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No user %s.", name)
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if err != nil {
		return nil, fmt.Errorf("find user %s: %w", name, err)
	}
	wasAdmin := u.Role == interdict.RoleAdmin && !u.Disabled
	endSessions := false
	if upd.Role != nil {
		u.Role = *upd.Role
	}
	if upd.PasswordHash != nil {
		endSessions = endSessions || *upd.PasswordHash != u.PasswordHash
		u.PasswordHash = *upd.PasswordHash
	}
	if upd.Disabled != nil {
		endSessions = endSessions || *upd.Disabled
		u.Disabled = *upd.Disabled
	}
	if upd.PasswordHash != nil || upd.Disabled != nil && !*upd.Disabled {
		u.FailedSignIns, u.LockedUntil = 0, time.Time{} // a new password or enabling ends a lockout
	}
	if wasAdmin && (u.Role != interdict.RoleAdmin || u.Disabled) {
		var admins int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = ? AND disabled = 0 AND name <> ?`, interdict.RoleAdmin, name).Scan(&admins); err != nil {
			return nil, fmt.Errorf("count admins: %w", err)
		}
		if admins == 0 {
			return nil, interdict.Errorf(interdict.ECONFLICT, "%s is the last enabled admin; make another admin first.", name)
		}
	}
	u.UpdatedAt = s.now()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, password_hash = ?, disabled = ?, updated_at = ?, failed_signins = ?, locked_until = ? WHERE name = ?`,
		u.Role, u.PasswordHash, u.Disabled, fmtUserTime(u.UpdatedAt), u.FailedSignIns, lockedText(u.LockedUntil), name); err != nil {
		return nil, fmt.Errorf("update user %s: %w", name, err)
	}
	if endSessions {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = ?`, name); err != nil {
			return nil, fmt.Errorf("end sessions of %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit user %s: %w", name, err)
	}
	return u, nil
}

// FindUserByName implements interdict.UserStore.
func (s *UserStore) FindUserByName(ctx context.Context, name string) (_ *interdict.User, err error) {
	defer wrap(&err, "sqlite.FindUserByName")
	u, err := scanUser(s.db.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No user %s.", name)
	} else if err != nil {
		return nil, fmt.Errorf("find user %s: %w", name, err)
	}
	return u, nil
}

// FindUsers implements interdict.UserStore.
func (s *UserStore) FindUsers(ctx context.Context, f interdict.UserFilter) (_ []*interdict.User, _ int, err error) {
	defer wrap(&err, "sqlite.FindUsers")
	var n int
	if err := s.db.db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE (? = '' OR role = ?)`, f.Role, f.Role).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	q := `SELECT ` + userColumns + ` FROM users WHERE (? = '' OR role = ?) ORDER BY name`
	args := []any{f.Role, f.Role}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("query users: %w", err)
	}
	defer rows.Close()
	out := []*interdict.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, n, rows.Err()
}

func (s *UserStore) userExists(ctx context.Context, tx *sql.Tx, name string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE name = ?`, name).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return interdict.Errorf(interdict.ENOTFOUND, "No user %s.", name)
	} else if err != nil {
		return fmt.Errorf("find user %s: %w", name, err)
	}
	return nil
}

// CreateAPIKey implements interdict.UserStore.
func (s *UserStore) CreateAPIKey(ctx context.Context, k *interdict.APIKey) (err error) {
	defer wrap(&err, "sqlite.CreateAPIKey")
	if k.Hash == "" {
		return interdict.Errorf(interdict.EINVALID, "An API key needs the hash of its secret.")
	}
	if k.ID == "" {
		k.ID = interdict.NewID()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := s.userExists(ctx, tx, k.User); err != nil {
		return err
	}
	k.CreatedAt = s.now()
	_, err = tx.ExecContext(ctx, `INSERT INTO api_keys (id, user_name, label, hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		k.ID, k.User, k.Label, k.Hash, fmtUserTime(k.CreatedAt))
	if userUnique(err) {
		return interdict.Errorf(interdict.ECONFLICT, "An API key with ID %s exists already.", k.ID)
	} else if err != nil {
		return fmt.Errorf("insert API key of %s: %w", k.User, err)
	}
	return tx.Commit()
}

func scanAPIKey(sc interface{ Scan(...any) error }) (*interdict.APIKey, error) {
	var k interdict.APIKey
	var created string
	if err := sc.Scan(&k.ID, &k.User, &k.Label, &k.Hash, &created); err != nil {
		return nil, err
	}
	var err error
	k.CreatedAt, err = parseUserTime("API key "+k.ID+": created_at", created)
	return &k, err
}

// FindAPIKeyByID implements interdict.UserStore.
func (s *UserStore) FindAPIKeyByID(ctx context.Context, id string) (_ *interdict.APIKey, err error) {
	defer wrap(&err, "sqlite.FindAPIKeyByID")
	k, err := scanAPIKey(s.db.db.QueryRowContext(ctx, `SELECT id, user_name, label, hash, created_at FROM api_keys WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No API key %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find API key %s: %w", id, err)
	}
	return k, nil
}

// FindAPIKeys implements interdict.UserStore.
func (s *UserStore) FindAPIKeys(ctx context.Context, user string) (_ []*interdict.APIKey, err error) {
	defer wrap(&err, "sqlite.FindAPIKeys")
	rows, err := s.db.db.QueryContext(ctx, `SELECT id, user_name, label, hash, created_at FROM api_keys WHERE user_name = ? ORDER BY created_at, id`, user)
	if err != nil {
		return nil, fmt.Errorf("query API keys of %s: %w", user, err)
	}
	defer rows.Close()
	out := []*interdict.APIKey{}
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// DeleteAPIKey implements interdict.UserStore.
func (s *UserStore) DeleteAPIKey(ctx context.Context, id string) (err error) {
	defer wrap(&err, "sqlite.DeleteAPIKey")
	res, err := s.db.db.ExecContext(ctx, `DELETE FROM api_keys WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete API key %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return interdict.Errorf(interdict.ENOTFOUND, "No API key %s.", id)
	}
	return nil
}

// CreateSession implements interdict.UserStore.
func (s *UserStore) CreateSession(ctx context.Context, ss *interdict.Session) (err error) {
	defer wrap(&err, "sqlite.CreateSession")
	if ss.ID == "" || ss.CSRFToken == "" || ss.ExpiresAt.IsZero() {
		return interdict.Errorf(interdict.EINVALID, "A session needs an ID, a CSRF token and an expiry.")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := s.userExists(ctx, tx, ss.User); err != nil {
		return err
	}
	ss.CreatedAt = s.now()
	_, err = tx.ExecContext(ctx, `INSERT INTO sessions (id, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		ss.ID, ss.User, ss.CSRFToken, fmtUserTime(ss.CreatedAt), fmtUserTime(ss.ExpiresAt))
	if userUnique(err) {
		return interdict.Errorf(interdict.ECONFLICT, "The session exists already.")
	} else if err != nil {
		return fmt.Errorf("insert session of %s: %w", ss.User, err)
	}
	return tx.Commit()
}

// FindSessionByID implements interdict.UserStore.
func (s *UserStore) FindSessionByID(ctx context.Context, id string) (_ *interdict.Session, err error) {
	defer wrap(&err, "sqlite.FindSessionByID")
	var ss interdict.Session
	var created, expires string
	err = s.db.db.QueryRowContext(ctx, `SELECT id, user_name, csrf_token, created_at, expires_at FROM sessions WHERE id = ?`, id).
		Scan(&ss.ID, &ss.User, &ss.CSRFToken, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No such session.")
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if ss.CreatedAt, err = parseUserTime("session created_at", created); err != nil {
		return nil, err
	}
	if ss.ExpiresAt, err = parseUserTime("session expires_at", expires); err != nil {
		return nil, err
	}
	return &ss, nil
}

// DeleteSession implements interdict.UserStore.
func (s *UserStore) DeleteSession(ctx context.Context, id string) (err error) {
	defer wrap(&err, "sqlite.DeleteSession")
	if _, err := s.db.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions implements interdict.UserStore.
func (s *UserStore) DeleteExpiredSessions(ctx context.Context, now time.Time) (_ int, err error) {
	defer wrap(&err, "sqlite.DeleteExpiredSessions")
	res, err := s.db.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, fmtUserTime(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func lockedText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmtUserTime(t.UTC())
}

// RecordSignIn implements interdict.UserStore.
func (s *UserStore) RecordSignIn(ctx context.Context, name string, ok bool, now time.Time, maxFailures int, lockFor time.Duration) (_ *interdict.User, err error) {
	defer wrap(&err, "sqlite.RecordSignIn")
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// A write first takes SQLite's write lock: concurrent failures are
	// counted one after the other.
	res, err := tx.ExecContext(ctx, `UPDATE users SET failed_signins = failed_signins WHERE name = ?`, name)
	if err != nil {
		return nil, fmt.Errorf("lock user %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No user %s.", name)
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if err != nil {
		return nil, fmt.Errorf("find user %s: %w", name, err)
	}
	switch {
	case ok:
		u.FailedSignIns = 0
	case u.FailedSignIns+1 >= maxFailures:
		u.FailedSignIns, u.LockedUntil = 0, now.UTC().Add(lockFor)
	default:
		u.FailedSignIns++
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_signins = ?, locked_until = ? WHERE name = ?`, u.FailedSignIns, lockedText(u.LockedUntil), name); err != nil {
		return nil, fmt.Errorf("record sign-in of %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit sign-in of %s: %w", name, err)
	}
	return u, nil
}
