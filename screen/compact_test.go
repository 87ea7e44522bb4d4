package screen_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/ftm"
)

// TestCompactEntities: compacted entities hold the same values, field by
// field, as the entities read (real FtM data: names with parts in several
// scripts, identifiers, addresses, relations, attributes).
func TestCompactEntities(t *testing.T) {
	data, err := os.ReadFile("../source/ftm/testdata/entities.ftm.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := source.ParseAll(ftm.Formats, []source.File{{Name: "entities.ftm.json", Path: "entities.ftm.json", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	ents := res[0].Entities
	if len(ents) < 2 {
		t.Fatalf("%d entities read", len(ents))
	}
	// A copy sharing nothing with ents, twice over, so that interning
	// has duplicates to merge.
	b, err := json.Marshal(append(ents, ents...))
	if err != nil {
		t.Fatal(err)
	}
	var want, got []interdict.Entity
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	screen.CompactEntities(got)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("compacted entities differ (-want +got):\n%s", d)
	}
	if len(got[0].Names) > 0 && cap(got[0].Names) != len(got[0].Names) {
		t.Errorf("names of %s: cap %d, want %d", got[0].ID, cap(got[0].Names), len(got[0].Names))
	}
}
