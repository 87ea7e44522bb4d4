package http

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/interdict/interdict"
)

// Limits on guessing passwords. A user is locked for SignInLockout after
// MaxFailedSignIns wrong passwords in a row (kept in the user store, so
// that every server and the command line count together); an address
// that gave MaxAddressFailures wrong passwords or unknown names within
// AddressWindow is refused until the window has passed (kept by each
// server in memory).
const (
	MaxFailedSignIns   = 5
	SignInLockout      = 15 * time.Minute
	MaxAddressFailures = 20
	AddressWindow      = 15 * time.Minute
	// maxTrackedAddresses bounds the memory of the address limit.
	maxTrackedAddresses = 10000
)

// Reasons a password sign-in was refused (SignInOutcome.Reason).
const (
	ReasonWrongPassword = "wrong password"
	ReasonUnknownUser   = "unknown user"
	ReasonDisabled      = "disabled"
	ReasonLocked        = "locked"
	ReasonNoPassword    = "no password"
	ReasonThrottled     = "address throttled"
)

// SignInOutcome is what a password check found, for the audit trail.
type SignInOutcome struct {
	// User is the user signed in or refused; "" for a name that is no user.
	User string
	// Address is where the attempt came from ("" on the command line).
	Address string
	OK      bool
	// Reason says why the attempt was refused.
	Reason string
	// LockedUntil is set when this attempt locked the user.
	LockedUntil time.Time
	// Throttled is set when this attempt closed the address's window: the
	// first refusal of the address is recorded, the ones after it are not.
	Throttled bool
}

// errSignIn is the one answer to a refused password, whatever was wrong,
// so that it does not tell which user names exist or are locked.
func errSignIn() error {
	return errUnauthorized("The user name or password is wrong (after 5 failed attempts in a row an account is locked for 15 minutes).")
}

// addressLimit counts failed sign-ins by address in fixed windows.
type addressLimit struct {
	mu sync.Mutex
	m  map[string]*addressWindow
}

type addressWindow struct {
	start    time.Time
	failures int
}

// blocked reports whether addr used up its failures in the current window.
func (l *addressLimit) blocked(addr string, now time.Time) bool {
	if addr == "" {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.m[addr]
	return w != nil && now.Sub(w.start) < AddressWindow && w.failures >= MaxAddressFailures
}

// fail counts a failure of addr and reports whether it used up the window.
func (l *addressLimit) fail(addr string, now time.Time) bool {
	if addr == "" {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]*addressWindow{}
	}
	w := l.m[addr]
	if w == nil || now.Sub(w.start) >= AddressWindow {
		if len(l.m) >= maxTrackedAddresses {
			for a, w := range l.m {
				if now.Sub(w.start) >= AddressWindow {
					delete(l.m, a)
				}
			}
			if len(l.m) >= maxTrackedAddresses {
				l.m = map[string]*addressWindow{} // a flood of addresses: start again
			}
		}
		w = &addressWindow{start: now}
		l.m[addr] = w
	}
	w.failures++
	return w.failures == MaxAddressFailures
}

// clientAddress is the address a request came from, without its port.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// CheckPassword checks the password of user name, from address addr (""
// on the command line), under the sign-in limits: a throttled address or
// a locked user is refused without looking at the password; a wrong
// password counts towards the user's lockout and the address's limit; a
// right one resets the user's count. It returns the user and the outcome;
// a refusal is EUNAUTHORIZED with one message whatever was wrong (the
// outcome says what it was), a throttled address a 429 problem.
func (a *UserAuth) CheckPassword(ctx context.Context, name, password, addr string) (*interdict.User, SignInOutcome, error) {
	now := a.now()
	out := SignInOutcome{Address: addr}
	if a.addresses.blocked(addr, now) {
		out.Reason = ReasonThrottled
		return nil, out, problemf(http.StatusTooManyRequests, "Too many failed sign-ins from this address; try again in %d minutes.", int(AddressWindow.Minutes()))
	}
	refuse := func(reason string) (*interdict.User, SignInOutcome, error) {
		out.Reason = reason
		out.Throttled = a.addresses.fail(addr, now)
		return nil, out, errSignIn()
	}
	if len(password) > MaxPasswordLen || len(name) > interdict.MaxUserNameLen {
		return refuse(ReasonUnknownUser)
	}
	u, err := a.Users.FindUserByName(ctx, name)
	if err != nil && interdict.ErrorCode(err) != interdict.ENOTFOUND {
		return nil, out, err
	}
	if u == nil {
		VerifySecret(dummyHash(), password) // as long as a wrong password
		return refuse(ReasonUnknownUser)
	}
	out.User = u.Name
	switch {
	case u.Disabled:
		VerifySecret(dummyHash(), password)
		return refuse(ReasonDisabled)
	case now.Before(u.LockedUntil):
		VerifySecret(dummyHash(), password)
		return refuse(ReasonLocked)
	case u.PasswordHash == "":
		VerifySecret(dummyHash(), password)
		return refuse(ReasonNoPassword)
	}
	ok := VerifySecret(u.PasswordHash, password)
	if ok && u.FailedSignIns == 0 {
		out.OK = true
		return u, out, nil
	}
	stored, err := a.Users.RecordSignIn(ctx, u.Name, ok, now, MaxFailedSignIns, SignInLockout)
	if err != nil {
		return nil, out, err
	}
	if ok {
		out.OK = true
		return stored, out, nil
	}
	if stored.LockedUntil.After(now) {
		out.LockedUntil = stored.LockedUntil
	}
	return refuse(ReasonWrongPassword)
}

// CheckAPIKey returns the enabled user whose API key key is; EUNAUTHORIZED
// for a key that is not valid.
func (a *UserAuth) CheckAPIKey(ctx context.Context, key string) (*interdict.User, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
	if err != nil {
		return nil, err
	}
	u, err := a.apiKey(r, key)
	if err != nil {
		return nil, err
	}
	return &interdict.User{Name: u.Name, Role: u.Role}, nil
}
