package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/sqlite"
)

// importVersion opens the database at path as a process of its own would
// (its own pool, its own migration on a first run) and stores a version of
// list with n entities.
func importVersion(ctx context.Context, path, list string, n int) error {
	db := sqlite.NewDB(path)
	if err := db.Open(ctx); err != nil {
		return err
	}
	defer db.Close()
	ents := make([]interdict.Entity, n)
	for i := range ents {
		id := fmt.Sprintf("%d", i)
		ents[i] = interdict.Entity{ID: list + ":" + id, List: list, SourceID: id, Kind: interdict.KindOrganization,
			Names: []interdict.Name{{Full: fmt.Sprintf("COMPANY %d OF %s", i, list), Quality: interdict.NamePrimary, Script: "Latn"}}}
	}
	v := &interdict.ListVersion{List: list, Checksum: "sum-" + list, Current: true, Total: n,
		Counts: map[interdict.Kind]int{interdict.KindOrganization: n}}
	return sqlite.NewListStore(db).CreateListVersion(ctx, v, ents)
}

// TestDB_ConcurrentFirstImports starts two imports together on a new home,
// 20 times: both migrate the new database (once between them) and both
// store their version, whether they import the same list or two lists.
func TestDB_ConcurrentFirstImports(t *testing.T) {
	ctx := context.Background()
	failures := 0
	for i := 0; i < 20; i++ {
		path := filepath.Join(t.TempDir(), "interdict.db")
		lists := [2]string{"un", "ofac-sdn"}
		if i%2 == 1 {
			lists[1] = "un" // the same list: two versions, one after the other
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for j := range lists {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[j] = importVersion(ctx, path, lists[j], 3000)
			}()
		}
		close(start)
		wg.Wait()
		for j, err := range errs {
			if err != nil {
				failures++
				t.Errorf("run %d, import of %s: %v", i+1, lists[j], err)
			}
		}
		db := sqlite.NewDB(path)
		if err := db.Open(ctx); err != nil {
			t.Fatal(err)
		}
		vs, err := sqlite.NewListStore(db).FindListVersions(ctx, "")
		db.Close()
		if err != nil || len(vs) != 2 {
			t.Errorf("run %d: %d versions stored, want 2 (%v)", i+1, len(vs), err)
		}
	}
	t.Logf("%d of 40 imports failed", failures)
}

func TestDB_FileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "interdict.db")
	db := sqlite.NewDB(path)
	if err := db.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, p := range []string{path, path + "-wal", path + ".lock"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if mode := st.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), mode)
		}
	}
}
