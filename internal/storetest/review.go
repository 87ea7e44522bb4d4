package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
)

// Exec runs one SQL statement directly on a store's database, with ?
// placeholders; the review suite uses it to tamper with the audit trail
// the way someone with database access could.
type Exec func(ctx context.Context, query string, args ...any) error

// Review runs the interdict.ReviewStore contract on fresh stores made by
// newStore, with exec reaching the same database.
func Review(t *testing.T, newStore func(t *testing.T) (interdict.ReviewStore, Exec)) {
	ctx := context.Background()

	t.Run("Book", func(t *testing.T) {
		s, _ := newStore(t)
		p := &interdict.Party{ID: "C-1", Kind: interdict.KindPerson, Name: "Ivan Petrov", Aliases: []string{"Vanya Petrov"}, DOB: "1970-01-02",
			Country: "RU", Identifiers: []string{"P123"}, Address: "Moscow"}
		changed, err := s.PutParty(ctx, p)
		if err != nil || !changed {
			t.Fatalf("PutParty(new) = %v, %v; want changed", changed, err)
		}
		if p.Version != 1 || p.Hash != p.DataHash() || p.CreatedAt.IsZero() {
			t.Errorf("new party stored as version %d hash %q created %v", p.Version, p.Hash, p.CreatedAt)
		}
		same := *p
		if changed, err := s.PutParty(ctx, &same); err != nil || changed || same.Version != 1 {
			t.Errorf("PutParty(same data) = %v, %v, version %d; want unchanged version 1", changed, err, same.Version)
		}
		moved := *p
		moved.Address = "Kyiv"
		if changed, err := s.PutParty(ctx, &moved); err != nil || !changed || moved.Version != 2 {
			t.Errorf("PutParty(new address) = %v, %v, version %d; want changed, version 2", changed, err, moved.Version)
		}
		got, err := s.FindParty(ctx, "C-1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Address != "Kyiv" || got.Version != 2 || got.Hash != moved.DataHash() || len(got.Aliases) != 1 || got.Identifiers[0] != "P123" || got.Kind != interdict.KindPerson {
			t.Errorf("FindParty = %+v", got)
		}
		for _, id := range []string{"C-3", "C-2"} {
			if _, err := s.PutParty(ctx, &interdict.Party{ID: id, Name: "Party " + id}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DeleteParty(ctx, "C-2"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "DeleteParty twice", s.DeleteParty(ctx, "C-2"), interdict.ENOTFOUND)
		wantCode(t, "DeleteParty of an unknown party", s.DeleteParty(ctx, "nope"), interdict.ENOTFOUND)
		ps, n, err := s.FindParties(ctx, interdict.PartyFilter{})
		if err != nil || n != 2 || len(ps) != 2 || ps[0].ID != "C-1" || ps[1].ID != "C-3" {
			t.Errorf("FindParties = %v, %d, %v; want C-1, C-3", partyIDs(ps), n, err)
		}
		ps, n, err = s.FindParties(ctx, interdict.PartyFilter{Removed: true, Offset: 1, Limit: 1})
		if err != nil || n != 3 || len(ps) != 1 || ps[0].ID != "C-2" || !ps[0].Removed {
			t.Errorf("FindParties(removed, page 2 of 1) = %v, %d, %v; want C-2 removed of 3", partyIDs(ps), n, err)
		}
		ps, _, err = s.FindParties(ctx, interdict.PartyFilter{AfterID: "C-1"})
		if err != nil || len(ps) != 1 || ps[0].ID != "C-3" {
			t.Errorf("FindParties(after C-1) = %v, %v; want C-3", partyIDs(ps), err)
		}
		back := &interdict.Party{ID: "C-2", Name: "Party C-2"}
		if changed, err := s.PutParty(ctx, back); err != nil || !changed || back.Version != 1 || back.Removed {
			t.Errorf("PutParty(removed party, same data) = %v, %v, %+v; want it back, version 1", changed, err, back)
		}
		_, err = s.FindParty(ctx, "nope")
		wantCode(t, "FindParty of an unknown party", err, interdict.ENOTFOUND)
		_, err = s.PutParty(ctx, &interdict.Party{ID: "x"})
		wantCode(t, "PutParty without a name", err, interdict.EINVALID)
		_, err = s.PutParty(ctx, &interdict.Party{Name: "x"})
		wantCode(t, "PutParty without an ID", err, interdict.EINVALID)
	})

	t.Run("PutParties", func(t *testing.T) {
		s, _ := newStore(t)
		if _, err := s.PutParty(ctx, &interdict.Party{ID: "A", Name: "Alpha"}); err != nil {
			t.Fatal(err)
		}
		ps := []*interdict.Party{{ID: "A", Name: "Alpha"}, {ID: "B", Name: "Beta"}, {ID: "A", Name: "Alpha Two"}, {ID: "C", Name: "Gamma"}}
		changed, err := s.PutParties(ctx, ps)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(changed) != "[false true true true]" {
			t.Errorf("PutParties changed = %v, want [false true true true]", changed)
		}
		if ps[0].Version != 1 || ps[1].Version != 1 || ps[2].Version != 2 || ps[0].CreatedAt.IsZero() {
			t.Errorf("versions %d %d %d, want 1 1 2", ps[0].Version, ps[1].Version, ps[2].Version)
		}
		if got, err := s.FindParty(ctx, "A"); err != nil || got.Name != "Alpha Two" || got.Version != 2 {
			t.Errorf("FindParty(A) = %+v, %v; want Alpha Two, version 2", got, err)
		}
		_, err = s.PutParties(ctx, []*interdict.Party{{ID: "D", Name: "Delta"}, {ID: "E"}})
		wantCode(t, "PutParties with a party without a name", err, interdict.EINVALID)
		if _, err := s.FindParty(ctx, "D"); interdict.ErrorCode(err) != interdict.ENOTFOUND {
			t.Errorf("a refused batch stored party D: %v", err)
		}
	})

	t.Run("Alerts", func(t *testing.T) {
		s, _ := newStore(t)
		mk := func(party, entity string, score float64, lists ...string) *interdict.Alert {
			a := &interdict.Alert{PartyID: party, PartyHash: "ph-" + party, EntityID: entity, EntityHash: "eh-" + entity, Score: score,
				Policy: "pol", Explanation: json.RawMessage(`{"name_score": 0.9}`)}
			for _, l := range lists {
				a.Listings = append(a.Listings, interdict.AlertListing{EntityID: l + ":" + entity, List: l, Version: 3, Score: score})
			}
			return a
		}
		a1 := mk("C-1", "un:1", 0.9, "un", "eu")
		if err := s.CreateAlert(ctx, a1); err != nil {
			t.Fatal(err)
		}
		if a1.ID == "" || a1.Version != 1 || a1.State != interdict.AlertOpen {
			t.Errorf("created alert %+v; want an ID, version 1, open", a1)
		}
		wantCode(t, "CreateAlert of a second open alert on one party and entity", s.CreateAlert(ctx, mk("C-1", "un:1", 0.95, "un")), interdict.ECONFLICT)
		for _, a := range []*interdict.Alert{mk("C-1", "un:2", 0.8, "un"), mk("C-2", "un:1", 0.7, "eu"), mk("C-3", "un:3", 0.85, "ofac-sdn")} {
			if err := s.CreateAlert(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.FindAlert(ctx, a1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PartyHash != "ph-C-1" || got.EntityHash != "eh-un:1" || len(got.Listings) != 2 || got.Listings[1].List != "eu" || got.Score != 0.9 {
			t.Errorf("FindAlert = %+v", got)
		}
		var expl map[string]float64
		if err := json.Unmarshal(got.Explanation, &expl); err != nil || expl["name_score"] != 0.9 {
			t.Errorf("explanation read back as %s (%v)", got.Explanation, err)
		}
		_, err = s.FindAlert(ctx, "nope")
		wantCode(t, "FindAlert of an unknown alert", err, interdict.ENOTFOUND)
		wantCode(t, "CreateAlert without an entity", s.CreateAlert(ctx, &interdict.Alert{PartyID: "x"}), interdict.EINVALID)
		wantCode(t, "CreateAlert with an unknown state", s.CreateAlert(ctx, &interdict.Alert{PartyID: "x", EntityID: "y", State: "closed"}), interdict.EINVALID)

		for _, c := range []struct {
			name string
			f    interdict.AlertFilter
			want []string // party/entity, newest first
			n    int
		}{
			{"All", interdict.AlertFilter{}, []string{"C-3/un:3", "C-2/un:1", "C-1/un:2", "C-1/un:1"}, 4},
			{"Page", interdict.AlertFilter{Offset: 1, Limit: 2}, []string{"C-2/un:1", "C-1/un:2"}, 4},
			{"Party", interdict.AlertFilter{PartyID: "C-1"}, []string{"C-1/un:2", "C-1/un:1"}, 2},
			{"Entity", interdict.AlertFilter{EntityID: "un:1"}, []string{"C-2/un:1", "C-1/un:1"}, 2},
			{"List", interdict.AlertFilter{List: "eu"}, []string{"C-2/un:1", "C-1/un:1"}, 2},
			{"MinScore", interdict.AlertFilter{MinScore: 0.85}, []string{"C-3/un:3", "C-1/un:1"}, 2},
			{"State", interdict.AlertFilter{State: interdict.AlertTrueMatch}, nil, 0},
		} {
			t.Run(c.name, func(t *testing.T) {
				as, n, err := s.FindAlerts(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, a := range as {
					got = append(got, a.PartyID+"/"+a.EntityID)
				}
				if fmt.Sprint(got) != fmt.Sprint(c.want) || n != c.n {
					t.Errorf("FindAlerts(%+v) = %v, %d; want %v, %d", c.f, got, n, c.want, c.n)
				}
			})
		}

		// Update with the version read; the version read again conflicts.
		upd := *got
		upd.State, upd.Assignee = interdict.AlertInReview, "ann"
		upd.Comments = append(upd.Comments, interdict.Comment{Author: "ann", Text: "looking", At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		out, err := s.UpdateAlert(ctx, interdict.AlertUpdate{Alert: &upd})
		if err != nil {
			t.Fatal(err)
		}
		if out.Version != 2 || out.State != interdict.AlertInReview || out.Assignee != "ann" || len(out.Comments) != 1 || out.Comments[0].Text != "looking" {
			t.Errorf("UpdateAlert = %+v", out)
		}
		_, err = s.UpdateAlert(ctx, interdict.AlertUpdate{Alert: &upd})
		wantCode(t, "UpdateAlert of a stale version", err, interdict.ECONFLICT)
		ghost := upd
		ghost.ID = "nope"
		_, err = s.UpdateAlert(ctx, interdict.AlertUpdate{Alert: &ghost})
		wantCode(t, "UpdateAlert of an unknown alert", err, interdict.ENOTFOUND)
		counts, err := s.CountAlerts(ctx)
		if err != nil || counts[interdict.AlertOpen] != 3 || counts[interdict.AlertInReview] != 1 {
			t.Errorf("CountAlerts = %v, %v; want 3 open, 1 in review", counts, err)
		}

		// A decision and a good-guy entry go with the update; closing the
		// alert frees the party and entity for a new one.
		closing := *out
		closing.State = interdict.AlertFalsePositive
		d := &interdict.Decision{State: interdict.AlertFalsePositive, Suppress: true, Comment: "other person", Status: interdict.DecisionApproved,
			ProposedBy: "ann", ApprovedBy: "bob", ApprovedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
		g := &interdict.GoodGuy{PartyID: "C-1", EntityID: "un:1", PartyHash: "ph-C-1", EntityHash: "eh-un:1", Score: 0.9, ApprovedBy: "bob"}
		if _, err := s.UpdateAlert(ctx, interdict.AlertUpdate{Alert: &closing, Decision: d, GoodGuy: g}); err != nil {
			t.Fatal(err)
		}
		ds, err := s.FindDecisions(ctx, a1.ID)
		if err != nil || len(ds) != 1 || ds[0].ID != d.ID || !ds[0].Suppress || ds[0].ApprovedBy != "bob" || !ds[0].ApprovedAt.Equal(d.ApprovedAt) {
			t.Errorf("FindDecisions = %+v, %v", ds, err)
		}
		if dd, err := s.FindDecision(ctx, d.ID); err != nil || dd.AlertID != a1.ID {
			t.Errorf("FindDecision = %+v, %v", dd, err)
		}
		gg, err := s.FindGoodGuy(ctx, "C-1", "un:1")
		if err != nil || gg.PartyHash != "ph-C-1" || gg.Score != 0.9 || gg.ApprovedBy != "bob" {
			t.Errorf("FindGoodGuy = %+v, %v", gg, err)
		}
		_, err = s.FindGoodGuy(ctx, "C-1", "un:2")
		wantCode(t, "FindGoodGuy of no entry", err, interdict.ENOTFOUND)
		if gs, err := s.FindGoodGuys(ctx, ""); err != nil || len(gs) != 1 {
			t.Errorf("FindGoodGuys = %+v, %v", gs, err)
		}
		if err := s.CreateAlert(ctx, mk("C-1", "un:1", 0.99, "un")); err != nil {
			t.Errorf("CreateAlert after the alert on the same party and entity was closed: %v", err)
		}
		reopen, _ := s.FindAlert(ctx, a1.ID)
		reopen.State = interdict.AlertOpen
		_, err = s.UpdateAlert(ctx, interdict.AlertUpdate{Alert: reopen, ClearGoodGuy: true})
		wantCode(t, "UpdateAlert reopening a second pending alert", err, interdict.ECONFLICT)
		if _, err := s.FindGoodGuy(ctx, "C-1", "un:1"); err != nil {
			t.Errorf("a refused update cleared the good-guy entry: %v", err)
		}
	})

	t.Run("ConcurrentDecisions", func(t *testing.T) {
		s, _ := newStore(t)
		for round := range 5 {
			a := &interdict.Alert{PartyID: fmt.Sprintf("C-%d", round), EntityID: "un:1", Score: 0.9}
			if err := s.CreateAlert(ctx, a); err != nil {
				t.Fatal(err)
			}
			const n = 4
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					mine := *a
					mine.State = interdict.AlertTrueMatch
					if i%2 == 1 {
						mine.State = interdict.AlertFalsePositive
					}
					mine.Assignee = fmt.Sprintf("user%d", i)
					d := &interdict.Decision{State: mine.State, Status: interdict.DecisionProposed, ProposedBy: mine.Assignee}
					_, errs[i] = s.UpdateAlert(ctx, interdict.AlertUpdate{Alert: &mine, Decision: d})
				}()
			}
			wg.Wait()
			winners := 0
			winner := ""
			for i, err := range errs {
				switch interdict.ErrorCode(err) {
				case "":
					winners++
					winner = fmt.Sprintf("user%d", i)
				case interdict.ECONFLICT:
				default:
					t.Errorf("round %d: decision %d failed with %v, want success or a conflict", round, i, err)
				}
			}
			if winners != 1 {
				t.Fatalf("round %d: %d decisions won, want exactly 1 (%v)", round, winners, errs)
			}
			got, err := s.FindAlert(ctx, a.ID)
			if err != nil || got.Version != 2 || got.Assignee != winner {
				t.Errorf("round %d: alert after the race = %+v, %v; want version 2 by %s", round, got, err, winner)
			}
			ds, err := s.FindDecisions(ctx, a.ID)
			if err != nil || len(ds) != 1 || ds[0].ProposedBy != winner {
				t.Errorf("round %d: decisions after the race = %+v, %v; want one by %s", round, ds, err, winner)
			}
		}
	})

	t.Run("QueueCounts", func(t *testing.T) {
		// Alerts on one to three lists change state, assignee and listings
		// from several goroutines at once; the totals of every filter by
		// list, state and assignee, and the counts per state, must then
		// equal what a walk of all the alerts finds.
		s, _ := newStore(t)
		lists := []string{"un", "eu", "ofac-sdn"}
		states := []interdict.AlertState{interdict.AlertOpen, interdict.AlertInReview, interdict.AlertNeedsInfo, interdict.AlertTrueMatch, interdict.AlertFalsePositive}
		assignees := []string{"", "ann", "bob"}
		listings := func(i int) []interdict.AlertListing {
			var ls []interdict.AlertListing
			for j, l := range lists {
				if (i>>j)&1 == 1 || j == i%3 {
					ls = append(ls, interdict.AlertListing{EntityID: fmt.Sprintf("%s:%d", l, i), List: l, Version: 1, Score: 0.9})
				}
			}
			return ls
		}
		var ids []string
		for i := range 24 {
			a := &interdict.Alert{PartyID: fmt.Sprintf("C-%d", i), EntityID: fmt.Sprintf("e:%d", i), Score: 0.8, Listings: listings(i),
				State: states[i%2], Assignee: assignees[i%3]}
			if err := s.CreateAlert(ctx, a); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 4*len(ids))
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k, id := range ids {
					for {
						a, err := s.FindAlert(ctx, id)
						if err != nil {
							errs <- err
							return
						}
						a.State = states[(k+w+a.Version)%len(states)]
						a.Assignee = assignees[(k*w+a.Version)%len(assignees)]
						a.Listings = listings(k + w + a.Version)
						_, err = s.UpdateAlert(ctx, interdict.AlertUpdate{Alert: a})
						if interdict.ErrorCode(err) == interdict.ECONFLICT {
							continue // another goroutine updated it first
						}
						if err != nil {
							errs <- fmt.Errorf("update alert %s: %w", id, err)
						}
						break
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		all, n, err := s.FindAlerts(ctx, interdict.AlertFilter{})
		if err != nil || n != len(ids) || len(all) != len(ids) {
			t.Fatalf("FindAlerts(all) = %d alerts, total %d, %v; want %d", len(all), n, err, len(ids))
		}
		want := func(f interdict.AlertFilter) int {
			c := 0
			for _, a := range all {
				if (f.State == "" || a.State == f.State) && (f.Assignee == "" || a.Assignee == f.Assignee) &&
					(f.List == "" || slices.Contains(a.Lists(), f.List)) {
					c++
				}
			}
			return c
		}
		for _, l := range append([]string{""}, lists...) {
			for _, st := range append([]interdict.AlertState{""}, states...) {
				for _, as := range append([]string{""}, "ann", "bob") {
					f := interdict.AlertFilter{List: l, State: st, Assignee: as, Limit: 1}
					if _, n, err := s.FindAlerts(ctx, f); err != nil || n != want(f) {
						t.Errorf("FindAlerts(%+v) total = %d, %v; want %d", f, n, err, want(f))
					}
				}
			}
		}
		counts, err := s.CountAlerts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range states {
			if w := want(interdict.AlertFilter{State: st}); counts[st] != w {
				t.Errorf("CountAlerts[%s] = %d; want %d", st, counts[st], w)
			}
		}
	})

	t.Run("Checkpoints", func(t *testing.T) {
		s, _ := newStore(t)
		_, err := s.FindCheckpoint(ctx, "rescreen")
		wantCode(t, "FindCheckpoint of none", err, interdict.ENOTFOUND)
		for _, v := range []string{"one", "two"} {
			if err := s.SetCheckpoint(ctx, "rescreen", []byte(v)); err != nil {
				t.Fatal(err)
			}
		}
		if b, err := s.FindCheckpoint(ctx, "rescreen"); err != nil || string(b) != "two" {
			t.Errorf("FindCheckpoint = %q, %v; want two", b, err)
		}
		if err := s.DeleteCheckpoint(ctx, "rescreen"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCheckpoint(ctx, "rescreen"); err != nil {
			t.Errorf("DeleteCheckpoint of none: %v", err)
		}
		_, err = s.FindCheckpoint(ctx, "rescreen")
		wantCode(t, "FindCheckpoint after delete", err, interdict.ENOTFOUND)
	})

	t.Run("AuditAppend", func(t *testing.T) {
		s, _ := newStore(t)
		seq, head, err := s.AuditHead(ctx)
		if err != nil || seq != 0 || head != "" {
			t.Fatalf("AuditHead of an empty trail = %d, %q, %v", seq, head, err)
		}
		wantCode(t, "AppendAudit without an actor", s.AppendAudit(ctx, &interdict.AuditRecord{Action: "x"}), interdict.EINVALID)
		wantCode(t, "AppendAudit of a payload that is not JSON", s.AppendAudit(ctx, &interdict.AuditRecord{Actor: "a", Action: "x", Payload: json.RawMessage("{")}), interdict.EINVALID)
		// Appends from many goroutines form one chain.
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.AppendAudit(ctx, &interdict.AuditRecord{Actor: fmt.Sprintf("user%d", i%3), Action: "test.append",
					Object: fmt.Sprintf("thing:%d", i%2), Payload: json.RawMessage(fmt.Sprintf(`{"i": %d}`, i))})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		seq, head, err = s.AuditHead(ctx)
		if err != nil || seq != 40 {
			t.Fatalf("AuditHead = %d, %v; want 40", seq, err)
		}
		var c interdict.AuditChain
		want := 0 // records of thing:1 from seq 2
		if err := s.FindAuditRecords(ctx, interdict.AuditFilter{}, func(r *interdict.AuditRecord) error {
			if r.Object == "thing:1" && r.Seq >= 2 {
				want++
			}
			return c.Check(r)
		}); err != nil {
			t.Fatalf("concurrent appends broke the chain: %v", err)
		}
		if err := c.Finish(head); err != nil || c.Records != 40 {
			t.Errorf("chain of %d records, Finish(head) = %v", c.Records, err)
		}
		var objs int
		if err := s.FindAuditRecords(ctx, interdict.AuditFilter{Object: "thing:1", FromSeq: 2}, func(r *interdict.AuditRecord) error {
			if r.Object != "thing:1" || r.Seq < 2 {
				t.Errorf("filter by object thing:1 from 2 returned %+v", r)
			}
			objs++
			return nil
		}); err != nil || objs != want || want < 19 {
			t.Errorf("records of thing:1 from seq 2 = %d, %v; want %d (19 or 20)", objs, err, want)
		}
		stop := errors.New("stop")
		if err := s.FindAuditRecords(ctx, interdict.AuditFilter{}, func(*interdict.AuditRecord) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("FindAuditRecords returned %v, want fn's error", err)
		}
	})

	t.Run("AlertWithAudit", func(t *testing.T) {
		// An alert and the audit record of its creation are stored together
		// or not at all.
		s, _ := newStore(t)
		p := &interdict.Party{ID: "AA-1", Name: "Majid Kakavand", Kind: interdict.KindPerson}
		if _, err := s.PutParty(ctx, p); err != nil {
			t.Fatal(err)
		}
		newAlert := func(actor string) *interdict.Alert {
			return &interdict.Alert{PartyID: p.ID, PartyHash: p.Hash, EntityID: "ofac-sdn:1", Score: 0.9, Policy: "p",
				Audit: &interdict.AuditRecord{Actor: actor, Action: "alert.create", Payload: json.RawMessage(`{"score":0.9}`)}}
		}
		a := newAlert("system")
		if err := s.CreateAlert(ctx, a); err != nil {
			t.Fatal(err)
		}
		// The same party and entity again: ECONFLICT, and no second record.
		wantCode(t, "CreateAlert of a second open alert", s.CreateAlert(ctx, newAlert("system")), interdict.ECONFLICT)
		// An audit record without an actor: neither the alert nor the record.
		b := newAlert("")
		b.EntityID = "ofac-sdn:2"
		wantCode(t, "CreateAlert with an audit record without an actor", s.CreateAlert(ctx, b), interdict.EINVALID)
		if _, n, err := s.FindAlerts(ctx, interdict.AlertFilter{PartyID: p.ID}); err != nil || n != 1 {
			t.Errorf("alerts of the party: %d, %v; want 1", n, err)
		}
		var recs []*interdict.AuditRecord
		if err := s.FindAuditRecords(ctx, interdict.AuditFilter{}, func(r *interdict.AuditRecord) error {
			recs = append(recs, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || recs[0].Object != "alert:"+a.ID || recs[0].Action != "alert.create" || recs[0].Actor != "system" {
			t.Errorf("audit trail %+v; want one alert.create record of alert:%s", recs, a.ID)
		}
	})

	t.Run("AuditTimes", func(t *testing.T) {
		s, _ := newStore(t)
		base := time.Date(2026, 3, 1, 10, 0, 0, 123456000, time.UTC)
		for i := range 5 {
			if err := s.AppendAudit(ctx, &interdict.AuditRecord{Time: base.Add(time.Duration(i) * time.Hour), Actor: "a", Action: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		var got []int64
		if err := s.FindAuditRecords(ctx, interdict.AuditFilter{From: base.Add(time.Hour), To: base.Add(3 * time.Hour)}, func(r *interdict.AuditRecord) error {
			got = append(got, r.Seq)
			if r.Time.Nanosecond()%1000 != 0 || r.ComputeHash() != r.Hash {
				t.Errorf("record %d read back with time %v and a hash that does not match", r.Seq, r.Time)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != "[2 3]" {
			t.Errorf("records from +1h to +3h = %v, want [2 3]", got)
		}
	})

	t.Run("AuditTamper", func(t *testing.T) {
		for _, c := range []struct {
			name    string
			sql     []string
			head    bool  // verify against the head taken before tampering
			wantSeq int64 // the record named; 0 for no break
		}{
			{"Intact", nil, true, 0},
			{"Edited", []string{`UPDATE audit SET actor = 'mallory' WHERE seq = 3`}, false, 3},
			{"EditedPayload", []string{`UPDATE audit SET payload = '{"i":99}' WHERE seq = 4`}, false, 4},
			{"Deleted", []string{`DELETE FROM audit WHERE seq = 3`}, false, 3},
			{"DeletedAndRenumbered", []string{`DELETE FROM audit WHERE seq = 3`, `UPDATE audit SET seq = seq + 100 WHERE seq > 3`, `UPDATE audit SET seq = seq - 101 WHERE seq > 100`}, false, 3},
			{"Inserted", []string{`UPDATE audit SET seq = seq + 100 WHERE seq >= 3`, `UPDATE audit SET seq = seq - 99 WHERE seq > 100`, "insert 3"}, false, 4},
			{"Reordered", []string{`UPDATE audit SET seq = 0 WHERE seq = 3`, `UPDATE audit SET seq = 3 WHERE seq = 4`, `UPDATE audit SET seq = 4 WHERE seq = 0`}, false, 3},
			{"TruncatedTail", []string{`DELETE FROM audit WHERE seq > 4`}, true, 4},
			{"TruncatedTailWithoutHead", []string{`DELETE FROM audit WHERE seq > 4`}, false, 0},
		} {
			t.Run(c.name, func(t *testing.T) {
				s, exec := newStore(t)
				for i := range 6 {
					if err := s.AppendAudit(ctx, &interdict.AuditRecord{Actor: "ann", Action: "test.append", Object: "thing",
						Payload: json.RawMessage(fmt.Sprintf(`{"i":%d}`, i))}); err != nil {
						t.Fatal(err)
					}
				}
				_, head, err := s.AuditHead(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, q := range c.sql {
					if q == "insert 3" {
						// A forged record that links to record 2 and hashes right.
						var prev string
						_ = s.FindAuditRecords(ctx, interdict.AuditFilter{FromSeq: 2}, func(r *interdict.AuditRecord) error {
							if r.Seq == 2 {
								prev = r.Hash
							}
							return nil
						})
						f := &interdict.AuditRecord{Seq: 3, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Actor: "mallory", Action: "test.append", Object: "thing", Prev: prev}
						f.Hash = f.ComputeHash()
						q = `INSERT INTO audit (seq, time, actor, action, object, payload, prev, hash) VALUES (3, '2026-01-01T00:00:00.000000000Z', 'mallory', 'test.append', 'thing', '', ?, ?)`
						if err := exec(ctx, q, f.Prev, f.Hash); err != nil {
							t.Fatalf("%s: %v", q, err)
						}
						continue
					}
					if err := exec(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				var chain interdict.AuditChain
				err = s.FindAuditRecords(ctx, interdict.AuditFilter{}, chain.Check)
				if err == nil && c.head {
					err = chain.Finish(head)
				}
				var b *interdict.AuditBreak
				switch {
				case c.wantSeq == 0 && err != nil:
					t.Errorf("verify: %v, want no break", err)
				case c.wantSeq != 0 && !errors.As(err, &b):
					t.Errorf("verify: %v, want a break at record %d", err, c.wantSeq)
				case c.wantSeq != 0 && b.Seq != c.wantSeq:
					t.Errorf("verify: %v, want a break at record %d", err, c.wantSeq)
				}
			})
		}
	})
}

func partyIDs(ps []*interdict.Party) []string {
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids
}
