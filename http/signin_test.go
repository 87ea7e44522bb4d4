package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
)

func auditActions(t *testing.T, srv *userServer) []*interdict.AuditRecord {
	t.Helper()
	var recs []*interdict.AuditRecord
	if err := srv.HTTP.Review.FindAuditRecords(context.Background(), interdict.AuditFilter{}, func(r *interdict.AuditRecord) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return recs
}

func countAction(recs []*interdict.AuditRecord, action, object string) int {
	n := 0
	for _, r := range recs {
		if r.Action == action && (object == "" || r.Object == object) {
			n++
		}
	}
	return n
}

// TestServer_SignInLockout: five wrong passwords in a row lock the user,
// who is then refused even with the right password, until the lockout
// ends; every attempt is on the audit trail, the lockout too, and a good
// sign-in resets the count.
func TestServer_SignInLockout(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) {
		s.Auth.(*interdicthttp.UserAuth).Now = func() time.Time { return now }
	})
	// Four failures, then a success: the count starts again.
	for range interdicthttp.MaxFailedSignIns - 1 {
		if resp := signIn(t, srv, "ana", "wrong password!!"); resp.StatusCode != 401 {
			t.Fatalf("wrong password: %d, want 401", resp.StatusCode)
		}
	}
	if c := sessionCookie(signIn(t, srv, "ana", testPassword)); c == nil {
		t.Fatal("the right password after 4 failures was refused")
	}
	for i := range interdicthttp.MaxFailedSignIns {
		if resp := signIn(t, srv, "ana", "wrong password!!"); resp.StatusCode != 401 {
			t.Fatalf("wrong password %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	if resp := signIn(t, srv, "ana", testPassword); resp.StatusCode != 401 || sessionCookie(resp) != nil {
		t.Fatalf("the right password while locked: %d, want 401 and no session", resp.StatusCode)
	}
	// Another user is not affected.
	if c := sessionCookie(signIn(t, srv, "bea", testPassword)); c == nil {
		t.Error("another user was refused during ana's lockout")
	}
	u, err := srv.Users.FindUserByName(context.Background(), "ana")
	if err != nil || !u.LockedUntil.Equal(now.Add(interdicthttp.SignInLockout)) {
		t.Fatalf("ana = %+v, %v; want locked until %v", u, err, now.Add(interdicthttp.SignInLockout))
	}
	now = now.Add(interdicthttp.SignInLockout)
	if c := sessionCookie(signIn(t, srv, "ana", testPassword)); c == nil {
		t.Error("the right password after the lockout was refused")
	}
	recs := auditActions(t, srv)
	// 4 wrong, 5 wrong, 1 right while locked.
	if n, want := countAction(recs, "user.signin_failed", "user:ana"), 2*interdicthttp.MaxFailedSignIns; n != want {
		t.Errorf("%d failed sign-ins of ana recorded, want %d", n, want)
	}
	if n := countAction(recs, "user.locked", "user:ana"); n != 1 {
		t.Errorf("%d lockouts recorded, want 1", n)
	}
	if n := countAction(recs, "user.signin", ""); n != 3 {
		t.Errorf("%d sign-ins recorded, want 3 (ana twice, bea)", n)
	}
	for _, r := range recs {
		if r.Action == "user.signin_failed" && r.Actor != "anonymous" {
			t.Errorf("failed sign-in recorded as %q, want anonymous", r.Actor)
		}
		if r.Action == "user.signin_failed" {
			var p struct{ Address, Reason string }
			if err := json.Unmarshal(r.Payload, &p); err != nil || p.Address == "" || p.Reason == "" {
				t.Errorf("failed sign-in payload %s", r.Payload)
			}
		}
	}
}

// TestServer_SignInAddressLimit: an address that gives too many wrong
// passwords or unknown names is refused (429) until its window has passed,
// whoever it tries, and the audit trail records the throttling once; the
// names typed that are no user are not recorded.
func TestServer_SignInAddressLimit(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) {
		s.Auth.(*interdicthttp.UserAuth).Now = func() time.Time { return now }
	})
	for i := range interdicthttp.MaxAddressFailures {
		if resp := signIn(t, srv, "secret-typed-as-name", "x"); resp.StatusCode != 401 {
			t.Fatalf("attempt %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	for range 3 {
		if resp := signIn(t, srv, "bea", testPassword); resp.StatusCode != 429 || sessionCookie(resp) != nil {
			t.Fatalf("right password from a throttled address: %d, want 429", resp.StatusCode)
		}
	}
	now = now.Add(interdicthttp.AddressWindow)
	if c := sessionCookie(signIn(t, srv, "bea", testPassword)); c == nil {
		t.Error("sign-in after the address window was refused")
	}
	recs := auditActions(t, srv)
	if n := countAction(recs, "signin.throttled", "signin"); n != 1 {
		t.Errorf("%d throttling records, want 1", n)
	}
	if n := countAction(recs, "user.signin_failed", "signin"); n != interdicthttp.MaxAddressFailures {
		t.Errorf("%d failed sign-ins of unknown names recorded, want %d", n, interdicthttp.MaxAddressFailures)
	}
	for _, r := range recs {
		if strings.Contains(string(r.Payload)+r.Object+r.Actor, "secret-typed-as-name") {
			t.Errorf("audit record %d holds the name typed: %s", r.Seq, r.Payload)
		}
	}
}
