package interdict_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
)

func TestDiffEntities(t *testing.T) {
	mk := func(id, name string, programs ...string) interdict.Entity {
		return interdict.Entity{ID: "un:" + id, List: "un", SourceID: id, Kind: interdict.KindPerson,
			Names: []interdict.Name{{Full: name, Quality: interdict.NamePrimary}}, Programs: programs}
	}
	old := []interdict.Entity{mk("1", "KEPT"), mk("2", "GONE"), mk("3", "AMENDED", "IRAQ")}
	new := []interdict.Entity{mk("3", "AMENDED", "IRAQ", "DPRK"), mk("1", "KEPT"), mk("4", "NEW")}
	d := interdict.DiffEntities("un", 1, 2, old, new)
	type row struct {
		Type   interdict.ChangeType
		ID     string
		Fields []string
	}
	var got []row
	for _, c := range d.Changes {
		got = append(got, row{c.Type, c.ID, c.Fields})
	}
	want := []row{
		{interdict.ChangeAdded, "un:4", nil},
		{interdict.ChangeRemoved, "un:2", nil},
		{interdict.ChangeChanged, "un:3", []string{"programs"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("DiffEntities mismatch (-want +got):\n%s", diff)
	}
	if d.Added != 1 || d.Removed != 1 || d.Changed != 1 {
		t.Fatalf("counts = %d/%d/%d, want 1/1/1", d.Added, d.Removed, d.Changed)
	}
}

func TestEntityHash_IgnoresNothing(t *testing.T) {
	a := interdict.Entity{ID: "un:1", Names: []interdict.Name{{Full: "A"}}}
	b := a
	b.Remarks = []string{"changed"}
	if a.Hash() == b.Hash() {
		t.Fatal("hash did not change with remarks")
	}
}
