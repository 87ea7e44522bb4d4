package http

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/interdict/interdict"
)

// UserRequest is the body of POST /v1/users and PATCH /v1/users/{name}.
type UserRequest struct {
	Name     string         `json:"name,omitempty"`
	Role     interdict.Role `json:"role,omitempty"`
	Password string         `json:"password,omitempty"`
	Disabled *bool          `json:"disabled,omitempty"`
}

// UsersResponse is the body of GET /v1/users.
type UsersResponse struct {
	Users []*interdict.User `json:"users"`
	Total int               `json:"total"`
}

// APIKeyRequest is the body of POST /v1/users/{name}/keys.
type APIKeyRequest struct {
	Label string `json:"label,omitempty"`
}

// APIKeyResponse answers POST /v1/users/{name}/keys: the key itself is
// shown here once and never again.
type APIKeyResponse struct {
	interdict.APIKey
	Key string `json:"key"`
}

func (s *Server) users() (interdict.UserStore, error) {
	if s.Users == nil {
		return nil, newProblem(http.StatusServiceUnavailable, "This server keeps no users.")
	}
	return s.Users, nil
}

// audit records a change in the audit trail as the request's user. A
// change that cannot be recorded is reported as failed: the audit trail is
// the record the regulator reads.
func (s *Server) audit(ctx context.Context, action, object string, payload any) error {
	if s.Review == nil {
		return newProblem(http.StatusServiceUnavailable, "This server keeps no audit trail.")
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	actor := interdict.ActorSystem
	if u := UserFrom(ctx); u != nil {
		actor = u.Name
	}
	return s.Review.AppendAudit(ctx, &interdict.AuditRecord{Actor: actor, Action: action, Object: object, Payload: b})
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	us, err := s.users()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, n, err := us.FindUsers(r.Context(), interdict.UserFilter{Role: interdict.Role(r.URL.Query().Get("role"))})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, UsersResponse{Users: list, Total: n})
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	us, err := s.users()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req UserRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u := &interdict.User{Name: req.Name, Role: req.Role, Disabled: req.Disabled != nil && *req.Disabled}
	if req.Password != "" {
		if err := CheckPasswordStrength(req.Password); err != nil {
			s.writeError(w, r, err)
			return
		}
		if u.PasswordHash, err = HashSecret(req.Password); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if err := us.CreateUser(r.Context(), u); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.audit(r.Context(), "user.create", "user:"+u.Name, map[string]any{"role": u.Role, "disabled": u.Disabled, "password": u.PasswordHash != ""}); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) {
	us, err := s.users()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req UserRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	name := r.PathValue("name")
	if req.Name != "" && req.Name != name {
		s.writeError(w, r, interdict.Errorf(interdict.EINVALID, "A user cannot be renamed (the body names %s, the path %s).", truncate(req.Name, 64), truncate(name, 64)))
		return
	}
	var upd interdict.UserUpdate
	payload := map[string]any{}
	if req.Role != "" {
		upd.Role = &req.Role
		payload["role"] = req.Role
	}
	if req.Disabled != nil {
		upd.Disabled = req.Disabled
		payload["disabled"] = *req.Disabled
	}
	if req.Password != "" {
		if err := CheckPasswordStrength(req.Password); err != nil {
			s.writeError(w, r, err)
			return
		}
		h, err := HashSecret(req.Password)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		upd.PasswordHash = &h
		payload["password"] = "changed" // never the password or its hash
	}
	if len(payload) == 0 {
		s.writeError(w, r, interdict.Errorf(interdict.EINVALID, "Nothing to change: give a role, a password or disabled."))
		return
	}
	u, err := us.UpdateUser(r.Context(), name, upd)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.audit(r.Context(), "user.update", "user:"+u.Name, payload); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) handleAPIKeyCreate(w http.ResponseWriter, r *http.Request) {
	us, err := s.users()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req APIKeyRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(req.Label) > 200 {
		s.writeError(w, r, interdict.Errorf(interdict.EINVALID, "A key's label may have at most 200 characters."))
		return
	}
	key, k, err := NewAPIKey(r.PathValue("name"), req.Label)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := us.CreateAPIKey(r.Context(), k); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.audit(r.Context(), "user.api_key_create", "user:"+k.User, map[string]any{"key_id": k.ID, "label": k.Label}); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, APIKeyResponse{APIKey: *k, Key: key})
}

func (s *Server) handleAPIKeyDelete(w http.ResponseWriter, r *http.Request) {
	us, err := s.users()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	k, err := us.FindAPIKeyByID(r.Context(), r.PathValue("id"))
	if err == nil && k.User != r.PathValue("name") {
		err = interdict.Errorf(interdict.ENOTFOUND, "User %s has no API key %s.", truncate(r.PathValue("name"), 64), truncate(r.PathValue("id"), 64))
	}
	if err == nil {
		err = us.DeleteAPIKey(r.Context(), k.ID)
	}
	if err == nil {
		err = s.audit(r.Context(), "user.api_key_revoke", "user:"+k.User, map[string]any{"key_id": k.ID})
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// loginView is the login page's data.
type loginView struct {
	page
	Next   string
	Error  string
	Tokens bool // the token field is offered (a token file is configured)
}

func (s *Server) loginView(r *http.Request, next, msg string) loginView {
	ua, _ := s.Auth.(*UserAuth)
	_, tokens := s.Auth.(*TokenAuth)
	return loginView{page: s.page(r, ""), Next: next, Error: msg, Tokens: tokens || ua != nil && ua.Tokens != nil}
}

// signIn checks the name and password of the login form and opens a
// session: the cookie holds the session's random secret only. A failed
// sign-in shows the login page again, with one message whatever was wrong.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, name, password, next string) {
	ua, ok := s.Auth.(*UserAuth)
	if !ok {
		s.render(w, r, http.StatusUnauthorized, "login", "layout", s.loginView(r, next, "This server has no users; sign in with an API token."))
		return
	}
	secret, _, out, err := ua.SignIn(r.Context(), name, password, clientAddress(r))
	if aerr := s.auditSignIn(r.Context(), out); aerr != nil {
		s.logger(r).Error("sign in: audit", "err", aerr.Error())
		if err == nil {
			s.render(w, r, http.StatusInternalServerError, "login", "layout", s.loginView(r, next, "The sign-in could not be recorded; try again."))
			return
		}
	}
	if err != nil {
		p := toProblem(err)
		status, msg := p.Status, p.Detail
		switch {
		case status >= 500:
			s.logger(r).Error("sign in", "err", err.Error())
			msg = "Internal error."
		default:
			s.logger(r).Warn("sign in refused", "user", out.User, "remote", out.Address, "reason", out.Reason)
		}
		s.render(w, r, status, "login", "layout", s.loginView(r, next, msg))
		return
	}
	// A browser-session cookie (no Expires): it goes when the browser
	// closes, and the server ends the session at ss.ExpiresAt anyway.
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// auditSignIn records a password sign-in on the audit trail: a success,
// a failure (with the user when the name is one, never the name typed
// otherwise, which may be a password typed in the wrong field), a lockout
// and the first refusal of a throttled address. The refusals of an
// address after its limit are not recorded, so that a guessing run
// cannot flood the trail.
func (s *Server) auditSignIn(ctx context.Context, out SignInOutcome) error {
	if s.Review == nil || out.Reason == ReasonThrottled && !out.Throttled {
		return nil
	}
	// Until the password is right, no one is known to have acted.
	actor, object := "anonymous", "signin"
	if out.User != "" {
		object = "user:" + out.User
	}
	if out.OK {
		actor = out.User
	}
	rec := func(action string, payload map[string]any) error {
		b, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		return s.Review.AppendAudit(ctx, &interdict.AuditRecord{Actor: actor, Action: action, Object: object, Payload: b})
	}
	if out.OK {
		return rec("user.signin", map[string]any{"address": out.Address})
	}
	if out.Reason != ReasonThrottled {
		if err := rec("user.signin_failed", map[string]any{"address": out.Address, "reason": out.Reason}); err != nil {
			return err
		}
	}
	if !out.LockedUntil.IsZero() {
		if err := rec("user.locked", map[string]any{"address": out.Address, "until": out.LockedUntil, "failures": MaxFailedSignIns}); err != nil {
			return err
		}
	}
	if out.Throttled {
		object = "signin"
		return rec("signin.throttled", map[string]any{"address": out.Address, "failures": MaxAddressFailures, "window_minutes": AddressWindow.Minutes()})
	}
	return nil
}

// uiLogout ends the session and clears its cookie.
func (s *Server) uiLogout(w http.ResponseWriter, r *http.Request) {
	if ua, ok := s.Auth.(*UserAuth); ok {
		if c, err := r.Cookie(SessionCookie); err == nil {
			if err := ua.SignOut(r.Context(), c.Value); err != nil {
				s.writeHTMLError(w, r, err)
				return
			}
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
