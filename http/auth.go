package http

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interdict/interdict"
)

// User is who makes a request.
type User struct {
	// Name identifies the user in logs and audit records; it is never a
	// secret.
	Name string
	// Local is true for the implicit user of a loopback server with no
	// users configured.
	Local bool
	// Role is the user's role; "" for the local user and for the users of
	// token-file tokens, who may only screen.
	Role interdict.Role

	// session is the browser session the request came with (nil for a
	// bearer key or token); its CSRF token guards requests that change
	// state.
	session *interdict.Session
}

// CSRFToken returns the token that must accompany the user's requests
// that change state, or "" when the user did not sign in through the web
// UI (a bearer key is no ambient credential and needs none).
func (u *User) CSRFToken() string {
	if u == nil || u.session == nil {
		return ""
	}
	return u.session.CSRFToken
}

// Authenticator decides who makes a request. Authenticate returns
// EUNAUTHORIZED when the request carries no valid credentials and
// EFORBIDDEN when it carries valid ones that may not be used here. It must
// be safe for concurrent use.
type Authenticator interface {
	Authenticate(r *http.Request) (*User, error)
}

// LocalAuth lets every request act as the local user. Use it only for a
// server that listens on loopback and has no users configured: whoever can
// reach it is already logged in to the machine. Server.LoopbackHosts
// should be set with it, against DNS rebinding.
type LocalAuth struct{}

var localUser = &User{Name: "local", Local: true}

// Authenticate implements Authenticator.
func (LocalAuth) Authenticate(*http.Request) (*User, error) { return localUser, nil }

// TokenCookie is the cookie in which the web UI keeps the API token a user
// entered on the login page.
const TokenCookie = "interdict_token"

// TokenAuth accepts requests that carry one of a set of API tokens, as
// "Authorization: Bearer <token>" or, for the web UI, in the TokenCookie
// cookie. Tokens are kept only as SHA-256 hashes and compared in constant
// time.
type TokenAuth struct {
	tokens []tokenEntry
}

type tokenEntry struct {
	hash [sha256.Size]byte
	user *User
}

// NewTokenAuth returns a TokenAuth accepting each token of tokens, which
// maps a token to the name of its user. Empty tokens are ignored.
func NewTokenAuth(tokens map[string]string) *TokenAuth {
	a := &TokenAuth{}
	for tok, name := range tokens {
		if tok == "" {
			continue
		}
		a.tokens = append(a.tokens, tokenEntry{hash: sha256.Sum256([]byte(tok)), user: &User{Name: name}})
	}
	return a
}

// Len returns the number of tokens accepted.
func (a *TokenAuth) Len() int { return len(a.tokens) }

// Authenticate implements Authenticator.
func (a *TokenAuth) Authenticate(r *http.Request) (*User, error) {
	tok := ""
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, rest, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(rest) == "" {
			return nil, interdict.Errorf(interdict.EUNAUTHORIZED, "The Authorization header must be \"Bearer <token>\".")
		}
		tok = strings.TrimSpace(rest)
	} else if c, err := r.Cookie(TokenCookie); err == nil {
		tok = c.Value
	}
	if tok == "" {
		return nil, interdict.Errorf(interdict.EUNAUTHORIZED, "Authentication required: send \"Authorization: Bearer <token>\".")
	}
	if u := a.lookup(tok); u != nil {
		return u, nil
	}
	return nil, interdict.Errorf(interdict.EUNAUTHORIZED, "The token is not valid.")
}

func (a *TokenAuth) lookup(tok string) *User {
	h := sha256.Sum256([]byte(tok))
	var found *User
	for _, e := range a.tokens {
		if subtle.ConstantTimeCompare(h[:], e.hash[:]) == 1 {
			found = e.user
		}
	}
	return found
}

// SessionCookie is the cookie that holds a signed-in browser's session
// secret (never a password or key).
const SessionCookie = "interdict_session"

// SessionTTL is how long a web UI session lasts after sign-in.
const SessionTTL = 12 * time.Hour

// CSRFHeader carries the session's CSRF token on requests from htmx and
// scripts; plain forms send it as the "csrf" field.
const CSRFHeader = "X-CSRF-Token"

// UserAuth authenticates the users of a UserStore: a browser by its
// session cookie (see SignIn), a program by "Authorization: Bearer
// idk_..." (an API key). With Tokens set it also accepts the tokens of a
// token file, whose users may only screen. With Local set, a request with
// no credentials acts as the local user as long as the store has no user:
// the loopback convenience of a fresh install, which ends with the first
// user. UserAuth is safe for concurrent use.
type UserAuth struct {
	Users  interdict.UserStore
	Tokens *TokenAuth
	Local  bool
	// Now returns the current time; tests replace it.
	Now func() time.Time

	// verified caches the keys whose secret was checked: SHA-256 of the
	// whole key -> key ID, so that a program's every request does not pay
	// for argon2id. The key and its user are still read from the store on
	// each request, so revoking a key or disabling a user takes effect at
	// once.
	mu       sync.Mutex
	verified map[[sha256.Size]byte]string
	// hasUsers is set once the store was seen with a user.
	hasUsers atomic.Bool
	// addresses limits failed sign-ins by address.
	addresses addressLimit
}

var _ Authenticator = (*UserAuth)(nil)

// maxVerifiedKeys bounds the cache of verified API keys.
const maxVerifiedKeys = 4096

func (a *UserAuth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func errUnauthorized(msg string) error { return interdict.Errorf(interdict.EUNAUTHORIZED, "%s", msg) }

// Authenticate implements Authenticator.
func (a *UserAuth) Authenticate(r *http.Request) (*User, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, rest, ok := strings.Cut(h, " ")
		key := strings.TrimSpace(rest)
		if !ok || !strings.EqualFold(scheme, "Bearer") || key == "" {
			return nil, errUnauthorized("The Authorization header must be \"Bearer <key>\".")
		}
		if strings.HasPrefix(key, apiKeyPrefix) {
			return a.apiKey(r, key)
		}
		if a.Tokens != nil {
			return a.Tokens.Authenticate(r)
		}
		return nil, errUnauthorized("The API key is not valid.")
	}
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		return a.session(r, c.Value)
	}
	if a.Tokens != nil {
		if _, err := r.Cookie(TokenCookie); err == nil {
			return a.Tokens.Authenticate(r)
		}
	}
	if a.Local && !a.hasUsers.Load() {
		_, n, err := a.Users.FindUsers(ctx, interdict.UserFilter{Limit: 1})
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return localUser, nil
		}
		a.hasUsers.Store(true) // users are never deleted, only disabled
	}
	return nil, errUnauthorized("Authentication required: sign in, or send \"Authorization: Bearer <API key>\".")
}

func (a *UserAuth) apiKey(r *http.Request, key string) (*User, error) {
	bad := errUnauthorized("The API key is not valid.")
	id, secret, ok := parseAPIKey(key)
	if !ok {
		return nil, bad
	}
	k, err := a.Users.FindAPIKeyByID(r.Context(), id)
	if interdict.ErrorCode(err) == interdict.ENOTFOUND {
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(key))
	a.mu.Lock()
	cached, hit := a.verified[sum]
	a.mu.Unlock()
	if !hit || subtle.ConstantTimeCompare([]byte(cached), []byte(k.ID)) != 1 {
		if !VerifySecret(k.Hash, secret) {
			return nil, bad
		}
		a.mu.Lock()
		if a.verified == nil || len(a.verified) >= maxVerifiedKeys {
			a.verified = map[[sha256.Size]byte]string{}
		}
		a.verified[sum] = k.ID
		a.mu.Unlock()
	}
	return a.user(r, k.User)
}

// user reads an enabled user.
func (a *UserAuth) user(r *http.Request, name string) (*User, error) {
	u, err := a.Users.FindUserByName(r.Context(), name)
	if interdict.ErrorCode(err) == interdict.ENOTFOUND {
		return nil, errUnauthorized("The user no longer exists.")
	} else if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errUnauthorized("The user " + u.Name + " is disabled.")
	}
	return &User{Name: u.Name, Role: u.Role}, nil
}

func (a *UserAuth) session(r *http.Request, secret string) (*User, error) {
	expired := errUnauthorized("Your session has ended; sign in again.")
	ss, err := a.Users.FindSessionByID(r.Context(), sessionID(secret))
	if interdict.ErrorCode(err) == interdict.ENOTFOUND {
		return nil, expired
	} else if err != nil {
		return nil, err
	}
	if !a.now().Before(ss.ExpiresAt) {
		_ = a.Users.DeleteSession(r.Context(), ss.ID)
		return nil, expired
	}
	u, err := a.user(r, ss.User)
	if err != nil {
		return nil, err
	}
	u.session = ss
	return u, nil
}

// sessionID is what the store keeps of a session secret.
func sessionID(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// randomToken returns 32 random bytes in unpadded base64url.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// dummyHash is verified against when a user does not exist, so that a
// failed sign-in takes as long for a missing user as for a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashSecret(randomToken())
	return h
})

// SignIn checks a user name and password from address addr under the
// sign-in limits (see CheckPassword) and opens a session. It returns the
// session's secret, for the SessionCookie, the session, and the outcome
// for the audit trail. Returns EUNAUTHORIZED, with the same message
// whatever was wrong, for a missing, disabled or locked user, a user
// without password or a wrong password.
func (a *UserAuth) SignIn(ctx context.Context, name, password, addr string) (string, *interdict.Session, SignInOutcome, error) {
	u, out, err := a.CheckPassword(ctx, name, password, addr)
	if err != nil {
		return "", nil, out, err
	}
	// Sign-in is rare enough to sweep the ended sessions here.
	if _, err := a.Users.DeleteExpiredSessions(ctx, a.now()); err != nil {
		return "", nil, out, err
	}
	secret := randomToken()
	ss := &interdict.Session{ID: sessionID(secret), User: u.Name, CSRFToken: randomToken(), ExpiresAt: a.now().Add(SessionTTL)}
	if err := a.Users.CreateSession(ctx, ss); err != nil {
		return "", nil, out, err
	}
	return secret, ss, out, nil
}

// SignOut ends the session whose secret a cookie holds.
func (a *UserAuth) SignOut(ctx context.Context, secret string) error {
	return a.Users.DeleteSession(ctx, sessionID(secret))
}

func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
