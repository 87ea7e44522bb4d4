package cli_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/cli"
	"github.com/interdict/interdict/sqlite"
)

// openServerAt starts a server on home and waits until it is ready.
func openServerAt(t *testing.T, home string) (*cli.Server, *syncBuffer) {
	t.Helper()
	log := &syncBuffer{}
	app := testApp(home, log)
	s := cli.NewServer(app)
	s.Addr = "127.0.0.1:0"
	s.CheckEvery = 0
	if err := s.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		app.Close()
	})
	select {
	case <-s.Ready():
	case <-time.After(60 * time.Second):
		t.Fatalf("index not loaded after a minute; log:\n%s", log.String())
	}
	return s, log
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServe_BatchJobSurvivesRestart leaves a web UI batch job cut off in
// the store, as a stopped server would, and checks that the next server
// runs it again from its stored file, and that its results can still be
// downloaded after one more restart.
func TestServe_BatchJobSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	home := seededHome(t)
	db := sqlite.NewDB(filepath.Join(home, "interdict.db"))
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	jobs := sqlite.NewJobStore(db)
	j := &interdict.Job{Kind: "screen", Owner: "ana", Input: "customers.csv", Total: 2}
	if err := jobs.CreateJob(ctx, j, []byte("id,name,dob\nc1,Majid Kakavand,yesterday\nc2,Zebulon Quartermaine,\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobRunning, Total: 2, Done: 1}); err != nil {
		t.Fatal(err)
	}

	s, log := openServerAt(t, home)
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := jobs.FindJob(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State == interdict.JobDone {
			if got.Done != 2 || got.Alerts != 1 || got.Errors != 0 {
				t.Errorf("resumed job ended as %+v, want 2 rows done, 1 alert", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cut-off job did not finish within 30s: %+v; log:\n%s", got, log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	code, first := get(t, s.URL()+"/batch/"+j.ID+"/results.csv")
	if code != 200 || !strings.HasPrefix(first, "id,name,dob,alert,hits,") || !strings.Contains(first, "c1,Majid Kakavand,yesterday,true,") ||
		!strings.Contains(first, "dob: not a date") || !strings.Contains(first, "c2,Zebulon Quartermaine,,false,0,") {
		t.Fatalf("results: %d\n%s", code, first)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s2, _ := openServerAt(t, home)
	code, again := get(t, s2.URL()+"/batch/"+j.ID+"/results.csv")
	if code != 200 || again != first {
		t.Errorf("after a restart: %d\n%s\nwant the same results:\n%s", code, again, first)
	}
	code, page := get(t, s2.URL()+"/batch")
	if code != 200 || !strings.Contains(page, "customers.csv") {
		t.Errorf("the batch page after a restart does not list the job: %d", code)
	}
}

// TestServe_UpdateEvery checks that `serve --update-every` downloads and
// imports a new list version by itself, and that the version is served at
// once through the event the store publishes (the check of the store is
// off here).
func TestServe_UpdateEvery(t *testing.T) {
	un := gunzipFile(t, "UN_consolidated_2026-02-27.xml.gz")
	k := strings.Index(un, "<FIRST_NAME>")
	un = un[:k] + "<FIRST_NAME>Updated " + un[k+len("<FIRST_NAME>"):]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, un) }))
	defer srv.Close()
	home := seededHome(t)
	if err := os.WriteFile(filepath.Join(home, "config.json"), []byte(`{"sources": {"un": ["`+srv.URL+`/consolidated.xml"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	app := testApp(home, log)
	app.HTTPClient = srv.Client()
	s := cli.NewServer(app)
	s.Addr = "127.0.0.1:0"
	s.CheckEvery = 0
	s.UpdateEvery = 100 * time.Millisecond
	if err := s.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer func() {
		s.Close()
		app.Close()
	}()
	<-s.Ready()
	deadline := time.Now().Add(60 * time.Second)
	for s.Service.Current().Version("un") != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the updated UN list was not served within 60s; log:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(log.String(), `"msg":"list update","list":"un","status":"imported","version":2`) {
		t.Errorf("the update is not logged:\n%s", log.String())
	}
	code, body := get(t, s.URL()+"/v1/screen?name="+url.QueryEscape(strings.SplitN(un[k+len("<FIRST_NAME>"):], "<", 2)[0]))
	if code != 200 || !strings.Contains(body, `"un":"2"`) {
		t.Errorf("screen after the update: %d %s", code, body)
	}
}
