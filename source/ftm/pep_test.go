package ftm_test

import (
	"strings"
	"testing"

	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/ftm"
)

// pepLines are FtM entities in the shape of OpenSanctions' PEP datasets
// (invented names): a PEP, a relative, and the Family link between them.
const pepLines = `{"id":"Q-pep-1","schema":"Person","caption":"Aurelio Mendoza Castillo","properties":{"name":["Aurelio Mendoza Castillo"],"position":["Minister of Finance"],"country":["pe"],"topics":["role.pep"]},"datasets":["peps"]}
{"id":"Q-rca-1","schema":"Person","caption":"Lucía Mendoza Paredes","properties":{"name":["Lucía Mendoza Paredes"],"topics":["role.rca"]},"datasets":["peps"]}
{"id":"Q-fam-1","schema":"Family","properties":{"person":["Q-pep-1"],"relative":["Q-rca-1"],"relationship":["Daughter"]},"datasets":["peps"]}
`

// TestParse_PEPUnderListName: FtM data imported under a list name of the
// institution's own gets that list's IDs, and keeps the PEP topics that
// mark its hits.
func TestParse_PEPUnderListName(t *testing.T) {
	res, err := source.Parse(ftm.Formats[0], "peps", []source.File{{Name: "peps.ftm.json", Data: []byte(pepLines)}})
	if err != nil {
		t.Fatal(err)
	}
	res.Finish()
	if len(res.Entities) != 2 {
		t.Fatalf("%d entities, want 2: %+v", len(res.Entities), res.Report.Issues)
	}
	topics := map[string]string{}
	for _, e := range res.Entities {
		if !strings.HasPrefix(e.ID, "peps:") || e.List != "peps" {
			t.Errorf("entity %s of list %s, want peps:...", e.ID, e.List)
		}
		topics[e.ID] = strings.Join(e.Attributes["topics"], ",")
		for _, r := range e.Relations {
			if !strings.HasPrefix(r.Target, "peps:") {
				t.Errorf("%s: relation to %q, want a peps: target", e.ID, r.Target)
			}
		}
	}
	if topics["peps:Q-pep-1"] != "role.pep" || topics["peps:Q-rca-1"] != "role.rca" {
		t.Errorf("topics %v, want role.pep and role.rca kept", topics)
	}
}
