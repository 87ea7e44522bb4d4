package http

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

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
