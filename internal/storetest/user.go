package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
)

// UserStore runs the interdict.UserStore contract on fresh, empty stores
// made by newStore.
func UserStore(t *testing.T, newStore func(t *testing.T) interdict.UserStore) {
	ctx := context.Background()
	role := func(r interdict.Role) *interdict.Role { return &r }
	str := func(s string) *string { return &s }
	yes := true

	t.Run("CreateAndFind", func(t *testing.T) {
		s := newStore(t)
		first := &interdict.User{Name: "ana", Role: interdict.RoleAnalyst, PasswordHash: "h1"}
		wantCode(t, "a first user who is no admin", s.CreateUser(ctx, first), interdict.EINVALID)
		admin := &interdict.User{Name: "root", Role: interdict.RoleAdmin, PasswordHash: "h0"}
		if err := s.CreateUser(ctx, admin); err != nil {
			t.Fatal(err)
		}
		if admin.CreatedAt.IsZero() || !admin.UpdatedAt.Equal(admin.CreatedAt) {
			t.Errorf("CreateUser set CreatedAt %v, UpdatedAt %v", admin.CreatedAt, admin.UpdatedAt)
		}
		if err := s.CreateUser(ctx, first); err != nil {
			t.Fatalf("second user, an analyst: %v", err)
		}
		wantCode(t, "a taken name", s.CreateUser(ctx, &interdict.User{Name: "ana", Role: interdict.RoleApprover}), interdict.ECONFLICT)
		wantCode(t, "an unknown role", s.CreateUser(ctx, &interdict.User{Name: "bob", Role: "boss"}), interdict.EINVALID)
		wantCode(t, "a bad name", s.CreateUser(ctx, &interdict.User{Name: "bob smith", Role: interdict.RoleAnalyst}), interdict.EINVALID)
		wantCode(t, "no name", s.CreateUser(ctx, &interdict.User{Role: interdict.RoleAnalyst}), interdict.EINVALID)

		u, err := s.FindUserByName(ctx, "ana")
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "ana" || u.Role != interdict.RoleAnalyst || u.PasswordHash != "h1" || u.Disabled || !u.CreatedAt.Equal(first.CreatedAt) {
			t.Errorf("FindUserByName(ana) = %+v, want %+v", u, first)
		}
		_, err = s.FindUserByName(ctx, "nobody")
		wantCode(t, "FindUserByName of a missing user", err, interdict.ENOTFOUND)

		if err := s.CreateUser(ctx, &interdict.User{Name: "bea", Role: interdict.RoleApprover}); err != nil {
			t.Fatal(err)
		}
		all, n, err := s.FindUsers(ctx, interdict.UserFilter{})
		if err != nil || n != 3 || len(all) != 3 || all[0].Name != "ana" || all[1].Name != "bea" || all[2].Name != "root" {
			t.Fatalf("FindUsers() = %v, %d, %v; want ana, bea, root and 3", names(all), n, err)
		}
		some, n, err := s.FindUsers(ctx, interdict.UserFilter{Limit: 1})
		if err != nil || n != 3 || len(some) != 1 {
			t.Errorf("FindUsers(Limit 1) = %v, %d, %v; want one user and a count of 3", names(some), n, err)
		}
		appr, n, err := s.FindUsers(ctx, interdict.UserFilter{Role: interdict.RoleApprover})
		if err != nil || n != 1 || len(appr) != 1 || appr[0].Name != "bea" {
			t.Errorf("FindUsers(approver) = %v, %d, %v; want bea", names(appr), n, err)
		}
	})

	t.Run("Update", func(t *testing.T) {
		s := newStore(t)
		mustUser(t, s, "root", interdict.RoleAdmin)
		mustUser(t, s, "ana", interdict.RoleAnalyst)
		u, err := s.UpdateUser(ctx, "ana", interdict.UserUpdate{Role: role(interdict.RoleApprover)})
		if err != nil || u.Role != interdict.RoleApprover || u.PasswordHash != "hash-ana" {
			t.Fatalf("UpdateUser(role) = %+v, %v", u, err)
		}
		_, err = s.UpdateUser(ctx, "ana", interdict.UserUpdate{Role: role("boss")})
		wantCode(t, "UpdateUser to an unknown role", err, interdict.EINVALID)
		_, err = s.UpdateUser(ctx, "nobody", interdict.UserUpdate{Disabled: &yes})
		wantCode(t, "UpdateUser of a missing user", err, interdict.ENOTFOUND)
		_, err = s.UpdateUser(ctx, "root", interdict.UserUpdate{Disabled: &yes})
		wantCode(t, "disabling the last admin", err, interdict.ECONFLICT)
		_, err = s.UpdateUser(ctx, "root", interdict.UserUpdate{Role: role(interdict.RoleAnalyst)})
		wantCode(t, "demoting the last admin", err, interdict.ECONFLICT)
		if got, _ := s.FindUserByName(ctx, "root"); got.Role != interdict.RoleAdmin || got.Disabled {
			t.Errorf("a refused update changed root: %+v", got)
		}
		if _, err := s.UpdateUser(ctx, "ana", interdict.UserUpdate{Role: role(interdict.RoleAdmin)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, "root", interdict.UserUpdate{Disabled: &yes}); err != nil {
			t.Errorf("disabling an admin while another remains: %v", err)
		}
	})

	t.Run("LastAdminConcurrent", func(t *testing.T) {
		// Two admins demote each other at once: one must remain.
		s := newStore(t)
		mustUser(t, s, "root", interdict.RoleAdmin)
		mustUser(t, s, "ops", interdict.RoleAdmin)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, name := range []string{"root", "ops"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.UpdateUser(ctx, name, interdict.UserUpdate{Disabled: &yes})
			}()
		}
		wg.Wait()
		admins := 0
		for _, name := range []string{"root", "ops"} {
			if u, _ := s.FindUserByName(ctx, name); u != nil && !u.Disabled {
				admins++
			}
		}
		if admins != 1 {
			t.Errorf("after two concurrent disables (%v, %v), %d enabled admins remain, want 1", errs[0], errs[1], admins)
		}
	})

	t.Run("APIKeys", func(t *testing.T) {
		s := newStore(t)
		mustUser(t, s, "root", interdict.RoleAdmin)
		mustUser(t, s, "bot", interdict.RoleAPIClient)
		k1 := &interdict.APIKey{User: "bot", Label: "nightly", Hash: "kh1"}
		if err := s.CreateAPIKey(ctx, k1); err != nil {
			t.Fatal(err)
		}
		if len(k1.ID) != 24 || k1.CreatedAt.IsZero() {
			t.Errorf("CreateAPIKey set ID %q, CreatedAt %v", k1.ID, k1.CreatedAt)
		}
		k2 := &interdict.APIKey{ID: "0123456789abcdef01234567", User: "bot", Hash: "kh2"}
		if err := s.CreateAPIKey(ctx, k2); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a taken key ID", s.CreateAPIKey(ctx, &interdict.APIKey{ID: k2.ID, User: "bot", Hash: "x"}), interdict.ECONFLICT)
		wantCode(t, "a key of a missing user", s.CreateAPIKey(ctx, &interdict.APIKey{User: "nobody", Hash: "x"}), interdict.ENOTFOUND)
		wantCode(t, "a key without hash", s.CreateAPIKey(ctx, &interdict.APIKey{User: "bot"}), interdict.EINVALID)
		got, err := s.FindAPIKeyByID(ctx, k1.ID)
		if err != nil || got.User != "bot" || got.Label != "nightly" || got.Hash != "kh1" {
			t.Errorf("FindAPIKeyByID = %+v, %v", got, err)
		}
		ks, err := s.FindAPIKeys(ctx, "bot")
		if err != nil || len(ks) != 2 {
			t.Fatalf("FindAPIKeys(bot) = %d keys, %v; want 2", len(ks), err)
		}
		if ks, _ := s.FindAPIKeys(ctx, "root"); len(ks) != 0 {
			t.Errorf("FindAPIKeys(root) = %d keys, want none", len(ks))
		}
		if err := s.DeleteAPIKey(ctx, k1.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindAPIKeyByID(ctx, k1.ID)
		wantCode(t, "FindAPIKeyByID of a revoked key", err, interdict.ENOTFOUND)
		wantCode(t, "DeleteAPIKey twice", s.DeleteAPIKey(ctx, k1.ID), interdict.ENOTFOUND)
	})

	t.Run("SignInLockout", func(t *testing.T) {
		s := newStore(t)
		mustUser(t, s, "root", interdict.RoleAdmin)
		mustUser(t, s, "ann", interdict.RoleAnalyst)
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		_, err := s.RecordSignIn(ctx, "nobody", false, now, 5, time.Minute)
		wantCode(t, "RecordSignIn of an unknown user", err, interdict.ENOTFOUND)
		if u, err := s.RecordSignIn(ctx, "ann", false, now, 5, time.Minute); err != nil || u.FailedSignIns != 1 || !u.LockedUntil.IsZero() {
			t.Fatalf("one failure = %+v, %v; want 1 failure, no lock", u, err)
		}
		if u, err := s.RecordSignIn(ctx, "ann", true, now, 5, time.Minute); err != nil || u.FailedSignIns != 0 {
			t.Fatalf("a success = %+v, %v; want the count reset", u, err)
		}
		// Five failures at once: each is counted, the fifth locks.
		var wg sync.WaitGroup
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.RecordSignIn(ctx, "ann", false, now, 5, time.Minute); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		u, err := s.FindUserByName(ctx, "ann")
		if err != nil || u.FailedSignIns != 0 || !u.LockedUntil.Equal(now.Add(time.Minute)) {
			t.Fatalf("after 5 concurrent failures: %+v, %v; want locked until %v", u, err, now.Add(time.Minute))
		}
		if r, _ := s.FindUserByName(ctx, "root"); r.FailedSignIns != 0 || !r.LockedUntil.IsZero() {
			t.Errorf("another user was touched: %+v", r)
		}
		// Enabling (or a new password) ends the lockout.
		no := false
		if u, err := s.UpdateUser(ctx, "ann", interdict.UserUpdate{Disabled: &no}); err != nil || !u.LockedUntil.IsZero() || u.FailedSignIns != 0 {
			t.Errorf("UpdateUser(enable) = %+v, %v; want the lock ended", u, err)
		}
		if u, _ := s.FindUserByName(ctx, "ann"); !u.LockedUntil.IsZero() {
			t.Errorf("lock stored after enabling: %v", u.LockedUntil)
		}
	})

	t.Run("Sessions", func(t *testing.T) {
		s := newStore(t)
		mustUser(t, s, "root", interdict.RoleAdmin)
		mustUser(t, s, "ana", interdict.RoleAnalyst)
		exp := time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)
		ss := &interdict.Session{ID: "s1", User: "ana", CSRFToken: "c1", ExpiresAt: exp}
		if err := s.CreateSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a taken session ID", s.CreateSession(ctx, &interdict.Session{ID: "s1", User: "ana", CSRFToken: "c", ExpiresAt: exp}), interdict.ECONFLICT)
		wantCode(t, "a session of a missing user", s.CreateSession(ctx, &interdict.Session{ID: "s2", User: "nobody", CSRFToken: "c", ExpiresAt: exp}), interdict.ENOTFOUND)
		wantCode(t, "a session without CSRF token", s.CreateSession(ctx, &interdict.Session{ID: "s2", User: "ana", ExpiresAt: exp}), interdict.EINVALID)
		got, err := s.FindSessionByID(ctx, "s1")
		if err != nil || got.User != "ana" || got.CSRFToken != "c1" || !got.ExpiresAt.Equal(exp) || got.CreatedAt.IsZero() {
			t.Fatalf("FindSessionByID(s1) = %+v, %v", got, err)
		}
		_, err = s.FindSessionByID(ctx, "nope")
		wantCode(t, "FindSessionByID of a missing session", err, interdict.ENOTFOUND)

		// A new password ends the user's sessions; so does disabling.
		if _, err := s.UpdateUser(ctx, "ana", interdict.UserUpdate{PasswordHash: str("new")}); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindSessionByID(ctx, "s1")
		wantCode(t, "a session after a password change", err, interdict.ENOTFOUND)
		if err := s.CreateSession(ctx, &interdict.Session{ID: "s3", User: "ana", CSRFToken: "c", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, "ana", interdict.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindSessionByID(ctx, "s3")
		wantCode(t, "a session after disabling its user", err, interdict.ENOTFOUND)

		if err := s.CreateSession(ctx, &interdict.Session{ID: "old", User: "root", CSRFToken: "c", ExpiresAt: exp.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, &interdict.Session{ID: "new", User: "root", CSRFToken: "c", ExpiresAt: exp.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		n, err := s.DeleteExpiredSessions(ctx, exp)
		if err != nil || n != 1 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
		}
		if _, err := s.FindSessionByID(ctx, "new"); err != nil {
			t.Errorf("an unexpired session was deleted: %v", err)
		}
		if err := s.DeleteSession(ctx, "new"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSession(ctx, "new"); err != nil {
			t.Errorf("DeleteSession twice: %v, want nil", err)
		}
		_, err = s.FindSessionByID(ctx, "new")
		wantCode(t, "a deleted session", err, interdict.ENOTFOUND)
	})
}

func mustUser(t *testing.T, s interdict.UserStore, name string, role interdict.Role) {
	t.Helper()
	if err := s.CreateUser(context.Background(), &interdict.User{Name: name, Role: role, PasswordHash: "hash-" + name}); err != nil {
		t.Fatal(err)
	}
}

func names(us []*interdict.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Name
	}
	return out
}
