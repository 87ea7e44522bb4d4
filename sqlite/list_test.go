package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/sqlite"
)

// MustOpenDB opens a fresh database in a temporary directory.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(tb.TempDir() + "/interdict.db")
	db.Now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) }
	if err := db.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func entity(id, name string) interdict.Entity {
	return interdict.Entity{ID: "un:" + id, List: "un", SourceID: id, Kind: interdict.KindPerson,
		Names: []interdict.Name{{Full: name, Quality: interdict.NamePrimary, Script: "Latn"}}}
}

func TestListStore_CreateListVersion(t *testing.T) {
	ctx := context.Background()
	s := sqlite.NewListStore(MustOpenDB(t))
	ents := []interdict.Entity{entity("QDi.1", "ONE"), entity("QDi.2", "TWO")}
	v := &interdict.ListVersion{List: "un", Checksum: "abc", Current: true, Total: 2,
		Counts: map[interdict.Kind]int{interdict.KindPerson: 2}, Report: interdict.ImportReport{Records: 2, Entities: 2}}
	if err := s.CreateListVersion(ctx, v, ents); err != nil {
		t.Fatal(err)
	}
	if v.Version != 1 {
		t.Fatalf("Version = %d, want 1", v.Version)
	}
	v2 := &interdict.ListVersion{List: "un", Checksum: "def", Current: true, Total: 1}
	if err := s.CreateListVersion(ctx, v2, ents[:1]); err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 {
		t.Fatalf("Version = %d, want 2", v2.Version)
	}

	t.Run("OK", func(t *testing.T) {
		got, err := s.FindEntities(ctx, "un", 1)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ents, got); diff != "" {
			t.Fatalf("FindEntities mismatch (-want +got):\n%s", diff)
		}
		cur, err := s.FindCurrentVersions(ctx)
		if err != nil || len(cur) != 1 || cur[0].Version != 2 {
			t.Fatalf("FindCurrentVersions = %+v, %v; want version 2", cur, err)
		}
		e, ver, err := s.FindEntityByID(ctx, "un:QDi.1")
		if err != nil || e.PrimaryName() != "ONE" || ver.Version != 2 {
			t.Fatalf("FindEntityByID = %+v, %+v, %v", e, ver, err)
		}
		old, err := s.FindListVersion(ctx, "un", 1)
		if err != nil || old.Report.Entities != 2 || old.Current {
			t.Fatalf("FindListVersion(1) = %+v, %v", old, err)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, _, err := s.FindEntityByID(ctx, "un:QDi.2"); interdict.ErrorCode(err) != interdict.ENOTFOUND {
			t.Fatalf("FindEntityByID of removed entity: err = %v, want ENOTFOUND", err)
		}
		if _, err := s.FindListVersion(ctx, "un", 9); interdict.ErrorCode(err) != interdict.ENOTFOUND {
			t.Fatalf("FindListVersion(9): err = %v, want ENOTFOUND", err)
		}
		if _, _, err := s.FindEntityByID(ctx, "nolist"); interdict.ErrorCode(err) != interdict.EINVALID {
			t.Fatalf("FindEntityByID(nolist): err = %v, want EINVALID", err)
		}
	})

	t.Run("SetCurrentVersion", func(t *testing.T) {
		if err := s.SetCurrentVersion(ctx, "un", 1); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.FindEntityByID(ctx, "un:QDi.2"); err != nil {
			t.Fatalf("entity of restored version: %v", err)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		err := s.CreateListVersion(ctx, &interdict.ListVersion{List: "un"}, nil)
		if interdict.ErrorCode(err) != interdict.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
	})
}
