package interdict

import (
	"context"
	"time"
)

// Role is what a user may do. Roles are ordered for the review workflow:
// an approver may do everything an analyst may, and an admin everything an
// approver may; an API client is a program, not a person.
type Role string

// Roles.
const (
	// RoleAnalyst screens, views the book and the alerts, proposes
	// decisions, comments and assigns alerts.
	RoleAnalyst Role = "analyst"
	// RoleApprover may also approve another user's proposed decision
	// (four-eyes) and read the audit trail.
	RoleApprover Role = "approver"
	// RoleAdmin may also manage users, lists and the configuration.
	RoleAdmin Role = "admin"
	// RoleAPIClient is a program: it screens and keeps the book through
	// the API, and decides nothing.
	RoleAPIClient Role = "api-client"
)

// Roles lists every role, in the order above.
var Roles = []Role{RoleAnalyst, RoleApprover, RoleAdmin, RoleAPIClient}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// MaxUserNameLen is the longest user name accepted, in bytes.
const MaxUserNameLen = 64

// CheckUserName returns EINVALID unless name is a valid user name: 1 to
// MaxUserNameLen characters among ASCII letters, digits, '.', '_', '-' and
// '@', starting with a letter or digit. User names appear in logs and audit
// records as they are, so they hold nothing that needs escaping.
func CheckUserName(name string) error {
	if name == "" {
		return Errorf(EINVALID, "A user needs a name.")
	}
	if len(name) > MaxUserNameLen {
		return Errorf(EINVALID, "User name %.20q... is longer than %d characters.", name, MaxUserNameLen)
	}
	for i, c := range name {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-' && c != '@') {
			return Errorf(EINVALID, "User name %q may hold only letters, digits, '.', '_', '-' and '@', and must start with a letter or digit.", name)
		}
	}
	return nil
}

// User is a person or program that may sign in. The password hash is
// never serialised.
type User struct {
	// Name identifies the user in logs and the audit trail; unique.
	Name string `json:"name"`
	Role Role   `json:"role"`
	// PasswordHash is the password's memory-hard hash (argon2id, PHC string
	// format); empty for a user who signs in only with API keys.
	PasswordHash string `json:"-"`
	// Disabled users cannot sign in and their keys and sessions are refused.
	Disabled bool `json:"disabled"`
	// FailedSignIns counts the wrong passwords given since the last
	// successful sign-in or lockout.
	FailedSignIns int `json:"failed_sign_ins,omitempty"`
	// LockedUntil, while in the future, refuses every password sign-in of
	// the user: too many wrong passwords were given.
	LockedUntil time.Time `json:"locked_until,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// UserUpdate changes a user; nil fields are left as they are.
type UserUpdate struct {
	Role         *Role
	PasswordHash *string
	Disabled     *bool
}

// UserFilter selects users; zero fields select all.
type UserFilter struct {
	Role Role
	// Limit is the most users returned; 0 means no limit.
	Limit int
}

// APIKey is a secret with which a program acts as a user, sent as
// "Authorization: Bearer <key>". A key reads "idk_<ID>_<secret>": the ID is
// stored as it is, the secret only as its memory-hard hash, so the key is
// shown once, when it is made, and never again.
type APIKey struct {
	// ID is the key's public part: 24 hex digits.
	ID   string `json:"id"`
	User string `json:"user"`
	// Label says what the key is for.
	Label string `json:"label,omitempty"`
	// Hash is the hash of the key's secret (argon2id, PHC string format).
	Hash      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// Session is a signed-in browser. The session cookie holds a random secret;
// the store keeps only its SHA-256, so a copy of the database signs no one
// in.
type Session struct {
	// ID is the hex SHA-256 of the cookie's secret.
	ID   string `json:"-"`
	User string `json:"user"`
	// CSRFToken must accompany every request that changes state.
	CSRFToken string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UserStore keeps users, their API keys and their sessions. Methods are
// safe for concurrent use.
type UserStore interface {
	// CreateUser stores a new user and sets u.CreatedAt and u.UpdatedAt.
	// The first user must be an admin, so that someone can manage the
	// others. Returns EINVALID for a bad name or role, or a first user that
	// is no admin; ECONFLICT when the name is taken.
	CreateUser(ctx context.Context, u *User) error

	// UpdateUser applies upd to a user and returns it as stored. A new
	// password hash, or disabling the user, ends the user's sessions.
	// Returns ENOTFOUND if there is no such user, EINVALID for an unknown
	// role, ECONFLICT if the change would leave no enabled admin.
	UpdateUser(ctx context.Context, name string, upd UserUpdate) (*User, error)

	// FindUserByName returns a user. Returns ENOTFOUND if there is none.
	FindUserByName(ctx context.Context, name string) (*User, error)

	// FindUsers returns the users f selects, by name, and how many f
	// selects without its Limit.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)

	// CreateAPIKey stores a key of an existing user and sets k.CreatedAt
	// (and k.ID when empty). Returns ENOTFOUND if the user does not exist,
	// EINVALID without a hash, ECONFLICT if the ID is taken.
	CreateAPIKey(ctx context.Context, k *APIKey) error

	// FindAPIKeyByID returns a key. Returns ENOTFOUND if there is none.
	FindAPIKeyByID(ctx context.Context, id string) (*APIKey, error)

	// FindAPIKeys returns a user's keys, oldest first.
	FindAPIKeys(ctx context.Context, user string) ([]*APIKey, error)

	// DeleteAPIKey revokes a key. Returns ENOTFOUND if there is none.
	DeleteAPIKey(ctx context.Context, id string) error

	// CreateSession stores a session of an existing user and sets
	// s.CreatedAt. Returns ENOTFOUND if the user does not exist, EINVALID
	// without an ID, a CSRF token or an expiry, ECONFLICT if the ID is taken.
	CreateSession(ctx context.Context, s *Session) error

	// FindSessionByID returns a session, expired or not: the caller checks
	// ExpiresAt against its clock. Returns ENOTFOUND if there is none.
	FindSessionByID(ctx context.Context, id string) (*Session, error)

	// DeleteSession ends a session; ending one that does not exist is not
	// an error (signing out twice is fine).
	DeleteSession(ctx context.Context, id string) error

	// RecordSignIn records a password sign-in of a user at now: a success
	// sets FailedSignIns to 0; a failure adds one and, when that makes
	// maxFailures, locks the user until now+lockFor (LockedUntil) and
	// starts the count again. Changes of one user are serialized, so that
	// concurrent failures are all counted. Returns the user as stored, or
	// ENOTFOUND if there is no such user. A new password hash or enabling
	// the user (UpdateUser) ends a lockout.
	RecordSignIn(ctx context.Context, name string, ok bool, now time.Time, maxFailures int, lockFor time.Duration) (*User, error)

	// DeleteExpiredSessions deletes the sessions that expired at or before
	// now and returns how many.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}
