package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/sqlite"
)

// testUsers are created by MustOpenUserServer: one per role, each with a
// password and an API key.
var testUsers = []struct {
	name string
	role interdict.Role
}{
	{"root", interdict.RoleAdmin},
	{"ana", interdict.RoleAnalyst},
	{"bea", interdict.RoleApprover},
	{"bot", interdict.RoleAPIClient},
}

const testPassword = "correct horse battery staple"

// userServer is a server whose requests are authenticated by the users
// of a SQLite store.
type userServer struct {
	*httptest.Server
	HTTP  *interdicthttp.Server
	Users *sqlite.UserStore
	// Keys maps a user name to their API key.
	Keys map[string]string
}

// MustOpenUserServer starts a server over the fake list store, with a
// SQLite user and review store; with users, it creates testUsers.
func MustOpenUserServer(tb testing.TB, withUsers bool, configure ...func(*interdicthttp.Server)) *userServer {
	tb.Helper()
	ctx := context.Background()
	db := sqlite.NewDB(tb.TempDir() + "/interdict.db")
	if err := db.Open(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	us := sqlite.NewUserStore(db)
	out := &userServer{Users: us, Keys: map[string]string{}}
	if withUsers {
		for _, u := range testUsers {
			h, err := interdicthttp.HashSecret(testPassword)
			if err != nil {
				tb.Fatal(err)
			}
			if err := us.CreateUser(ctx, &interdict.User{Name: u.name, Role: u.role, PasswordHash: h}); err != nil {
				tb.Fatal(err)
			}
			key, k, err := interdicthttp.NewAPIKey(u.name, "test")
			if err != nil {
				tb.Fatal(err)
			}
			if err := us.CreateAPIKey(ctx, k); err != nil {
				tb.Fatal(err)
			}
			out.Keys[u.name] = key
		}
	}
	s, ts := MustOpenServer(tb, false, append([]func(*interdicthttp.Server){func(s *interdicthttp.Server) {
		s.Auth = &interdicthttp.UserAuth{Users: us, Local: true}
		s.Users = us
		s.Review = sqlite.NewReviewStore(db)
	}}, configure...)...)
	out.Server, out.HTTP = ts, s
	return out
}

func bearer(key string) map[string]string { return map[string]string{"Authorization": "Bearer " + key} }

// routeRoles is who may call each route that needs authentication:
// "any" is every authenticated caller (the screening of today, open to a
// token-file token too), otherwise the roles named.
var routeRoles = map[string][]string{
	"GET /metrics":                      {"any"},
	"POST /v1/screen":                   {"any"},
	"GET /v1/screen":                    {"any"},
	"POST /v1/screen/batch":             {"any"},
	"GET /v1/entities/{id}":             {"any"},
	"GET /v1/lists":                     {"any"},
	"GET /v1/lists/{list}/diff":         {"any"},
	"POST /v1/compare":                  {"any"},
	"POST /v1/goods/classify":           {"any"},
	"POST /v1/messages/screen":          {"any"},
	"GET /v1/messages":                  {"analyst", "approver", "admin", "api-client"},
	"GET /v1/messages/{id}":             {"analyst", "approver", "admin", "api-client"},
	"POST /v1/goods/classify/batch":     {"any"},
	"GET /{$}":                          {"any"},
	"GET /goods":                        {"any"},
	"GET /documents":                    {"any"},
	"POST /documents":                   {"any"},
	"POST /v1/documents/scan":           {"any"},
	"GET /entities/{id}":                {"any"},
	"GET /lists":                        {"any"},
	"GET /lists/{list}/diff":            {"any"},
	"GET /lists/upload":                 {"admin"},
	"POST /lists/upload":                {"admin"},
	"POST /lists/upload/{upload}":       {"admin"},
	"POST /v1/lists/{list}":             {"admin"},
	"GET /batch":                        {"any"},
	"POST /batch":                       {"any"},
	"GET /batch/{job}":                  {"any"},
	"GET /batch/{job}/results.csv":      {"any"},
	"PUT /v1/parties/{id}":              {"admin", "api-client"},
	"DELETE /v1/parties/{id}":           {"admin", "api-client"},
	"GET /v1/parties/{id}":              {"analyst", "approver", "admin", "api-client"},
	"GET /v1/parties":                   {"analyst", "approver", "admin", "api-client"},
	"GET /book":                         {"analyst", "approver", "admin", "api-client"},
	"POST /v1/media":                    {"admin", "api-client"},
	"GET /v1/media":                     {"analyst", "approver", "admin", "api-client"},
	"GET /v1/media/{id}":                {"analyst", "approver", "admin", "api-client"},
	"GET /media":                        {"analyst", "approver", "admin", "api-client"},
	"GET /media/{id}":                   {"analyst", "approver", "admin", "api-client"},
	"GET /v1/alerts":                    {"analyst", "approver", "admin"},
	"GET /v1/alerts/{id}":               {"analyst", "approver", "admin"},
	"POST /v1/alerts/{id}/decision":     {"analyst", "approver", "admin"},
	"GET /alerts":                       {"analyst", "approver", "admin"},
	"GET /alerts/{id}":                  {"analyst", "approver", "admin"},
	"POST /alerts/{id}/decision":        {"analyst", "approver", "admin"},
	"POST /v1/alerts/{id}/approval":     {"approver", "admin"},
	"POST /alerts/{id}/approval":        {"approver", "admin"},
	"POST /v1/alerts/{id}/comments":     {"analyst", "approver", "admin"},
	"POST /v1/alerts/{id}/assignee":     {"analyst", "approver", "admin"},
	"POST /alerts/{id}/comments":        {"analyst", "approver", "admin"},
	"POST /alerts/{id}/assignee":        {"analyst", "approver", "admin"},
	"GET /v1/audit":                     {"approver", "admin"},
	"GET /v1/audit/export":              {"approver", "admin"},
	"GET /audit":                        {"approver", "admin"},
	"GET /v1/users":                     {"admin"},
	"POST /v1/users":                    {"admin"},
	"PATCH /v1/users/{name}":            {"admin"},
	"POST /v1/users/{name}/keys":        {"admin"},
	"DELETE /v1/users/{name}/keys/{id}": {"admin"},
	"POST /logout":                      {"analyst", "approver", "admin", "api-client"},
	"GET /v1/graph/paths/{id}":          {"analyst", "approver", "admin", "api-client"},
	"GET /v1/graph/ownership/{id}":      {"analyst", "approver", "admin", "api-client"},
	"GET /v1/graph/clusters":            {"analyst", "approver", "admin", "api-client"},
	"GET /v1/graph/neighbourhood/{id}":  {"analyst", "approver", "admin", "api-client"},
	"GET /v1/graph/ownerships":          {"analyst", "approver", "admin", "api-client"},
	"POST /v1/graph/ownerships":         {"admin", "api-client"},
	"GET /graph":                        {"analyst", "approver", "admin", "api-client"},
	"GET /v1/rescreens":                 {"analyst", "approver", "admin"},
	"POST /v1/rescreens":                {"admin"},
	"GET /v1/rescreens/{id}":            {"analyst", "approver", "admin"},
	"GET /rescreens":                    {"analyst", "approver", "admin"},
}

// TestServer_RouteRoles calls every route that needs authentication as
// every kind of caller (no credentials, a token-file token, and a user of
// each role with an API key) and checks who gets through against
// routeRoles. The review routes refuse the token and the anonymous caller
// even though the server listens on loopback.
func TestServer_RouteRoles(t *testing.T) {
	const token = "token-file-token-0123456789"
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) {
		s.Auth.(*interdicthttp.UserAuth).Tokens = interdicthttp.NewTokenAuth(map[string]string{token: "ops"})
	})
	access := srv.HTTP.RouteAccess()
	for pattern := range access {
		if _, ok := routeRoles[pattern]; !ok {
			t.Errorf("route %s is missing from the table", pattern)
		}
	}
	for pattern := range routeRoles {
		if _, ok := access[pattern]; !ok {
			t.Errorf("the table names route %s, which the server does not have (or makes public)", pattern)
		}
	}
	callers := []struct {
		name, role string
		header     map[string]string
	}{
		{"anonymous", "", nil},
		{"token", "", bearer(token)},
		{"analyst", "analyst", bearer(srv.Keys["ana"])},
		{"approver", "approver", bearer(srv.Keys["bea"])},
		{"admin", "admin", bearer(srv.Keys["root"])},
		{"api-client", "api-client", bearer(srv.Keys["bot"])},
	}
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	paths := strings.NewReplacer("{id}", "x1", "{list}", "ofac-sdn", "{job}", "nojob", "{name}", "ana", "{upload}", "noupload", "{$}", "")
	counts := map[string]int{}
	for pattern, roles := range routeRoles {
		method, path, _ := strings.Cut(pattern, " ")
		path = paths.Replace(path)
		for _, c := range callers {
			allowed := c.name != "anonymous" && (roles[0] == "any" || c.role != "" && contains(roles, c.role))
			body, ctype := "", ""
			if method != "GET" && method != "DELETE" {
				body, ctype = url.Values{"x": {"1"}}.Encode(), "application/x-www-form-urlencoded"
				if strings.HasPrefix(path, "/v1/") {
					body, ctype = "{}", "application/json"
				}
			}
			hr, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
			if ctype != "" {
				hr.Header.Set("Content-Type", ctype)
			}
			for k, v := range c.header {
				hr.Header.Set(k, v)
			}
			resp, err := client.Do(hr)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			toLogin := resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/login?next=")
			refused := resp.StatusCode == 401 || resp.StatusCode == 403 || toLogin
			if allowed == refused {
				t.Errorf("%s as %s: %d (Location %q), want allowed=%v", pattern, c.name, resp.StatusCode, resp.Header.Get("Location"), allowed)
			}
			if refused && c.role != "" && resp.StatusCode != 403 {
				t.Errorf("%s as %s: %d, want 403 for a user whose role falls short", pattern, c.name, resp.StatusCode)
			}
			if allowed {
				counts["allowed"]++
			} else {
				counts["refused"]++
			}
		}
	}
	t.Logf("%d routes x %d callers: %d allowed, %d refused", len(routeRoles), len(callers), counts["allowed"], counts["refused"])
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// signIn posts the login form and returns the response (not followed).
func signIn(t *testing.T, srv *userServer, name, password string) *http.Response {
	t.Helper()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	form := url.Values{"name": {name}, "password": {password}, "next": {"/alerts"}}
	r, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", srv.URL)
	resp, err := client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == interdicthttp.SessionCookie {
			return c
		}
	}
	return nil
}

// TestServer_Session signs in with a password and checks the session:
// the cookie's attributes, that it holds no secret of the user, that a
// request changing state needs the CSRF token, and that signing out ends
// it.
func TestServer_Session(t *testing.T) {
	srv := MustOpenUserServer(t, true)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	for _, tt := range []struct{ name, user, password string }{
		{"WrongPassword", "ana", "not the password at all"},
		{"NoSuchUser", "nobody", testPassword},
		{"Empty", "ana", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := signIn(t, srv, tt.user, tt.password)
			if resp.StatusCode != 401 || sessionCookie(resp) != nil {
				t.Errorf("sign in as %s: %d, cookie %v; want 401 and no cookie", tt.user, resp.StatusCode, sessionCookie(resp))
			}
		})
	}

	resp := signIn(t, srv, "ana", testPassword)
	c := sessionCookie(resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/alerts" || c == nil {
		t.Fatalf("sign in: %d to %q, cookie %v; want 303 to /alerts with a session cookie", resp.StatusCode, resp.Header.Get("Location"), c)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Path != "/" {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/ (and Secure only over TLS)", c)
	}
	if strings.Contains(c.Value, testPassword) || strings.Contains(c.Value, srv.Keys["ana"]) || len(c.Value) < 40 {
		t.Errorf("session cookie value %q: want a long random secret", c.Value)
	}

	get := func(path string, cookie *http.Cookie) (*http.Response, string) {
		r, _ := http.NewRequest("GET", srv.URL+path, nil)
		r.Header.Set("Accept", "text/html")
		if cookie != nil {
			r.AddCookie(cookie)
		}
		resp, err := client.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return resp, b.String()
	}
	resp, page := get("/alerts", c)
	if resp.StatusCode != 200 || !strings.Contains(page, "Signed in as ana (analyst)") {
		t.Fatalf("GET /alerts with the session: %d", resp.StatusCode)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page carries no CSRF token")
	}
	csrf := m[1]
	if resp, _ := get("/audit", c); resp.StatusCode != 403 {
		t.Errorf("GET /audit as an analyst: %d, want 403", resp.StatusCode)
	}

	post := func(path string, form url.Values, header map[string]string) *http.Response {
		r, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", srv.URL)
		for k, v := range header {
			r.Header.Set(k, v)
		}
		r.AddCookie(c)
		resp, err := client.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post("/logout", url.Values{}, nil); resp.StatusCode != 403 {
		t.Errorf("sign out without the CSRF token: %d, want 403", resp.StatusCode)
	}
	if resp := post("/logout", url.Values{"csrf": {csrf + "x"}}, nil); resp.StatusCode != 403 {
		t.Errorf("sign out with a wrong CSRF token: %d, want 403", resp.StatusCode)
	}
	if resp := post("/alerts/x/decision", url.Values{"state": {"in_review"}}, map[string]string{interdicthttp.CSRFHeader: "wrong"}); resp.StatusCode != 403 {
		t.Errorf("a decision with a wrong CSRF header: %d, want 403", resp.StatusCode)
	}
	resp = post("/logout", url.Values{"csrf": {csrf}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("sign out: %d to %q, want 303 to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	if cleared := sessionCookie(resp); cleared == nil || cleared.MaxAge >= 0 {
		t.Errorf("sign out did not clear the cookie: %+v", cleared)
	}
	if resp, _ := get("/alerts", c); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /alerts with the ended session: %d, want 303 to the login page", resp.StatusCode)
	}

	// Disabling a user ends their sessions at once.
	c2 := sessionCookie(signIn(t, srv, "bea", testPassword))
	if resp, _ := get("/audit", c2); resp.StatusCode != 200 {
		t.Fatalf("GET /audit as an approver: %d", resp.StatusCode)
	}
	yes := true
	if _, err := srv.Users.UpdateUser(context.Background(), "bea", interdict.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get("/audit", c2); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /audit after disabling the user: %d, want 303 to the login page", resp.StatusCode)
	}
	if resp := signIn(t, srv, "bea", testPassword); resp.StatusCode != 401 {
		t.Errorf("a disabled user signs in: %d, want 401", resp.StatusCode)
	}
}

// TestServer_SessionExpires moves the clock past the session's end.
func TestServer_SessionExpires(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) {
		s.Auth.(*interdicthttp.UserAuth).Now = func() time.Time { return now }
	})
	c := sessionCookie(signIn(t, srv, "ana", testPassword))
	if c == nil {
		t.Fatal("no session")
	}
	check := func(want int) {
		t.Helper()
		resp, _ := do(t, srv.Server, req{method: "GET", path: "/v1/alerts", header: map[string]string{"Cookie": c.Name + "=" + c.Value}})
		if resp.StatusCode != want {
			t.Errorf("at %v: GET /v1/alerts with the session: %d, want %d", now, resp.StatusCode, want)
		}
	}
	check(200)
	now = now.Add(interdicthttp.SessionTTL - time.Second)
	check(200)
	now = now.Add(time.Second)
	check(401)
}

// TestServer_APIKey checks API keys: a good key, a wrong secret for a
// real key ID, a revoked key, a key of a disabled user.
func TestServer_APIKey(t *testing.T) {
	srv := MustOpenUserServer(t, true)
	key := srv.Keys["ana"]
	get := func(key string) int {
		resp, _ := do(t, srv.Server, req{method: "GET", path: "/v1/alerts", header: bearer(key)})
		return resp.StatusCode
	}
	if got := get(key); got != 200 {
		t.Fatalf("a good key: %d, want 200", got)
	}
	if got := get(key); got != 200 {
		t.Errorf("a good key, again (cached): %d, want 200", got)
	}
	wrong := key[:len(key)-4] + "AAAA"
	if wrong == key {
		wrong = key[:len(key)-4] + "BBBB"
	}
	if got := get(wrong); got != 401 {
		t.Errorf("a real key ID with a wrong secret: %d, want 401", got)
	}
	for _, bad := range []string{"idk_", "idk_x_y", "idk_0123456789abcdef01234567_", "ordinary-token-value"} {
		if got := get(bad); got != 401 {
			t.Errorf("key %q: %d, want 401", bad, got)
		}
	}
	ctx := context.Background()
	id := strings.Split(key, "_")[1]
	if err := srv.Users.DeleteAPIKey(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := get(key); got != 401 {
		t.Errorf("a revoked key: %d, want 401", got)
	}
	yes := true
	if _, err := srv.Users.UpdateUser(ctx, "bea", interdict.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if got := get(srv.Keys["bea"]); got != 401 {
		t.Errorf("the key of a disabled user: %d, want 401", got)
	}
}

// TestServer_LocalUntilFirstUser: on loopback with no user, screening
// needs no credentials but the review routes do; once a user exists,
// screening needs them too.
func TestServer_LocalUntilFirstUser(t *testing.T) {
	srv := MustOpenUserServer(t, false)
	if resp, _ := do(t, srv.Server, req{method: "GET", path: "/v1/screen?name=Majid"}); resp.StatusCode != 200 {
		t.Errorf("screening with no user: %d, want 200", resp.StatusCode)
	}
	for _, path := range []string{"/v1/alerts", "/v1/parties", "/v1/audit", "/v1/users"} {
		if resp, _ := do(t, srv.Server, req{method: "GET", path: path}); resp.StatusCode != 401 {
			t.Errorf("GET %s as the local user: %d, want 401", path, resp.StatusCode)
		}
	}
	h, _ := interdicthttp.HashSecret(testPassword)
	if err := srv.Users.CreateUser(context.Background(), &interdict.User{Name: "root", Role: interdict.RoleAdmin, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := do(t, srv.Server, req{method: "GET", path: "/v1/screen?name=Majid"}); resp.StatusCode != 401 {
		t.Errorf("screening without credentials once a user exists: %d, want 401", resp.StatusCode)
	}
}

// TestServer_UserAdmin creates a user and a key through the API and
// checks that the audit trail records both, without the secrets.
func TestServer_UserAdmin(t *testing.T) {
	srv := MustOpenUserServer(t, true)
	doc := mustDoc(t)
	admin := bearer(srv.Keys["root"])
	call := func(method, path, body string, want int) []byte {
		t.Helper()
		resp, b := do(t, srv.Server, req{method: method, path: path, ctype: "application/json", body: body, header: admin})
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
		}
		pattern := method + " " + regexp.MustCompile(`/users/[^/]+`).ReplaceAllString(path, "/users/{name}")
		pattern = regexp.MustCompile(`/keys/[^/]+$`).ReplaceAllString(pattern, "/keys/{id}")
		pattern, _, _ = strings.Cut(pattern, "?")
		if err := doc.ValidateResponse(pattern, resp.StatusCode, resp.Header.Get("Content-Type"), b); err != nil && want != 204 {
			t.Error(err)
		}
		return b
	}
	call("POST", "/v1/users", `{"name":"carl","role":"analyst","password":"short"}`, 422)
	call("POST", "/v1/users", `{"name":"carl","role":"analyst","password":"a long enough password"}`, 201)
	call("POST", "/v1/users", `{"name":"carl","role":"analyst"}`, 409)
	var key struct{ ID, Key string }
	if err := json.Unmarshal(call("POST", "/v1/users/carl/keys", `{"label":"laptop"}`, 201), &key); err != nil || !strings.HasPrefix(key.Key, "idk_"+key.ID+"_") {
		t.Fatalf("new key %+v, %v", key, err)
	}
	if resp, _ := do(t, srv.Server, req{method: "GET", path: "/v1/alerts", header: bearer(key.Key)}); resp.StatusCode != 200 {
		t.Errorf("the new key: %d", resp.StatusCode)
	}
	call("PATCH", "/v1/users/carl", `{"role":"approver"}`, 200)
	call("PATCH", "/v1/users/carl", `{}`, 422)
	call("PATCH", "/v1/users/root", `{"disabled":true}`, 409)
	var users interdicthttp.UsersResponse
	if err := json.Unmarshal(call("GET", "/v1/users?role=analyst", "", 200), &users); err != nil || users.Total != 1 || users.Users[0].Name != "ana" {
		t.Errorf("GET /v1/users?role=analyst = %+v, %v", users, err)
	}
	call("DELETE", "/v1/users/carl/keys/"+key.ID, "", 204)
	call("DELETE", "/v1/users/carl/keys/"+key.ID, "", 404)
	if resp, _ := do(t, srv.Server, req{method: "GET", path: "/v1/alerts", header: bearer(key.Key)}); resp.StatusCode != 401 {
		t.Errorf("the revoked key: %d, want 401", resp.StatusCode)
	}

	b := call("GET", "/v1/audit?object=user:carl", "", 200)
	var audit interdicthttp.AuditResponse
	if err := json.Unmarshal(b, &audit); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range audit.Records {
		actions = append(actions, r.Actor+" "+r.Action)
	}
	want := []string{"root user.create", "root user.api_key_create", "root user.update", "root user.api_key_revoke"}
	if !slices.Equal(actions, want) {
		t.Errorf("audit of user:carl = %q, want %q", actions, want)
	}
	if bytes.Contains(b, []byte("a long enough password")) || bytes.Contains(b, []byte(key.Key)) || bytes.Contains(b, []byte("argon2id")) {
		t.Errorf("the audit trail holds a secret: %s", b)
	}
}

// BenchmarkUserAuth_APIKey authenticates a request by API key: after the
// first, the key's secret is not hashed again (compare
// BenchmarkVerifySecret, the cost of one argon2id verification).
func BenchmarkUserAuth_APIKey(b *testing.B) {
	ctx := context.Background()
	db := sqlite.NewDB(b.TempDir() + "/interdict.db")
	if err := db.Open(ctx); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	us := sqlite.NewUserStore(db)
	if err := us.CreateUser(ctx, &interdict.User{Name: "bot", Role: interdict.RoleAdmin}); err != nil {
		b.Fatal(err)
	}
	key, k, err := interdicthttp.NewAPIKey("bot", "")
	if err != nil {
		b.Fatal(err)
	}
	if err := us.CreateAPIKey(ctx, k); err != nil {
		b.Fatal(err)
	}
	a := &interdicthttp.UserAuth{Users: us}
	r := httptest.NewRequest("GET", "/v1/alerts", nil)
	r.Header.Set("Authorization", "Bearer "+key)
	for b.Loop() {
		if u, err := a.Authenticate(r); err != nil || u.Name != "bot" {
			b.Fatal(u, err)
		}
	}
}

// TestServer_SessionUpload uploads a file on the batch page with a
// session: the multipart form must carry the CSRF token too.
func TestServer_SessionUpload(t *testing.T) {
	srv := MustOpenUserServer(t, true)
	c := sessionCookie(signIn(t, srv, "ana", testPassword))
	if c == nil {
		t.Fatal("no session")
	}
	_, page := func() (*http.Response, string) {
		resp, b := do(t, srv.Server, req{method: "GET", path: "/batch", header: map[string]string{"Cookie": c.Name + "=" + c.Value}})
		return resp, string(b)
	}()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the batch page carries no CSRF token")
	}
	upload := func(csrf string) int {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		if csrf != "" {
			_ = mw.WriteField("csrf", csrf)
		}
		fw, _ := mw.CreateFormFile("file", "customers.csv")
		_, _ = fw.Write([]byte("id,name\n1,Majid Kakavand\n"))
		mw.Close()
		client := srv.Client()
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		r, _ := http.NewRequest("POST", srv.URL+"/batch", &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.Header.Set("Origin", srv.URL)
		r.AddCookie(c)
		resp, err := client.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := upload(""); got != 403 {
		t.Errorf("upload without the CSRF token: %d, want 403", got)
	}
	if got := upload(m[1]); got != http.StatusSeeOther {
		t.Errorf("upload with the CSRF token: %d, want 303 to the job", got)
	}
}
