package media_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/media"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/un"
	"github.com/interdict/interdict/sqlite"
)

var (
	unOnce sync.Once
	unEnts []interdict.Entity
	unErr  error
)

// unEntities returns the entities of the bundled UN consolidated list (the
// real list, small enough to index in a test).
func unEntities(tb testing.TB) []interdict.Entity {
	tb.Helper()
	unOnce.Do(func() {
		files, _, err := snapshot.Files()
		if err != nil {
			unErr = err
			return
		}
		for _, f := range files {
			if !strings.HasPrefix(f.Name, "UN_") {
				continue
			}
			res, err := source.ParseAll(un.Formats, []source.File{f})
			if err != nil {
				unErr = err
				return
			}
			for _, r := range res {
				unEnts = append(unEnts, r.Entities...)
			}
		}
	})
	if unErr != nil {
		tb.Fatal(unErr)
	}
	if len(unEnts) < 500 {
		tb.Fatalf("the bundled UN list has %d entities", len(unEnts))
	}
	return unEnts
}

type noRoles struct{}

func (noRoles) HasRole(context.Context, string, string) (bool, error) { return false, nil }

// env is a media service over the UN list, with a book and a review
// service on a fresh SQLite database.
type env struct {
	svc    *media.Service
	review interdict.ReviewStore
	store  interdict.MediaStore
}

// The book of the tests: invented parties, four of them named in the
// feeds of testdata.
var testBook = []*interdict.Party{
	{ID: "P-BALTIC", Kind: interdict.KindOrganization, Name: "Baltic Amber Logistics UAB", Country: "LT"},
	{ID: "P-PETRAUSKAS", Kind: interdict.KindPerson, Name: "Jonas Petrauskas", Country: "LT"},
	{ID: "P-HELVETIA", Kind: interdict.KindOrganization, Name: "Helvetia Precision Instruments AG", Country: "CH"},
	{ID: "P-BELLANDI", Kind: interdict.KindPerson, Name: "Marco Bellandi", Country: "IT"},
}

// decoyBook are ordinary parties whose names share words with ordinary
// prose (and with the clean texts of the scanner's evaluation set):
// none is named in any text of the tests.
var decoyBook = []*interdict.Party{
	{ID: "D-01", Kind: interdict.KindOrganization, Name: "Union Credit Bank"},
	{ID: "D-02", Kind: interdict.KindOrganization, Name: "Pacific National Trading"},
	{ID: "D-03", Kind: interdict.KindOrganization, Name: "Holland Park Holdings"},
	{ID: "D-04", Kind: interdict.KindOrganization, Name: "Golden Ocean Star Ltd"},
	{ID: "D-05", Kind: interdict.KindOrganization, Name: "Royal Canada Shipping"},
	{ID: "D-06", Kind: interdict.KindPerson, Name: "Mohammed Rahman Khan"},
	{ID: "D-07", Kind: interdict.KindPerson, Name: "Sarah Morrison"},
	{ID: "D-08", Kind: interdict.KindPerson, Name: "Ali Al Rahman"},
	{ID: "D-09", Kind: interdict.KindOrganization, Name: "Deutsche Handel GmbH"},
	{ID: "D-10", Kind: interdict.KindOrganization, Name: "Banco Nacional de Comercio"},
	{ID: "D-11", Kind: interdict.KindOrganization, Name: "United Line Shipping"},
	{ID: "D-12", Kind: interdict.KindOrganization, Name: "North Star Research"},
	{ID: "D-13", Kind: interdict.KindOrganization, Name: "Van Holland BV"},
	{ID: "D-14", Kind: interdict.KindOrganization, Name: "Pacific", Aliases: []string{"Union"}},
	{ID: "D-15", Kind: interdict.KindOrganization, Name: "Kalamazoo Regional Trading"},
	{ID: "D-16", Kind: interdict.KindPerson, Name: "John Smith Johnson"},
	{ID: "D-17", Kind: interdict.KindOrganization, Name: "Al Noor General Trading LLC"},
	{ID: "D-18", Kind: interdict.KindOrganization, Name: "Credit Union Services"},
	{ID: "D-19", Kind: interdict.KindOrganization, Name: "New York Seattle Logistics"},
	{ID: "D-20", Kind: interdict.KindOrganization, Name: "Deutsche Werft Holding"},
}

var (
	svcOnce sync.Once
	scrSvc  *screen.Service
	scrErr  error
)

// screenService is a screening service over the UN list, shared by the
// tests (an index is immutable).
func screenService(tb testing.TB) *screen.Service {
	tb.Helper()
	ents := unEntities(tb)
	svcOnce.Do(func() {
		scrSvc, scrErr = screen.NewService(screen.ServiceConfig{Policy: screen.DefaultPolicy()})
		if scrErr == nil {
			_, scrErr = scrSvc.Load(ents, nil)
		}
	})
	if scrErr != nil {
		tb.Fatal(scrErr)
	}
	return scrSvc
}

var (
	liveOnce sync.Once
	live     *scan.Live
)

func newEnv(tb testing.TB, book ...*interdict.Party) *env {
	tb.Helper()
	return newEnvRefresh(tb, -1, book...)
}

// newEnvRefresh is newEnv with the book read again after refresh (see
// media.Config.BookRefresh).
func newEnvRefresh(tb testing.TB, refresh time.Duration, book ...*interdict.Party) *env {
	tb.Helper()
	ctx := context.Background()
	svc := screenService(tb)
	liveOnce.Do(func() { live = scan.NewLive(svc) })
	db := sqlite.NewDB(tb.TempDir() + "/interdict.db")
	db.Now = func() time.Time { return time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC) }
	if err := db.Open(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	rs := sqlite.NewReviewStore(db)
	var ps []*interdict.Party
	for _, p := range book {
		c := *p
		ps = append(ps, &c)
	}
	if len(ps) > 0 {
		if _, err := rs.PutParties(ctx, ps); err != nil {
			tb.Fatal(err)
		}
	}
	rv, err := review.NewService(review.Config{Store: rs, Lists: sqlite.NewListStore(db), Screen: svc, Roles: noRoles{}})
	if err != nil {
		tb.Fatal(err)
	}
	ms := sqlite.NewMediaStore(db)
	m, err := media.NewService(media.Config{Store: ms, Book: rs, Scanner: live.Scanner, Alerts: rv, Policy: screen.DefaultPolicy(), BookRefresh: refresh})
	if err != nil {
		tb.Fatal(err)
	}
	return &env{svc: m, review: rs, store: ms}
}

func (e *env) alerts(tb testing.TB) []*interdict.Alert {
	tb.Helper()
	as, _, err := e.review.FindAlerts(context.Background(), interdict.AlertFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	return as
}
