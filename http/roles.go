package http

import (
	"net/http"
	"strings"

	"github.com/interdict/interdict"
)

// access says which users may call a route. Every route but the public
// ones has one; the zero value, accessScreen, is the screening of today,
// open to any authenticated user including the local user of a loopback
// server with no users and the users of token-file tokens. Every other
// level needs a user of the UserStore with a role, even on loopback: four
// eyes need two identities.
type access uint8

const (
	// accessScreen: screening, entities, lists, goods, batches.
	accessScreen access = iota
	// accessUser: any user of the store (sign out).
	accessUser
	// accessBookRead: read the book (analyst, approver, admin, api-client).
	accessBookRead
	// accessBookWrite: change the book (admin, api-client).
	accessBookWrite
	// accessAlerts: read alerts, propose decisions, comment, assign
	// (analyst, approver, admin).
	accessAlerts
	// accessApprove: approve or reject another user's decision (approver,
	// admin).
	accessApprove
	// accessAudit: read and export the audit trail (approver, admin).
	accessAudit
	// accessAdmin: manage users (admin).
	accessAdmin
)

// roleAccess lists what each role may do beyond screening.
var roleAccess = map[interdict.Role][]access{
	interdict.RoleAnalyst:   {accessUser, accessBookRead, accessAlerts},
	interdict.RoleApprover:  {accessUser, accessBookRead, accessAlerts, accessApprove, accessAudit},
	interdict.RoleAdmin:     {accessUser, accessBookRead, accessBookWrite, accessAlerts, accessApprove, accessAudit, accessAdmin},
	interdict.RoleAPIClient: {accessUser, accessBookRead, accessBookWrite},
}

// allows reports whether u may call a route of level ac.
func (ac access) allows(u *User) bool {
	if ac == accessScreen {
		return true
	}
	for _, a := range roleAccess[u.Role] {
		if a == ac {
			return true
		}
	}
	return false
}

// authorize checks that u may call rt: the route's access level, then the
// Authorize hook. A user without a role (the local user, a token-file
// token) asked for a review route is told to sign in (401); a user whose
// role falls short gets 403.
func (s *Server) authorize(r *http.Request, rt route, u *User) error {
	if !rt.access.allows(u) {
		if u.Role == "" {
			return interdict.Errorf(interdict.EUNAUTHORIZED, "This needs a signed-in user: sign in, or send \"Authorization: Bearer <API key>\" (see 'interdict users add').")
		}
		return interdict.Errorf(interdict.EFORBIDDEN, "User %s (%s) may not do this.", u.Name, u.Role)
	}
	if s.Authorize != nil {
		return s.Authorize(r.Context(), u, rt.pattern)
	}
	return nil
}

// checkCSRF refuses a request that changes state with a browser session
// but without the session's CSRF token, in the X-CSRF-Token header or the
// "csrf" form field. A request with a bearer key needs none: the browser
// never adds one on its own.
func (s *Server) checkCSRF(w http.ResponseWriter, r *http.Request, u *User) error {
	want := u.CSRFToken()
	if want == "" || safeMethod(r.Method) {
		return nil
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		ct := r.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
			r.Body = http.MaxBytesReader(w, r.Body, s.MaxBodyBytes)
			if err := r.ParseForm(); err != nil {
				return newProblem(http.StatusBadRequest, "The form could not be read.")
			}
			got = r.PostForm.Get("csrf")
		case strings.HasPrefix(ct, "multipart/form-data"):
			r.Body = http.MaxBytesReader(w, r.Body, s.MaxUploadBytes)
			if err := r.ParseMultipartForm(8 << 20); err != nil {
				return problemf(http.StatusRequestEntityTooLarge, "The upload could not be read (at most %d MiB).", s.MaxUploadBytes>>20)
			}
			got = r.PostForm.Get("csrf")
		}
	}
	if got == "" || !constantTimeEqual(got, want) {
		return newProblem(http.StatusForbidden, "The form has expired or did not come from this site (CSRF token missing or wrong); reload the page and try again.")
	}
	return nil
}
