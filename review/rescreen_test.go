package review_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/review"
)

// scenario is a book and two versions of the real UN list: version 2 adds
// entities that version 1 left out, changes others (a new alias that names
// a party of the book, a new remark) and drops some.
type scenario struct {
	v1, v2  []interdict.Entity
	parties []*interdict.Party
	added   []string // entity IDs in v2 only
	removed []string // entity IDs in v1 only
}

var firstNames = []string{"Anna", "Pieter", "Maria", "Jonas", "Elif", "Tomasz", "Ingrid", "Rafael", "Yuki", "Amara", "Lars", "Chiara"}
var lastNames = []string{"Vandermeer", "Kowalczyk", "Lindgren", "Okonkwo", "Haverkamp", "Sorensen", "Bellucci", "Tanaka", "Marchetti", "Oyelaran"}

func newScenario(tb testing.TB) *scenario {
	ents := loadUN(tb)
	sc := &scenario{}
	drop := map[string]bool{}   // left out of v1
	remove := map[string]bool{} // left out of v2
	alias := map[string]string{}
	remark := map[string]bool{}
	n := 0
	for i := range ents {
		e := &ents[i]
		name := e.PrimaryName()
		if len(strings.Fields(name)) < 2 || n >= 160 {
			continue
		}
		id := fmt.Sprintf("P%04d", n)
		p := &interdict.Party{ID: id, Kind: e.Kind, Name: name}
		if n%4 == 1 { // a variant: the words reversed
			w := strings.Fields(name)
			slices.Reverse(w)
			p.Name = strings.Join(w, " ")
		}
		sc.parties = append(sc.parties, p)
		switch n % 10 {
		case 3:
			drop[e.ID] = true
			sc.added = append(sc.added, e.ID)
		case 6:
			remove[e.ID] = true
			sc.removed = append(sc.removed, e.ID)
		case 8:
			remark[e.ID] = true
		}
		n++
	}
	// Unlisted parties; some get named by a new alias in version 2.
	for i := range 240 {
		p := &interdict.Party{ID: fmt.Sprintf("Q%04d", i), Kind: interdict.KindPerson,
			Name: firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames))%len(lastNames)], DOB: fmt.Sprintf("%d", 1950+i%40)}
		sc.parties = append(sc.parties, p)
	}
	k := 0
	for i := range ents {
		if ents[i].Kind == interdict.KindPerson && !drop[ents[i].ID] && !remove[ents[i].ID] && k < 6 {
			alias[ents[i].ID] = sc.parties[len(sc.parties)-1-k*7].Name
			k++
		}
	}
	for i := range ents {
		e := ents[i]
		if !drop[e.ID] {
			sc.v1 = append(sc.v1, e)
		}
		if remove[e.ID] {
			continue
		}
		if a, ok := alias[e.ID]; ok {
			e.Names = append(slices.Clone(e.Names), interdict.Name{Full: a, Quality: interdict.NameStrong, Script: "Latn"})
		}
		if remark[e.ID] {
			e.Remarks = append(slices.Clone(e.Remarks), "Entry amended.")
		}
		sc.v2 = append(sc.v2, e)
	}
	return sc
}

// start makes an env on version 1 with the book screened, then stores
// version 2.
func (sc *scenario) start(t *testing.T) *env {
	return sc.startOn(t, "sqlite")
}

// startOn is start with the review store of kind.
func (sc *scenario) startOn(t *testing.T, kind string) *env {
	t.Helper()
	ctx := context.Background()
	e := mustEnvOn(t, sc.v1, kind)
	for _, p := range sc.parties {
		cp := *p
		if _, err := e.store.PutParty(ctx, &cp); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := e.svc.Rescreen(ctx, review.RescreenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Full || rep.Done != len(sc.parties) {
		t.Fatalf("first re-screen: %+v; want a full run over %d parties", rep, len(sc.parties))
	}
	e.storeVersion(t, sc.v2)
	return e
}

func TestService_Rescreen(t *testing.T) {
	sc := newScenario(t)
	ctx := context.Background()

	delta := sc.start(t)
	before := alertKeys(t, delta.store)
	rep, err := delta.svc.Rescreen(ctx, review.RescreenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Full || rep.Added != len(sc.added) || rep.Removed != len(sc.removed) || rep.Changed < 6 {
		t.Errorf("delta re-screen: %+v; want %d added, %d removed, 6 or more changed", rep, len(sc.added), len(sc.removed))
	}
	if rep.Screened >= rep.Parties/2 || rep.Alerts == 0 {
		t.Errorf("delta re-screen screened %d of %d parties and raised %d alerts; want fewer than half screened, some alerts", rep.Screened, rep.Parties, rep.Alerts)
	}
	got := alertKeys(t, delta.store)

	// A full re-screen of the same book after the same change raises the
	// same alerts.
	full := sc.start(t)
	if !slices.Equal(alertKeys(t, full.store), before) {
		t.Fatal("the two starts differ")
	}
	frep, err := full.svc.Rescreen(ctx, review.RescreenOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if !frep.Full || frep.Screened != len(sc.parties) {
		t.Errorf("full re-screen: %+v", frep)
	}
	if want := alertKeys(t, full.store); !slices.Equal(got, want) {
		t.Errorf("delta re-screen alerts differ from a full re-screen's:\ndelta only: %v\nfull only: %v", minus(got, want), minus(want, got))
	}
	if rep.Alerts != frep.Alerts || rep.Annotated != frep.Annotated {
		t.Errorf("delta raised %d and annotated %d; full raised %d and annotated %d", rep.Alerts, rep.Annotated, frep.Alerts, frep.Annotated)
	}

	// The added entities alerted; the open alerts on removed ones say so.
	for _, id := range sc.added[:3] {
		if as, _, _ := delta.store.FindAlerts(ctx, interdict.AlertFilter{EntityID: id}); len(as) == 0 {
			t.Errorf("no alert on added entity %s", id)
		}
	}
	annotated := 0
	for _, id := range sc.removed {
		as, _, _ := delta.store.FindAlerts(ctx, interdict.AlertFilter{EntityID: id})
		for _, a := range as {
			if len(a.Notes) == 1 && strings.HasPrefix(a.Notes[0], "Delisted: "+id) && a.Listings[0].Delisted {
				annotated++
			} else {
				t.Errorf("alert on removed entity %s: notes %v, listings %+v", id, a.Notes, a.Listings)
			}
		}
	}
	if annotated == 0 || annotated != rep.Annotated {
		t.Errorf("%d alerts annotated delisted, report says %d", annotated, rep.Annotated)
	}
	// Nothing changed since: a delta run screens nobody.
	again, err := delta.svc.Rescreen(ctx, review.RescreenOptions{})
	if err != nil || again.Screened != 0 || again.Alerts != 0 {
		t.Errorf("re-screen with no change: %+v, %v; want nothing screened", again, err)
	}
}

func TestService_RescreenResume(t *testing.T) {
	for _, kind := range reviewStores() {
		t.Run(kind, func(t *testing.T) {
			sc := newScenario(t)
			ctx := context.Background()
			whole := sc.startOn(t, kind)
			if _, err := whole.svc.Rescreen(ctx, review.RescreenOptions{PageSize: 37}); err != nil {
				t.Fatal(err)
			}
			want := alertKeys(t, whole.store)

			for _, stopAfter := range []int{1, 3, 6} {
				t.Run(fmt.Sprintf("CutAfterPage%d", stopAfter), func(t *testing.T) {
					e := sc.startOn(t, kind)
					cctx, cancel := context.WithCancel(ctx)
					pages := 0
					_, err := e.svc.Rescreen(cctx, review.RescreenOptions{PageSize: 37, Progress: func(done, total int) {
						if pages++; pages == stopAfter {
							cancel()
						}
					}})
					cancel()
					if !errors.Is(err, context.Canceled) {
						t.Fatalf("cut-off run: %v; want context.Canceled", err)
					}
					if _, err := e.store.FindCheckpoint(ctx, review.CheckpointRun); err != nil {
						t.Fatalf("no checkpoint after the cut: %v", err)
					}
					rep, err := e.svc.Rescreen(ctx, review.RescreenOptions{PageSize: 37})
					if err != nil {
						t.Fatal(err)
					}
					if !rep.Resumed || rep.Done != len(sc.parties) {
						t.Errorf("resumed run: %+v; want resumed, %d parties done", rep, len(sc.parties))
					}
					if got := alertKeys(t, e.store); !slices.Equal(got, want) {
						t.Errorf("alerts after a cut and a resume differ from an uninterrupted run's:\nresumed only: %v\nuninterrupted only: %v", minus(got, want), minus(want, got))
					}
					if _, err := e.store.FindCheckpoint(ctx, review.CheckpointRun); interdict.ErrorCode(err) != interdict.ENOTFOUND {
						t.Errorf("run checkpoint left after the run finished: %v", err)
					}
				})
			}
		})
	}
}

// cutStore cancels a context right after its n-th alert is created, so
// that a run stops in the middle of a page.
type cutStore struct {
	interdict.ReviewStore
	n, created int
	cancel     func()
	mu         sync.Mutex
}

func (c *cutStore) CreateAlert(ctx context.Context, a *interdict.Alert) error {
	err := c.ReviewStore.CreateAlert(ctx, a)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.created++; c.created == c.n {
		c.cancel()
	}
	return err
}

func TestService_RescreenResumeMidPage(t *testing.T) {
	for _, kind := range reviewStores() {
		t.Run(kind, func(t *testing.T) {
			sc := newScenario(t)
			ctx := context.Background()
			whole := sc.startOn(t, kind)
			if _, err := whole.svc.Rescreen(ctx, review.RescreenOptions{PageSize: 1000}); err != nil {
				t.Fatal(err)
			}
			want := alertKeys(t, whole.store)
			for _, n := range []int{1, 4} {
				t.Run(fmt.Sprintf("CutAfterAlert%d", n), func(t *testing.T) {
					e := sc.startOn(t, kind)
					cctx, cancel := context.WithCancel(ctx)
					defer cancel()
					cut, err := review.NewService(review.Config{Store: &cutStore{ReviewStore: e.store, n: n, cancel: cancel}, Lists: e.lists, Screen: e.scr, Roles: roles{}})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := cut.Rescreen(cctx, review.RescreenOptions{PageSize: 1000}); !errors.Is(err, context.Canceled) {
						t.Fatalf("cut-off run: %v; want context.Canceled", err)
					}
					mid := alertKeys(t, e.store)
					if len(mid) == len(want) {
						t.Fatalf("the run was cut after all its alerts (%d)", len(mid))
					}
					rep, err := e.svc.Rescreen(ctx, review.RescreenOptions{PageSize: 1000})
					if err != nil {
						t.Fatal(err)
					}
					if !rep.Resumed {
						t.Errorf("second run did not resume: %+v", rep)
					}
					if got := alertKeys(t, e.store); !slices.Equal(got, want) {
						t.Errorf("alerts after a cut mid-page and a resume differ from an uninterrupted run's:\nresumed only: %v\nuninterrupted only: %v", minus(got, want), minus(want, got))
					}
				})
			}
		})
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
