package review_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/un"
	"github.com/interdict/interdict/sqlite"
)

// unFile is the UN Security Council Consolidated List of 2026-02-27, from
// the shared reference data.
const unFile = "../../shared/data/lists/un/UN_consolidated_2026-02-27.xml"

var unOnce struct {
	sync.Once
	ents []interdict.Entity
	err  error
}

// loadUN returns the entities of the real UN list, or skips the test when
// the shared data is not there.
func loadUN(tb testing.TB) []interdict.Entity {
	tb.Helper()
	unOnce.Do(func() {
		data, err := os.ReadFile(unFile)
		if err != nil {
			unOnce.err = err
			return
		}
		res, err := un.Parse(interdict.ListUN, []source.File{{Name: "consolidated.xml", Path: unFile, Data: data}})
		if err != nil {
			unOnce.err = err
			return
		}
		unOnce.ents = res.Entities
	})
	if unOnce.err != nil {
		tb.Skipf("UN list not readable (%v): the review tests screen against the shared reference data", unOnce.err)
	}
	return slices.Clone(unOnce.ents)
}

// roles grants the approver role to the users listed.
type roles map[string]bool

func (r roles) HasRole(_ context.Context, user, role string) (bool, error) {
	return role == review.RoleApprover && r[user], nil
}

type env struct {
	db    *sqlite.DB
	lists *sqlite.ListStore
	store interdict.ReviewStore
	scr   *screen.Service
	svc   *review.Service
}

// mustEnv opens a fresh database with the given entities as version 1 of
// the UN list, and a review service over it.
func mustEnv(tb testing.TB, ents []interdict.Entity) *env {
	tb.Helper()
	return mustEnvOn(tb, ents, "sqlite")
}

// mustEnvOn is mustEnv with the review store of kind ("sqlite" or
// "postgres"; the lists stay in SQLite).
func mustEnvOn(tb testing.TB, ents []interdict.Entity, kind string) *env {
	tb.Helper()
	db := sqlite.NewDB(tb.TempDir() + "/interdict.db")
	if err := db.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	e := &env{db: db, lists: sqlite.NewListStore(db), store: sqlite.NewReviewStore(db)}
	if kind == "postgres" {
		e.store = postgresReviewStore(tb)
	}
	scr, err := screen.NewService(screen.ServiceConfig{Lists: e.lists, Policy: screen.DefaultPolicy(), CheckEvery: -1})
	if err != nil {
		tb.Fatal(err)
	}
	e.scr = scr
	e.storeVersion(tb, ents)
	e.svc, err = review.NewService(review.Config{Store: e.store, Lists: e.lists, Screen: scr, Roles: roles{"bob": true, "dora": true}})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// storeVersion stores ents as the new current version of the UN list and
// reloads the screening index.
func (e *env) storeVersion(tb testing.TB, ents []interdict.Entity) {
	tb.Helper()
	ctx := context.Background()
	v := &interdict.ListVersion{List: interdict.ListUN, Checksum: fmt.Sprintf("test-%d-%d", len(ents), time.Now().UnixNano()), Current: true, Total: len(ents)}
	if err := e.lists.CreateListVersion(ctx, v, ents); err != nil {
		tb.Fatal(err)
	}
	if _, err := e.scr.Reload(ctx); err != nil {
		tb.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := interdict.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// listed returns the first entities of kind k with a primary name of at
// least three words.
func listed(ents []interdict.Entity, k interdict.Kind, n int) []*interdict.Entity {
	var out []*interdict.Entity
	for i := range ents {
		if ents[i].Kind == k && len(strings.Fields(ents[i].PrimaryName())) >= 3 {
			out = append(out, &ents[i])
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func TestService_PutParty(t *testing.T) {
	ents := loadUN(t)
	e := mustEnv(t, ents)
	ctx := context.Background()
	target := listed(ents, interdict.KindPerson, 1)[0]

	res, err := e.svc.PutParty(ctx, "ann", &interdict.Party{ID: "C-1", Kind: interdict.KindPerson, Name: target.PrimaryName()})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Screening == nil || len(res.Screening.Alerts) != 1 {
		t.Fatalf("PutParty of a listed name = %+v; want one alert", res)
	}
	a := res.Screening.Alerts[0]
	if a.EntityID != target.ID || a.EntityHash != target.Hash() || a.PartyHash != res.Party.Hash || a.State != interdict.AlertOpen ||
		len(a.Listings) != 1 || a.Listings[0].Version != 1 || a.Policy != screen.DefaultPolicy().Hash() || len(a.Explanation) < 10 {
		t.Errorf("alert = %+v; want one on %s with hashes, version 1 of un, the policy hash and the explanation", a, target.ID)
	}

	again, err := e.svc.PutParty(ctx, "ann", &interdict.Party{ID: "C-1", Kind: interdict.KindPerson, Name: target.PrimaryName()})
	if err != nil || again.Changed || again.Screening != nil {
		t.Errorf("PutParty with the same data = %+v, %v; want unchanged and not screened", again, err)
	}
	quiet, err := e.svc.PutParty(ctx, "ann", &interdict.Party{ID: "C-2", Name: "Marguerite Oosterhuis-Lindqvist"})
	if err != nil || len(quiet.Screening.Alerts) != 0 {
		t.Errorf("PutParty of an unlisted name = %+v, %v; want no alert", quiet, err)
	}
	// Changed data is screened again; the open alert is not raised twice.
	moved, err := e.svc.PutParty(ctx, "ann", &interdict.Party{ID: "C-1", Kind: interdict.KindPerson, Name: target.PrimaryName(), Address: "Somewhere"})
	if err != nil || !moved.Changed || moved.Screening == nil || len(moved.Screening.Alerts) != 0 || moved.Screening.Pending != 1 {
		t.Errorf("PutParty with new data = %+v, %v; want screened, the alert pending", moved, err)
	}
	if err := e.svc.DeleteParty(ctx, "ann", "C-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.FindAlert(ctx, a.ID); err != nil {
		t.Errorf("the alert of a removed party is gone: %v", err)
	}
	var actions []string
	if err := e.store.FindAuditRecords(ctx, interdict.AuditFilter{}, func(r *interdict.AuditRecord) error {
		actions = append(actions, r.Actor+" "+r.Action+" "+r.Object)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"ann party.put party:C-1", "ann alert.create alert:" + a.ID, "ann party.screen party:C-1",
		"ann party.put party:C-2", "ann party.screen party:C-2", "ann party.put party:C-1", "ann party.screen party:C-1", "ann party.delete party:C-1"}
	if !slices.Equal(actions, want) {
		t.Errorf("audit trail:\n%s\nwant:\n%s", strings.Join(actions, "\n"), strings.Join(want, "\n"))
	}
	_, err = e.svc.PutParty(ctx, "", &interdict.Party{ID: "x", Name: "y"})
	wantCode(t, "PutParty without an actor", err, interdict.EINVALID)
}

// raise puts a party named as the n-th listed person and returns its alert.
func raise(t *testing.T, e *env, ents []interdict.Entity, id string, n int) *interdict.Alert {
	t.Helper()
	target := listed(ents, interdict.KindPerson, n+1)[n]
	res, err := e.svc.PutParty(context.Background(), "ann", &interdict.Party{ID: id, Kind: interdict.KindPerson, Name: target.PrimaryName()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Screening.Alerts) == 0 {
		t.Fatalf("party %s named %q raised no alert", id, target.PrimaryName())
	}
	return res.Screening.Alerts[0]
}

func TestService_FourEyes(t *testing.T) {
	ents := loadUN(t)
	e := mustEnv(t, ents)
	ctx := context.Background()

	t.Run("TrueMatch", func(t *testing.T) {
		a := raise(t, e, ents, "TM", 0)
		got, d, err := e.svc.Decide(ctx, "ann", a.ID, review.DecideInput{State: interdict.AlertTrueMatch, Comment: "same passport"})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != interdict.AlertInReview || d.Status != interdict.DecisionProposed {
			t.Errorf("a proposed true match left the alert %s with decision %s; want in_review, proposed", got.State, d.Status)
		}
		_, _, err = e.svc.Approve(ctx, "ann", a.ID, true, "")
		wantCode(t, "self-approval", err, interdict.EFORBIDDEN)
		_, _, err = e.svc.Approve(ctx, "carl", a.ID, true, "")
		wantCode(t, "approval without the approver role", err, interdict.EFORBIDDEN)
		_, _, err = e.svc.Decide(ctx, "bob", a.ID, review.DecideInput{State: interdict.AlertNeedsInfo})
		wantCode(t, "a decision while a proposal awaits approval", err, interdict.ECONFLICT)
		got, d, err = e.svc.Approve(ctx, "bob", a.ID, true, "agreed")
		if err != nil {
			t.Fatal(err)
		}
		if got.State != interdict.AlertTrueMatch || d.Status != interdict.DecisionApproved || d.ApprovedBy != "bob" || len(got.Comments) != 2 {
			t.Errorf("approved: alert %+v, decision %+v", got, d)
		}
		_, _, err = e.svc.Decide(ctx, "ann", a.ID, review.DecideInput{State: interdict.AlertInReview})
		wantCode(t, "a decision on a closed alert", err, interdict.ECONFLICT)
		_, _, err = e.svc.Approve(ctx, "dora", a.ID, true, "")
		wantCode(t, "approval with nothing proposed", err, interdict.ENOTFOUND)
	})

	t.Run("Rejected", func(t *testing.T) {
		a := raise(t, e, ents, "RJ", 1)
		if _, _, err := e.svc.Decide(ctx, "ann", a.ID, review.DecideInput{State: interdict.AlertFalsePositive, Suppress: true}); err != nil {
			t.Fatal(err)
		}
		got, d, err := e.svc.Approve(ctx, "bob", a.ID, false, "not enough evidence")
		if err != nil || got.State != interdict.AlertInReview || d.Status != interdict.DecisionRejected {
			t.Fatalf("rejected: %+v, %+v, %v", got, d, err)
		}
		if _, err := e.store.FindGoodGuy(ctx, a.PartyID, a.EntityID); interdict.ErrorCode(err) != interdict.ENOTFOUND {
			t.Errorf("a rejected suppression is on the good-guy list: %v", err)
		}
	})

	t.Run("NoApprovalNeeded", func(t *testing.T) {
		a := raise(t, e, ents, "FP", 2)
		got, d, err := e.svc.Decide(ctx, "ann", a.ID, review.DecideInput{State: interdict.AlertFalsePositive})
		if err != nil || got.State != interdict.AlertFalsePositive || d.Status != interdict.DecisionApplied {
			t.Errorf("a false positive without suppression: %+v, %+v, %v; want applied at once", got, d, err)
		}
		_, _, err = e.svc.Decide(ctx, "ann", "nope", review.DecideInput{State: interdict.AlertInReview})
		wantCode(t, "a decision on an unknown alert", err, interdict.ENOTFOUND)
		_, _, err = e.svc.Decide(ctx, "ann", a.ID, review.DecideInput{State: interdict.AlertOpen})
		wantCode(t, "a decision to open", err, interdict.EINVALID)
		_, _, err = e.svc.Decide(ctx, "ann", a.ID, review.DecideInput{State: interdict.AlertTrueMatch, Suppress: true})
		wantCode(t, "a suppressing true match", err, interdict.EINVALID)
	})

	t.Run("Concurrent", func(t *testing.T) {
		a := raise(t, e, ents, "CC", 3)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []string{"ann", "bob"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[i] = e.svc.Decide(ctx, who, a.ID, review.DecideInput{State: interdict.AlertTrueMatch, Version: a.Version})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch interdict.ErrorCode(err) {
			case "":
				ok++
			case interdict.ECONFLICT:
			default:
				t.Errorf("decision failed: %v", err)
			}
		}
		ds, _ := e.store.FindDecisions(ctx, a.ID)
		if ok != 1 || len(ds) != 1 {
			t.Errorf("two decisions on version %d: %d won, %d stored (%v); want exactly one", a.Version, ok, len(ds), errs)
		}
	})
}

func TestService_GoodGuy(t *testing.T) {
	ents := loadUN(t)
	e := mustEnv(t, ents)
	ctx := context.Background()
	a := raise(t, e, ents, "GG", 0)
	if _, _, err := e.svc.Decide(ctx, "ann", a.ID, review.DecideInput{State: interdict.AlertFalsePositive, Suppress: true, Comment: "other person"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Approve(ctx, "bob", a.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	// The same party and entity: suppressed.
	rep, err := e.svc.Rescreen(ctx, review.RescreenOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Alerts != 0 || rep.Suppressed != 1 {
		t.Errorf("full re-screen with an approved false positive: %d alerts, %d suppressed; want 0, 1", rep.Alerts, rep.Suppressed)
	}
	// The entity's record changes: raised again, saying so.
	changed := slices.Clone(ents)
	for i := range changed {
		if changed[i].ID == a.EntityID {
			changed[i].Remarks = append(slices.Clone(changed[i].Remarks), "Amended by the Committee.")
		}
	}
	e.storeVersion(t, changed)
	rep, err = e.svc.Rescreen(ctx, review.RescreenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Full || rep.Changed != 1 || rep.Alerts != 1 {
		t.Fatalf("delta re-screen after the entity changed: %+v; want 1 changed entity, 1 alert", rep)
	}
	as, _, err := e.store.FindAlerts(ctx, interdict.AlertFilter{PartyID: "GG", State: interdict.AlertOpen})
	if err != nil || len(as) != 1 || !slices.Equal(as[0].Changes, []string{"entity record changed"}) {
		t.Fatalf("alerts raised again: %+v, %v; want one saying the entity record changed", as, err)
	}
	// Suppress again; then the party's data changes: raised again.
	b := as[0]
	if _, _, err := e.svc.Decide(ctx, "dora", b.ID, review.DecideInput{State: interdict.AlertFalsePositive, Suppress: true}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Approve(ctx, "bob", b.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	p, err := e.store.FindParty(ctx, "GG")
	if err != nil {
		t.Fatal(err)
	}
	p.DOB = "1901"
	res, err := e.svc.PutParty(ctx, "ann", p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Screening.Alerts) != 1 || !strings.HasPrefix(res.Screening.Alerts[0].Changes[0], "party data changed") {
		t.Fatalf("PutParty with a new date of birth: %+v; want an alert saying the party data changed", res.Screening)
	}
	// The score moves (as after a change of policy weights): within the
	// margin it stays suppressed, beyond it the alert is raised again.
	c := res.Screening.Alerts[0]
	if _, _, err := e.svc.Decide(ctx, "ann", c.ID, review.DecideInput{State: interdict.AlertFalsePositive, Suppress: true}); err != nil {
		t.Fatal(err)
	}
	closed, _, err := e.svc.Approve(ctx, "bob", c.ID, true, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		shift  float64
		alerts int
	}{{review.DefaultScoreMargin / 2, 0}, {review.DefaultScoreMargin * 2, 1}} {
		gg, err := e.store.FindGoodGuy(ctx, "GG", c.EntityID)
		if err != nil {
			t.Fatal(err)
		}
		gg.Score = c.Score - tc.shift
		if closed, err = e.store.UpdateAlert(ctx, interdict.AlertUpdate{Alert: closed, GoodGuy: gg}); err != nil {
			t.Fatal(err)
		}
		rep, err := e.svc.Rescreen(ctx, review.RescreenOptions{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Alerts != tc.alerts {
			t.Errorf("good-guy score %.3f below the score %.3f: %d alerts, want %d", tc.shift, c.Score, rep.Alerts, tc.alerts)
		}
	}
	as, _, err = e.store.FindAlerts(ctx, interdict.AlertFilter{PartyID: "GG", State: interdict.AlertOpen})
	want := fmt.Sprintf("score changed from %.3f to %.3f", c.Score-review.DefaultScoreMargin*2, c.Score)
	if err != nil || len(as) != 1 || !slices.Equal(as[0].Changes, []string{want}) {
		t.Errorf("alert raised on the score: %+v, %v; want changes [%s]", as, err, want)
	}
}

// alertKeys returns "party entity score state changes" for every alert,
// sorted.
func alertKeys(t *testing.T, s interdict.ReviewStore) []string {
	t.Helper()
	as, _, err := s.FindAlerts(context.Background(), interdict.AlertFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ks []string
	for _, a := range as {
		ks = append(ks, fmt.Sprintf("%s %s %.4f %s %s %v", a.PartyID, a.EntityID, a.Score, a.State, strings.Join(a.Changes, ";"), a.Notes))
	}
	sort.Strings(ks)
	return ks
}
