package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/interdict/interdict"
)

// UserStore implements interdict.UserStore: users, their API keys and
// sessions, and the sign-in failures that lock an account.
type UserStore struct {
	db *DB
}

var _ interdict.UserStore = (*UserStore)(nil)

// NewUserStore returns a UserStore on db.
func NewUserStore(db *DB) *UserStore {
	return &UserStore{db: db}
}

func (s *UserStore) now() time.Time { return s.db.stamp(s.db.Now()) }

const userColumns = `name, role, password_hash, disabled, created_at, updated_at, failed_signins, locked_until`

func (s *UserStore) scanUser(sc scanner) (*interdict.User, error) {
	var u interdict.User
	if err := sc.Scan(&u.Name, &u.Role, &u.PasswordHash, &u.Disabled, s.db.tsCol(&u.CreatedAt), s.db.tsCol(&u.UpdatedAt), &u.FailedSignIns, s.db.tsCol(&u.LockedUntil)); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUser implements interdict.UserStore.
func (s *UserStore) CreateUser(ctx context.Context, u *interdict.User) (err error) {
	defer s.db.wrap(&err, "CreateUser")
	if err := interdict.CheckUserName(u.Name); err != nil {
		return err
	}
	if !u.Role.Valid() {
		return interdict.Errorf(interdict.EINVALID, "Role %q is unknown; use analyst, approver, admin or api-client.", u.Role)
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// The table lock makes "the first user must be an admin" hold for two
	// first users created at once.
	if lock := s.db.Dialect.LockTable("users"); lock != "" {
		if _, err := tx.ExecContext(ctx, lock); err != nil {
			return fmt.Errorf("lock users: %w", err)
		}
	}
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
	_, err = tx.ExecContext(ctx, s.db.rebind(`INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, 0, ?)`),
		u.Name, u.Role, u.PasswordHash, u.Disabled, s.db.ts(u.CreatedAt), s.db.ts(u.UpdatedAt), s.db.ts(u.LockedUntil))
	if s.db.Dialect.IsUnique(err) {
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
	defer s.db.wrap(&err, "UpdateUser")
	if upd.Role != nil && !upd.Role.Valid() {
		return nil, interdict.Errorf(interdict.EINVALID, "Role %q is unknown; use analyst, approver, admin or api-client.", *upd.Role)
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// Lock the enabled admins and the user, so that two updates cannot
	// both count the same admins (each waits for the other and then sees
	// its change). Where the transaction holds the database's write lock
	// (Dialect.ForUpdate empty) there is nothing more to lock.
	if fu := s.db.Dialect.ForUpdate; fu != "" {
		if _, err := tx.ExecContext(ctx, s.db.rebind(`SELECT name FROM users WHERE (role = ? AND NOT disabled) OR name = ? ORDER BY name`+fu), interdict.RoleAdmin, name); err != nil {
			return nil, fmt.Errorf("lock users: %w", err)
		}
	}
	u, err := s.scanUser(tx.QueryRowContext(ctx, s.db.rebind(`SELECT `+userColumns+` FROM users WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No user %s.", name)
	} else if err != nil {
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
		if err := tx.QueryRowContext(ctx, s.db.rebind(`SELECT count(*) FROM users WHERE role = ? AND NOT disabled AND name <> ?`), interdict.RoleAdmin, name).Scan(&admins); err != nil {
			return nil, fmt.Errorf("count admins: %w", err)
		}
		if admins == 0 {
			return nil, interdict.Errorf(interdict.ECONFLICT, "%s is the last enabled admin; make another admin first.", name)
		}
	}
	u.UpdatedAt = s.now()
	if _, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE users SET role = ?, password_hash = ?, disabled = ?, updated_at = ?, failed_signins = ?, locked_until = ? WHERE name = ?`),
		u.Role, u.PasswordHash, u.Disabled, s.db.ts(u.UpdatedAt), u.FailedSignIns, s.db.ts(u.LockedUntil), name); err != nil {
		return nil, fmt.Errorf("update user %s: %w", name, err)
	}
	if endSessions {
		if _, err := tx.ExecContext(ctx, s.db.rebind(`DELETE FROM sessions WHERE user_name = ?`), name); err != nil {
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
	defer s.db.wrap(&err, "FindUserByName")
	u, err := s.scanUser(s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT `+userColumns+` FROM users WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No user %s.", name)
	} else if err != nil {
		return nil, fmt.Errorf("find user %s: %w", name, err)
	}
	return u, nil
}

// FindUsers implements interdict.UserStore.
func (s *UserStore) FindUsers(ctx context.Context, f interdict.UserFilter) (_ []*interdict.User, _ int, err error) {
	defer s.db.wrap(&err, "FindUsers")
	var n int
	if err := s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT count(*) FROM users WHERE (? = '' OR role = ?)`), f.Role, f.Role).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	q := `SELECT ` + userColumns + ` FROM users WHERE (? = '' OR role = ?) ORDER BY name`
	args := []any{f.Role, f.Role}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(q), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("query users: %w", err)
	}
	defer rows.Close()
	out := []*interdict.User{}
	for rows.Next() {
		u, err := s.scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, n, rows.Err()
}

func (s *UserStore) userExists(ctx context.Context, tx *sql.Tx, name string) error {
	var one int
	err := tx.QueryRowContext(ctx, s.db.rebind(`SELECT 1 FROM users WHERE name = ?`), name).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return interdict.Errorf(interdict.ENOTFOUND, "No user %s.", name)
	} else if err != nil {
		return fmt.Errorf("find user %s: %w", name, err)
	}
	return nil
}

// CreateAPIKey implements interdict.UserStore.
func (s *UserStore) CreateAPIKey(ctx context.Context, k *interdict.APIKey) (err error) {
	defer s.db.wrap(&err, "CreateAPIKey")
	if k.Hash == "" {
		return interdict.Errorf(interdict.EINVALID, "An API key needs the hash of its secret.")
	}
	if k.ID == "" {
		k.ID = interdict.NewID()
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := s.userExists(ctx, tx, k.User); err != nil {
		return err
	}
	k.CreatedAt = s.now()
	_, err = tx.ExecContext(ctx, s.db.rebind(`INSERT INTO api_keys (id, user_name, label, hash, created_at) VALUES (?, ?, ?, ?, ?)`),
		k.ID, k.User, k.Label, k.Hash, s.db.ts(k.CreatedAt))
	if s.db.Dialect.IsUnique(err) {
		return interdict.Errorf(interdict.ECONFLICT, "An API key with ID %s exists already.", k.ID)
	} else if err != nil {
		return fmt.Errorf("insert API key of %s: %w", k.User, err)
	}
	return tx.Commit()
}

func (s *UserStore) scanAPIKey(sc scanner) (*interdict.APIKey, error) {
	var k interdict.APIKey
	if err := sc.Scan(&k.ID, &k.User, &k.Label, &k.Hash, s.db.tsCol(&k.CreatedAt)); err != nil {
		return nil, err
	}
	return &k, nil
}

// FindAPIKeyByID implements interdict.UserStore.
func (s *UserStore) FindAPIKeyByID(ctx context.Context, id string) (_ *interdict.APIKey, err error) {
	defer s.db.wrap(&err, "FindAPIKeyByID")
	k, err := s.scanAPIKey(s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT id, user_name, label, hash, created_at FROM api_keys WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No API key %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find API key %s: %w", id, err)
	}
	return k, nil
}

// FindAPIKeys implements interdict.UserStore.
func (s *UserStore) FindAPIKeys(ctx context.Context, user string) (_ []*interdict.APIKey, err error) {
	defer s.db.wrap(&err, "FindAPIKeys")
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(`SELECT id, user_name, label, hash, created_at FROM api_keys WHERE user_name = ? ORDER BY created_at, id`), user)
	if err != nil {
		return nil, fmt.Errorf("query API keys of %s: %w", user, err)
	}
	defer rows.Close()
	out := []*interdict.APIKey{}
	for rows.Next() {
		k, err := s.scanAPIKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// DeleteAPIKey implements interdict.UserStore.
func (s *UserStore) DeleteAPIKey(ctx context.Context, id string) (err error) {
	defer s.db.wrap(&err, "DeleteAPIKey")
	res, err := s.db.SQL.ExecContext(ctx, s.db.rebind(`DELETE FROM api_keys WHERE id = ?`), id)
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
	defer s.db.wrap(&err, "CreateSession")
	if ss.ID == "" || ss.CSRFToken == "" || ss.ExpiresAt.IsZero() {
		return interdict.Errorf(interdict.EINVALID, "A session needs an ID, a CSRF token and an expiry.")
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := s.userExists(ctx, tx, ss.User); err != nil {
		return err
	}
	ss.CreatedAt = s.now()
	_, err = tx.ExecContext(ctx, s.db.rebind(`INSERT INTO sessions (id, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		ss.ID, ss.User, ss.CSRFToken, s.db.ts(ss.CreatedAt), s.db.ts(ss.ExpiresAt))
	if s.db.Dialect.IsUnique(err) {
		return interdict.Errorf(interdict.ECONFLICT, "The session exists already.")
	} else if err != nil {
		return fmt.Errorf("insert session of %s: %w", ss.User, err)
	}
	return tx.Commit()
}

// FindSessionByID implements interdict.UserStore.
func (s *UserStore) FindSessionByID(ctx context.Context, id string) (_ *interdict.Session, err error) {
	defer s.db.wrap(&err, "FindSessionByID")
	var ss interdict.Session
	err = s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT id, user_name, csrf_token, created_at, expires_at FROM sessions WHERE id = ?`), id).
		Scan(&ss.ID, &ss.User, &ss.CSRFToken, s.db.tsCol(&ss.CreatedAt), s.db.tsCol(&ss.ExpiresAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No such session.")
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return &ss, nil
}

// DeleteSession implements interdict.UserStore.
func (s *UserStore) DeleteSession(ctx context.Context, id string) (err error) {
	defer s.db.wrap(&err, "DeleteSession")
	if _, err := s.db.SQL.ExecContext(ctx, s.db.rebind(`DELETE FROM sessions WHERE id = ?`), id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions implements interdict.UserStore.
func (s *UserStore) DeleteExpiredSessions(ctx context.Context, now time.Time) (_ int, err error) {
	defer s.db.wrap(&err, "DeleteExpiredSessions")
	res, err := s.db.SQL.ExecContext(ctx, s.db.rebind(`DELETE FROM sessions WHERE expires_at <= ?`), s.db.ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RecordSignIn implements interdict.UserStore.
func (s *UserStore) RecordSignIn(ctx context.Context, name string, ok bool, now time.Time, maxFailures int, lockFor time.Duration) (_ *interdict.User, err error) {
	defer s.db.wrap(&err, "RecordSignIn")
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// The row lock (or the database's write lock, held since the
	// transaction began) serializes concurrent sign-ins of one user: every
	// failure is counted.
	u, err := s.scanUser(tx.QueryRowContext(ctx, s.db.rebind(`SELECT `+userColumns+` FROM users WHERE name = ?`+s.db.Dialect.ForUpdate), name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No user %s.", name)
	} else if err != nil {
		return nil, fmt.Errorf("find user %s: %w", name, err)
	}
	switch {
	case ok:
		u.FailedSignIns = 0
	case u.FailedSignIns+1 >= maxFailures:
		u.FailedSignIns, u.LockedUntil = 0, s.db.stamp(now.Add(lockFor))
	default:
		u.FailedSignIns++
	}
	if _, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE users SET failed_signins = ?, locked_until = ? WHERE name = ?`), u.FailedSignIns, s.db.ts(u.LockedUntil), name); err != nil {
		return nil, fmt.Errorf("record sign-in of %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit sign-in of %s: %w", name, err)
	}
	return u, nil
}
