package ingest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/ingest"
	"github.com/interdict/interdict/inmem"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/dpl"
	"github.com/interdict/interdict/source/un"
	"github.com/interdict/interdict/sqlite"
)

func unSample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "source", "un", "testdata", "consolidated_sample.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newPipeline returns a pipeline into a fresh SQLite store that publishes
// on events.
func newPipeline(t *testing.T, events interdict.Events) (*ingest.Pipeline, *sqlite.ListStore) {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "interdict.db"))
	if err := db.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lists := sqlite.NewListStore(db)
	lists.Events = events
	formats := append(append([]source.Format{}, un.Formats...), dpl.Formats...)
	return &ingest.Pipeline{Lists: lists, Formats: formats}, lists
}

func TestPipeline_Seed(t *testing.T) {
	ctx := context.Background()
	p, lists := newPipeline(t, nil)
	files := []source.File{{Name: "consolidated.xml", Path: "snapshot/consolidated.xml", Data: unSample(t)}}
	did, err := p.Seed(ctx, files, source.ImportOptions{Published: map[string]string{"un": "2026-02-27"}})
	if err != nil || !did {
		t.Fatalf("Seed of an empty store = %v, %v; want an import", did, err)
	}
	vs, err := lists.FindCurrentVersions(ctx)
	if err != nil || len(vs) != 1 || vs[0].List != "un" || vs[0].Published != "2026-02-27" || vs[0].Total == 0 {
		t.Fatalf("after Seed: %+v, %v", vs, err)
	}
	if did, err := p.Seed(ctx, files, source.ImportOptions{}); err != nil || did {
		t.Errorf("Seed of a store with lists = %v, %v; want nothing done", did, err)
	}
}

// TestPipeline_Update fetches from a test server: the list is imported and
// its version published on the event bus; a failed download, a file of
// another list and a list with no URL each leave the list as it was.
func TestPipeline_Update(t *testing.T) {
	ctx := context.Background()
	sample := unSample(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/un.xml":
			w.Write(sample)
		case "/other.xml": // a UN file where the DPL should be
			w.Write(sample)
		default:
			http.Error(w, "gone", http.StatusNotFound)
		}
	}))
	defer srv.Close()
	events := inmem.NewEvents()
	sub, cancel := context.WithCancel(ctx)
	defer cancel()
	ch, err := events.Subscribe(sub)
	if err != nil {
		t.Fatal(err)
	}
	p, lists := newPipeline(t, events)
	sources := map[string][]string{
		interdict.ListUN:     {srv.URL + "/un.xml"},
		interdict.ListBISDPL: {srv.URL + "/other.xml"},
		interdict.ListEU:     {srv.URL + "/missing.xml"},
	}
	res, err := p.Update(ctx, sources, []string{interdict.ListUN, interdict.ListBISDPL, interdict.ListEU, interdict.ListUK}, source.ImportOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Failed, ",") != "bis-dpl,eu,uk" {
		t.Errorf("Failed = %v, want bis-dpl, eu, uk", res.Failed)
	}
	reasons := map[string]string{}
	for _, o := range res.Outcomes {
		reasons[o.List] = o.Status + ": " + o.Reason
	}
	for list, want := range map[string]string{
		"un":      "imported: ",
		"bis-dpl": "is a file of list un, expected bis-dpl",
		"eu":      "404",
		"uk":      "no download URL configured",
	} {
		if !strings.Contains(reasons[list], want) {
			t.Errorf("%s: %q, want it to contain %q", list, reasons[list], want)
		}
	}
	select {
	case e := <-ch:
		if e.Type != interdict.EventListVersionStored || e.List != "un" || e.Version != 1 || !e.Current {
			t.Errorf("event %+v, want un version 1 stored as current", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event for the imported version")
	}
	vs, _ := lists.FindCurrentVersions(ctx)
	if len(vs) != 1 || vs[0].List != "un" {
		t.Errorf("current versions %+v, want un only", vs)
	}
	if _, err := p.Update(ctx, sources, []string{"atlantis"}, source.ImportOptions{}); interdict.ErrorCode(err) != interdict.EINVALID {
		t.Errorf("Update of an unknown list: %v, want invalid", err)
	}
}
