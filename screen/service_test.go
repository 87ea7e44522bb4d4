package screen_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/inmem"
	"github.com/interdict/interdict/screen"
)

// memStore is an interdict.ListStore in memory, enough for the service:
// one current version per list, a generation counted up on every change.
type memStore struct {
	mu       sync.Mutex
	gen      int
	versions []*interdict.ListVersion
	entities map[string][]interdict.Entity // "list/version"
	events   interdict.Events
}

func newMemStore() *memStore { return &memStore{entities: map[string][]interdict.Entity{}} }

func (s *memStore) CreateListVersion(ctx context.Context, v *interdict.ListVersion, es []interdict.Entity) error {
	s.mu.Lock()
	n := 1
	for _, o := range s.versions {
		if o.List == v.List {
			n++
			if v.Current {
				o.Current = false
			}
		}
	}
	v.Version = n
	c := *v
	s.versions = append(s.versions, &c)
	s.entities[fmt.Sprintf("%s/%d", v.List, n)] = es
	s.gen++
	s.mu.Unlock()
	if s.events != nil {
		return s.events.Publish(ctx, interdict.Event{Type: interdict.EventListVersionStored, List: v.List, Version: n, Current: v.Current})
	}
	return nil
}

func (s *memStore) FindListVersions(ctx context.Context, list string) ([]*interdict.ListVersion, error) {
	return nil, errors.New("not needed")
}

func (s *memStore) FindCurrentVersions(ctx context.Context) ([]*interdict.ListVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*interdict.ListVersion
	for _, v := range s.versions {
		if v.Current {
			c := *v
			out = append(out, &c)
		}
	}
	return out, nil
}

func (s *memStore) FindListVersion(ctx context.Context, list string, version int) (*interdict.ListVersion, error) {
	return nil, errors.New("not needed")
}

func (s *memStore) FindEntities(ctx context.Context, list string, version int) ([]interdict.Entity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	es, ok := s.entities[fmt.Sprintf("%s/%d", list, version)]
	if !ok {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "no version %d of %s", version, list)
	}
	return es, nil
}

func (s *memStore) FindEntityByID(ctx context.Context, id string) (*interdict.Entity, *interdict.ListVersion, error) {
	return nil, nil, errors.New("not needed")
}

func (s *memStore) SetCurrentVersion(ctx context.Context, list string, version int) error {
	return errors.New("not needed")
}

func (s *memStore) Generation(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprint(s.gen), nil
}

func (s *memStore) add(t testing.TB, list string, names ...string) {
	t.Helper()
	var es []interdict.Entity
	for i, n := range names {
		es = append(es, interdict.Entity{ID: fmt.Sprintf("%s:%d", list, i+1), List: list, Kind: interdict.KindPerson,
			Names: []interdict.Name{{Full: n, Quality: interdict.NamePrimary}}})
	}
	if err := s.CreateListVersion(context.Background(), &interdict.ListVersion{List: list, Checksum: fmt.Sprint(names), Current: true}, es); err != nil {
		t.Fatal(err)
	}
}

func mustService(t testing.TB, cfg screen.ServiceConfig) *screen.Service {
	t.Helper()
	if cfg.Policy.Threshold == 0 {
		cfg.Policy = screen.DefaultPolicy()
	}
	s, err := screen.NewService(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestService_Screen(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	s := mustService(t, screen.ServiceConfig{Lists: st})
	if _, err := s.Screen(ctx, interdict.Query{Name: "John Smith"}); interdict.ErrorCode(err) != interdict.EUNAVAILABLE {
		t.Fatalf("before any load: %v, want unavailable", err)
	}
	if _, err := s.Reload(ctx); interdict.ErrorCode(err) != interdict.EUNAVAILABLE {
		t.Fatalf("Reload of an empty store: %v, want unavailable", err)
	}
	st.add(t, "a", "John Smith", "Jon Smyth")
	if ok, err := s.Reload(ctx); err != nil || !ok {
		t.Fatalf("Reload = %v, %v; want a swap", ok, err)
	}
	select {
	case <-s.Ready():
	default:
		t.Fatal("not ready after the first load")
	}

	res, err := s.Screen(ctx, interdict.Query{Name: " John Smith ", DOB: "yesterday", Country: "Iran", Kind: "spaceship"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].EntityID != "a:1" || res.Lists["a"] != "1" {
		t.Errorf("hits %+v lists %v; want a:1 first, list a version 1", res.Hits, res.Lists)
	}
	var fields []string
	for _, w := range res.Warnings {
		fields = append(fields, w.Field)
	}
	if fmt.Sprint(fields) != "[type dob]" {
		t.Errorf("warnings on %v, want [type dob]: %+v", fields, res.Warnings)
	}
	if res.Query.Name != "John Smith" || res.Query.Country != "IR" || res.Query.DOB != "" {
		t.Errorf("query screened = %+v, want the name trimmed, the country IR, the dob left out", res.Query)
	}

	res, err = s.Screen(ctx, interdict.Query{Name: "Nobody Here"})
	if err != nil || res.Warnings == nil || len(res.Warnings) != 0 || res.Hits == nil {
		t.Errorf("clean query: %+v, %v; want empty, non-nil warnings and hits", res, err)
	}

	_, err = s.ScreenWith(ctx, interdict.Query{Name: "John Smith", DOB: "1974-01-32"}, screen.ScreenOptions{Strict: true})
	if interdict.ErrorCode(err) != interdict.EINVALID {
		t.Errorf("strict with a bad dob: %v, want invalid", err)
	}
	// The screener's own warning (a name that names no party) comes
	// through the service with the fields' ones.
	res, err = s.Screen(ctx, interdict.Query{Name: "x", DOB: "n/a"})
	if err != nil || res.Alert || len(res.Warnings) != 2 || res.Warnings[1].Field != "name" {
		t.Errorf("screen x: %+v, %v; want no alert, a dob then a name warning", res, err)
	}
	if _, err := s.Screen(ctx, interdict.Query{}); interdict.ErrorCode(err) != interdict.EINVALID {
		t.Errorf("empty query: %v, want invalid", err)
	}

	// A batch keeps the index it started with.
	pinned := s.Current()
	st.add(t, "a", "Someone Else")
	if ok, err := s.Reload(ctx); err != nil || !ok {
		t.Fatalf("Reload after a new version = %v, %v", ok, err)
	}
	if ok, err := s.Reload(ctx); err != nil || ok {
		t.Fatalf("Reload with nothing new = %v, %v; want no swap", ok, err)
	}
	res, _ = s.ScreenWith(ctx, interdict.Query{Name: "John Smith"}, screen.ScreenOptions{Index: pinned})
	if res.Lists["a"] != "1" || len(res.Hits) == 0 {
		t.Errorf("on the pinned index: lists %v, %d hits; want version 1 with hits", res.Lists, len(res.Hits))
	}
	res, _ = s.Screen(ctx, interdict.Query{Name: "John Smith"})
	if res.Lists["a"] != "2" {
		t.Errorf("on the current index: lists %v, want version 2", res.Lists)
	}
	if s.Swaps() != 2 {
		t.Errorf("Swaps = %d, want 2", s.Swaps())
	}
}

func TestService_Compare(t *testing.T) {
	s := mustService(t, screen.ServiceConfig{})
	c, err := s.Compare(context.Background(), interdict.Query{Name: "Muammar Gaddafi"}, interdict.Query{Name: "Moammar Qadhafi"})
	if err != nil {
		t.Fatal(err)
	}
	want := screen.Compare(screen.DefaultPolicy(), interdict.Query{Name: "Muammar Gaddafi"}, interdict.Query{Name: "Moammar Qadhafi"})
	if c.Score != want.Score || c.Policy != screen.DefaultPolicy().Hash() {
		t.Errorf("Compare = %+v, want %+v", c, want)
	}
	if _, err := s.Compare(context.Background(), interdict.Query{Name: "a", Kind: "spaceship"}, interdict.Query{Name: "b"}); interdict.ErrorCode(err) != interdict.EINVALID {
		t.Errorf("Compare with an unknown type: %v, want invalid", err)
	}
}

// TestService_RunEvents checks that a version stored in-process is served
// as soon as its event arrives, with no polling.
func TestService_RunEvents(t *testing.T) {
	ev := inmem.NewEvents()
	st := newMemStore()
	st.events = ev
	st.add(t, "a", "John Smith")
	s := mustService(t, screen.ServiceConfig{Lists: st, Events: ev, CheckEvery: -1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	<-s.Ready()
	st.add(t, "a", "John Smith", "Second Name")
	waitFor(t, 2*time.Second, func() bool { return s.Current().Version("a") == 2 })
}

// TestService_RunPoll checks that a change made behind the service's back
// (another process, with no event) is served within 2 seconds, and that no
// screen fails while indexes are swapped.
func TestService_RunPoll(t *testing.T) {
	st := newMemStore()
	st.add(t, "a", "John Smith")
	s := mustService(t, screen.ServiceConfig{Lists: st})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	<-s.Ready()
	var failures, total atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := s.Screen(context.Background(), interdict.Query{Name: "John Smith"})
				total.Add(1)
				if err != nil || len(res.Hits) == 0 {
					failures.Add(1)
				}
			}
		}()
	}
	for v := 2; v <= 3; v++ {
		st.add(t, "a", "John Smith", fmt.Sprintf("Name %d", v))
		start := time.Now()
		waitFor(t, 2*time.Second, func() bool { return s.Current().Version("a") == v })
		t.Logf("version %d served after %s", v, time.Since(start).Round(time.Millisecond))
	}
	close(stop)
	wg.Wait()
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
	if failures.Load() > 0 || total.Load() == 0 {
		t.Errorf("%d of %d screens failed during the swaps", failures.Load(), total.Load())
	}
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not done within %s", d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkService_Check is what the service adds to each screen before
// the search: the one validator with the country resolver.
func BenchmarkService_Check(b *testing.B) {
	s := mustService(b, screen.ServiceConfig{})
	q := interdict.Query{Name: "Majid Kakavand", Kind: "person", DOB: "12.03.1970", Country: "Iran"}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Check(q, false); err != nil {
			b.Fatal(err)
		}
	}
}
