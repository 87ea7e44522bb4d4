// Package storetest holds the contract test suites of interdict's storage
// and event contracts. Every adapter runs them from its own tests, so that
// SQLite, the in-memory bus and any later adapter (PostgreSQL, NATS) behave
// the same: storetest.ListStore(t, newStore) and so on.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
)

// wait is how long a suite waits for an event that should arrive.
const wait = 5 * time.Second

func entity(list, id, name string) interdict.Entity {
	return interdict.Entity{ID: list + ":" + id, List: list, SourceID: id, Kind: interdict.KindPerson,
		Names: []interdict.Name{{Full: name, Quality: interdict.NamePrimary, Script: "Latn"}}}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := interdict.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// ListStore runs the interdict.ListStore contract on fresh stores made by
// newStore, which must publish to events (when not nil) each version made
// current.
func ListStore(t *testing.T, newStore func(t *testing.T, events interdict.Events) interdict.ListStore) {
	ctx := context.Background()

	t.Run("VersionsAndEntities", func(t *testing.T) {
		s := newStore(t, nil)
		ents := []interdict.Entity{entity("un", "QDi.1", "ONE"), entity("un", "QDi.2", "TWO")}
		v1 := &interdict.ListVersion{List: "un", Checksum: "c1", Current: true, Total: 2, Counts: map[interdict.Kind]int{interdict.KindPerson: 2},
			Sources: []interdict.SourceFile{{Name: "un.xml", Size: 10, SHA256: "ab"}}, Report: interdict.ImportReport{Records: 2, Entities: 2}}
		if err := s.CreateListVersion(ctx, v1, ents); err != nil {
			t.Fatal(err)
		}
		v2 := &interdict.ListVersion{List: "un", Checksum: "c2", Current: true, Total: 1}
		if err := s.CreateListVersion(ctx, v2, ents[:1]); err != nil {
			t.Fatal(err)
		}
		if v1.Version != 1 || v2.Version != 2 {
			t.Fatalf("versions numbered %d, %d; want 1, 2", v1.Version, v2.Version)
		}
		got, err := s.FindEntities(ctx, "un", 1)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, ents) {
			t.Errorf("FindEntities(un, 1) = %+v, want %+v", got, ents)
		}
		vs, err := s.FindListVersions(ctx, "un")
		if err != nil || len(vs) != 2 || vs[0].Version != 2 || !vs[0].Current || vs[1].Current {
			t.Fatalf("FindListVersions = %+v, %v; want 2 (current), 1", vs, err)
		}
		if vs[1].Report.Records != 2 || len(vs[1].Sources) != 1 || vs[1].Counts[interdict.KindPerson] != 2 {
			t.Errorf("version 1 read back as %+v", vs[1])
		}
		cur, err := s.FindCurrentVersions(ctx)
		if err != nil || len(cur) != 1 || cur[0].Version != 2 {
			t.Fatalf("FindCurrentVersions = %+v, %v; want un version 2", cur, err)
		}
		e, v, err := s.FindEntityByID(ctx, "un:QDi.1")
		if err != nil || e.PrimaryName() != "ONE" || v.Version != 2 {
			t.Fatalf("FindEntityByID(un:QDi.1) = %+v, %+v, %v", e, v, err)
		}
		_, _, err = s.FindEntityByID(ctx, "un:QDi.2") // only on version 1
		wantCode(t, "FindEntityByID of an entity off the current version", err, interdict.ENOTFOUND)
		_, err = s.FindListVersion(ctx, "un", 9)
		wantCode(t, "FindListVersion of a missing version", err, interdict.ENOTFOUND)
		_, err = s.FindEntities(ctx, "un", 9)
		wantCode(t, "FindEntities of a missing version", err, interdict.ENOTFOUND)
		err = s.SetCurrentVersion(ctx, "un", 9)
		wantCode(t, "SetCurrentVersion of a missing version", err, interdict.ENOTFOUND)
		if err := s.SetCurrentVersion(ctx, "un", 1); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.FindEntityByID(ctx, "un:QDi.2"); err != nil {
			t.Errorf("after going back to version 1: %v", err)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		s := newStore(t, nil)
		wantCode(t, "a version with no list", s.CreateListVersion(ctx, &interdict.ListVersion{Checksum: "x"}, nil), interdict.EINVALID)
		wantCode(t, "a version with no checksum", s.CreateListVersion(ctx, &interdict.ListVersion{List: "un"}, nil), interdict.EINVALID)
	})

	t.Run("Generation", func(t *testing.T) {
		s := newStore(t, nil)
		g0, err := s.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if g, _ := s.Generation(ctx); g != g0 {
			t.Fatalf("Generation changed with no write: %q, then %q", g0, g)
		}
		if err := s.CreateListVersion(ctx, &interdict.ListVersion{List: "un", Checksum: "a", Current: true}, nil); err != nil {
			t.Fatal(err)
		}
		g1, _ := s.Generation(ctx)
		if g1 == g0 {
			t.Errorf("Generation %q did not change when a version became current", g1)
		}
		if err := s.CreateListVersion(ctx, &interdict.ListVersion{List: "un", Checksum: "b", Current: true}, nil); err != nil {
			t.Fatal(err)
		}
		g2, _ := s.Generation(ctx)
		if g2 == g1 {
			t.Errorf("Generation %q did not change on a second version", g2)
		}
		if err := s.SetCurrentVersion(ctx, "un", 1); err != nil {
			t.Fatal(err)
		}
		if g3, _ := s.Generation(ctx); g3 == g2 {
			t.Errorf("Generation %q did not change when an older version was made current", g3)
		}
	})

	t.Run("Events", func(t *testing.T) {
		ev := &recorder{}
		s := newStore(t, ev)
		if err := s.CreateListVersion(ctx, &interdict.ListVersion{List: "eu", Checksum: "a", Current: true}, []interdict.Entity{entity("eu", "1", "A")}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateListVersion(ctx, &interdict.ListVersion{List: "eu", Checksum: "b", Current: true}, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCurrentVersion(ctx, "eu", 1); err != nil {
			t.Fatal(err)
		}
		want := []interdict.Event{
			{Type: interdict.EventListVersionStored, List: "eu", Version: 1, Current: true},
			{Type: interdict.EventListVersionStored, List: "eu", Version: 2, Current: true},
			{Type: interdict.EventListVersionStored, List: "eu", Version: 1, Current: true},
		}
		got := ev.events()
		for i := range got {
			got[i].At = time.Time{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("events published = %+v, want %+v", got, want)
		}
	})
}

// recorder is an interdict.Events that keeps what is published.
type recorder struct {
	mu  sync.Mutex
	got []interdict.Event
}

func (r *recorder) Publish(ctx context.Context, e interdict.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, e)
	return nil
}

func (r *recorder) Subscribe(ctx context.Context) (<-chan interdict.Event, error) {
	return nil, errors.New("recorder: no subscriptions")
}

func (r *recorder) events() []interdict.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// JobStore runs the interdict.JobStore contract on fresh stores made by
// newStore.
func JobStore(t *testing.T, newStore func(t *testing.T) interdict.JobStore) {
	ctx := context.Background()

	t.Run("Lifecycle", func(t *testing.T) {
		s := newStore(t)
		input := []byte("name\nMajid Kakavand\n")
		j := &interdict.Job{Kind: "screen", Owner: "ana", Input: "customers.csv", Options: []byte(`{"strict":false}`), Total: 1}
		if err := s.CreateJob(ctx, j, input); err != nil {
			t.Fatal(err)
		}
		if j.ID == "" || j.State != interdict.JobQueued || j.CreatedAt.IsZero() {
			t.Fatalf("created job %+v: want an ID, state queued and a creation time", j)
		}
		got, err := s.FindJob(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != "screen" || got.Owner != "ana" || got.Input != "customers.csv" || string(got.Options) != `{"strict":false}` || got.Total != 1 || !got.CreatedAt.Equal(j.CreatedAt) {
			t.Errorf("FindJob = %+v, want %+v", got, j)
		}
		in, err := s.FindJobInput(ctx, j.ID)
		if err != nil || string(in) != string(input) {
			t.Errorf("FindJobInput = %q, %v; want %q", in, err, input)
		}
		_, err = s.FindJobResult(ctx, j.ID)
		wantCode(t, "FindJobResult before any result", err, interdict.ENOTFOUND)

		u, err := s.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobRunning, Total: 1})
		if err != nil || u.State != interdict.JobRunning {
			t.Fatalf("UpdateJob running = %+v, %v", u, err)
		}
		result := []byte("row,alert\n1,true\n")
		if err := s.SetJobResult(ctx, j.ID, result); err != nil {
			t.Fatal(err)
		}
		u, err = s.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobDone, Total: 1, Done: 1, Alerts: 1})
		if err != nil || u.State != interdict.JobDone || u.Done != 1 || u.Alerts != 1 {
			t.Fatalf("UpdateJob done = %+v, %v", u, err)
		}
		got, err = s.FindJob(ctx, j.ID)
		if err != nil || got.State != interdict.JobDone || got.Done != 1 || got.Alerts != 1 || got.Errors != 0 {
			t.Errorf("after done: %+v, %v", got, err)
		}
		res, err := s.FindJobResult(ctx, j.ID)
		if err != nil || string(res) != string(result) {
			t.Errorf("FindJobResult = %q, %v; want %q", res, err, result)
		}
		_, err = s.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobRunning})
		wantCode(t, "UpdateJob of a finished job", err, interdict.ECONFLICT)

		if err := s.DeleteJob(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindJob(ctx, j.ID)
		wantCode(t, "FindJob after DeleteJob", err, interdict.ENOTFOUND)
		_, err = s.FindJobInput(ctx, j.ID)
		wantCode(t, "FindJobInput after DeleteJob", err, interdict.ENOTFOUND)
		wantCode(t, "DeleteJob twice", s.DeleteJob(ctx, j.ID), interdict.ENOTFOUND)
	})

	t.Run("Errors", func(t *testing.T) {
		s := newStore(t)
		wantCode(t, "CreateJob with no kind", s.CreateJob(ctx, &interdict.Job{}, nil), interdict.EINVALID)
		j := &interdict.Job{ID: "fixed", Kind: "screen"}
		if err := s.CreateJob(ctx, j, nil); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "CreateJob with a taken ID", s.CreateJob(ctx, &interdict.Job{ID: "fixed", Kind: "screen"}, nil), interdict.ECONFLICT)
		_, err := s.UpdateJob(ctx, "missing", interdict.JobUpdate{State: interdict.JobRunning})
		wantCode(t, "UpdateJob of a missing job", err, interdict.ENOTFOUND)
		_, err = s.UpdateJob(ctx, "fixed", interdict.JobUpdate{State: "exploded"})
		wantCode(t, "UpdateJob to an unknown state", err, interdict.EINVALID)
		wantCode(t, "SetJobResult of a missing job", s.SetJobResult(ctx, "missing", []byte("x")), interdict.ENOTFOUND)
		_, err = s.FindJob(ctx, "missing")
		wantCode(t, "FindJob of a missing job", err, interdict.ENOTFOUND)
	})

	t.Run("FindJobs", func(t *testing.T) {
		s := newStore(t)
		var ids []string
		for i, owner := range []string{"ana", "ben", "ana"} {
			j := &interdict.Job{Kind: "screen", Owner: owner, Input: "f" + string(rune('0'+i))}
			if err := s.CreateJob(ctx, j, []byte("x")); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, j.ID)
		}
		if _, err := s.UpdateJob(ctx, ids[2], interdict.JobUpdate{State: interdict.JobFailed, Failure: "The server stopped."}); err != nil {
			t.Fatal(err)
		}
		all, err := s.FindJobs(ctx, interdict.JobFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := jobIDs(all); !slices.Equal(got, []string{ids[2], ids[1], ids[0]}) {
			t.Errorf("FindJobs() = %v, want newest first %v", got, []string{ids[2], ids[1], ids[0]})
		}
		ana, _ := s.FindJobs(ctx, interdict.JobFilter{Owner: "ana"})
		if got := jobIDs(ana); !slices.Equal(got, []string{ids[2], ids[0]}) {
			t.Errorf("FindJobs(owner ana) = %v, want %v", got, []string{ids[2], ids[0]})
		}
		failed, _ := s.FindJobs(ctx, interdict.JobFilter{State: interdict.JobFailed})
		if len(failed) != 1 || failed[0].ID != ids[2] || failed[0].Failure != "The server stopped." {
			t.Errorf("FindJobs(state failed) = %+v", failed)
		}
		one, _ := s.FindJobs(ctx, interdict.JobFilter{Limit: 1})
		if got := jobIDs(one); !slices.Equal(got, []string{ids[2]}) {
			t.Errorf("FindJobs(limit 1) = %v, want %v", got, ids[2:])
		}
	})
}

func jobIDs(js []*interdict.Job) []string {
	out := []string{}
	for _, j := range js {
		out = append(out, j.ID)
	}
	return out
}

// Events runs the interdict.Events contract on fresh buses made by
// newEvents.
func Events(t *testing.T, newEvents func(t *testing.T) interdict.Events) {
	t.Run("Delivery", func(t *testing.T) {
		b := newEvents(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c1, err := b.Subscribe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := b.Subscribe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sent := []interdict.Event{
			{Type: interdict.EventListVersionStored, List: "un", Version: 3, Current: true, At: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
			{Type: interdict.EventListVersionStored, List: "eu", Version: 7},
		}
		for _, e := range sent {
			if err := b.Publish(context.Background(), e); err != nil {
				t.Fatal(err)
			}
		}
		for i, c := range []<-chan interdict.Event{c1, c2} {
			for _, want := range sent {
				select {
				case got := <-c:
					if got.Type != want.Type || got.List != want.List || got.Version != want.Version || got.Current != want.Current || !got.At.Equal(want.At) {
						t.Errorf("subscriber %d got %+v, want %+v", i+1, got, want)
					}
				case <-time.After(wait):
					t.Fatalf("subscriber %d: no event %+v within %s", i+1, want, wait)
				}
			}
		}
	})

	t.Run("Cancel", func(t *testing.T) {
		b := newEvents(t)
		ctx, cancel := context.WithCancel(context.Background())
		c, err := b.Subscribe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		deadline := time.After(wait)
		for {
			select {
			case _, ok := <-c:
				if !ok {
					// Publishing with no subscriber left must not block or fail.
					if err := b.Publish(context.Background(), interdict.Event{Type: interdict.EventListVersionStored, List: "un", Version: 1}); err != nil {
						t.Fatal(err)
					}
					return
				}
			case <-deadline:
				t.Fatalf("the channel is still open %s after its context was cancelled", wait)
			}
		}
	})

	t.Run("Done", func(t *testing.T) {
		b := newEvents(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := b.Publish(ctx, interdict.Event{Type: interdict.EventListVersionStored}); !errors.Is(err, context.Canceled) {
			t.Errorf("Publish with a cancelled context = %v, want context.Canceled", err)
		}
		if _, err := b.Subscribe(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Subscribe with a cancelled context = %v, want context.Canceled", err)
		}
	})

	t.Run("NoSubscriber", func(t *testing.T) {
		b := newEvents(t)
		done := make(chan error, 1)
		go func() {
			done <- b.Publish(context.Background(), interdict.Event{Type: interdict.EventListVersionStored, List: "un", Version: 1})
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(wait):
			t.Fatal("Publish blocked with no subscriber")
		}
	})
}
