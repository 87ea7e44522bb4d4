package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/storetest"
	"github.com/interdict/interdict/postgres"
)

func TestListStoreContract(t *testing.T) {
	storetest.ListStore(t, func(t *testing.T, events interdict.Events) interdict.ListStore {
		s := postgres.NewListStore(MustOpenDB(t))
		s.Events = events
		return s
	})
}

// Versions stored at once by several replicas (separate connection pools
// on one schema) are numbered 1..n without a gap or a duplicate, and one
// of them is current.
func TestListStoreConcurrentVersions(t *testing.T) {
	db := MustOpenDB(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := postgres.NewListStore(db)
			v := &interdict.ListVersion{List: "un", Checksum: fmt.Sprintf("c%d", i), Current: true}
			errs <- s.CreateListVersion(context.Background(), v, []interdict.Entity{{ID: "un:1", List: "un", SourceID: "1", Kind: interdict.KindPerson,
				Names: []interdict.Name{{Full: "ONE", Quality: interdict.NamePrimary}}}})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	vs, err := postgres.NewListStore(db).FindListVersions(context.Background(), "un")
	if err != nil {
		t.Fatal(err)
	}
	current := 0
	for i, v := range vs {
		if v.Version != n-i {
			t.Errorf("version %d of %d is numbered %d", i, n, v.Version)
		}
		if v.Current {
			current++
		}
	}
	if len(vs) != n || current != 1 {
		t.Errorf("%d versions, %d current; want %d, 1", len(vs), current, n)
	}
}

// Only one session holds a lock; it is free again once unlocked.
func TestTryLock(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	l, err := db.TryLock(ctx, "rescreen")
	if err != nil || l == nil {
		t.Fatalf("first TryLock = %v, %v", l, err)
	}
	l2, err := db.TryLock(ctx, "rescreen")
	if err != nil || l2 != nil {
		t.Fatalf("second TryLock while held = %v, %v; want nil, nil", l2, err)
	}
	other, err := db.TryLock(ctx, "update")
	if err != nil || other == nil {
		t.Fatalf("TryLock of another name = %v, %v", other, err)
	}
	if err := other.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l3, err := db.TryLock(ctx, "rescreen")
	if err != nil || l3 == nil {
		t.Fatalf("TryLock after Unlock = %v, %v", l3, err)
	}
	l3.Unlock()
}
