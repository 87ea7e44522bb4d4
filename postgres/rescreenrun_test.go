package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/postgres"
)

// A run over a book cut into pages: each page recorded done once however
// often it is screened, progress summed by replica, a run finished once.
func TestRescreenRunStore(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	book := postgres.NewReviewStore(db)
	var ps []*interdict.Party
	for i := 0; i < 1234; i++ {
		ps = append(ps, &interdict.Party{ID: fmt.Sprintf("p%05d", i), Name: fmt.Sprintf("Party %d", i)})
	}
	if _, err := book.PutParties(ctx, ps); err != nil {
		t.Fatal(err)
	}
	if err := book.DeleteParty(ctx, "p00003"); err != nil {
		t.Fatal(err)
	}
	s := postgres.NewRescreenRunStore(db)
	pages, n, err := s.CutBook(ctx, 500)
	if err != nil {
		t.Fatal(err)
	}
	want := []interdict.RescreenPage{{Page: 0, After: "", Through: "p00500"}, {Page: 1, After: "p00500", Through: "p01000"}, {Page: 2, After: "p01000", Through: ""}}
	if n != 1233 || fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Fatalf("CutBook = %v, %d; want %v, 1233 (p00003 removed)", pages, n, want)
	}
	r := &interdict.RescreenRun{Full: true, Plan: []byte(`{"full":true}`), Actor: "ana", Parties: n}
	if err := s.CreateRescreenRun(ctx, r, pages); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.CompletePage(ctx, r.ID, 1, interdict.PageResult{Replica: "r1", Parties: 500, Screened: 500, Alerts: 2}); err != nil || !ok {
		t.Fatalf("CompletePage = %v, %v", ok, err)
	}
	if ok, err := s.CompletePage(ctx, r.ID, 1, interdict.PageResult{Replica: "r2", Parties: 500, Screened: 500, Alerts: 0, Pending: 2}); err != nil || ok {
		t.Fatalf("CompletePage of a page done = %v, %v; want false", ok, err)
	}
	open, err := s.FindOpenPages(ctx, r.ID)
	if err != nil || len(open) != 2 || open[0].Page != 0 || open[1].Page != 2 || open[1].After != "p01000" {
		t.Fatalf("FindOpenPages = %+v, %v", open, err)
	}
	if _, err := s.CompletePage(ctx, r.ID, 0, interdict.PageResult{Replica: "r2", Parties: 499, Screened: 499, Alerts: 1}); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindRescreenRun(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != interdict.RunRunning || got.Pages != 3 || got.PagesDone != 2 || got.PartiesDone != 999 || got.Alerts != 3 ||
		got.Replicas["r1"] != 1 || got.Replicas["r2"] != 1 || string(got.Plan) != `{"full":true}` {
		t.Errorf("FindRescreenRun = %+v", got)
	}
	if err := s.FinishRescreenRun(ctx, r.ID, interdict.RunDone, "", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	err = s.FinishRescreenRun(ctx, r.ID, interdict.RunFailed, "late", nil)
	if interdict.ErrorCode(err) != interdict.ECONFLICT {
		t.Errorf("finishing a run twice: %v, want ECONFLICT", err)
	}
	runs, err := s.FindRescreenRuns(ctx, "", 5)
	if err != nil || len(runs) != 1 || runs[0].State != interdict.RunDone || runs[0].FinishedAt == nil {
		t.Errorf("FindRescreenRuns = %+v, %v", runs, err)
	}
	_, err = s.FindRescreenRun(ctx, "missing")
	if interdict.ErrorCode(err) != interdict.ENOTFOUND {
		t.Errorf("FindRescreenRun(missing) = %v, want ENOTFOUND", err)
	}
}
