package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interdict/interdict"
)

// sharedLists is where CI keeps the real official list files, beside the
// checkout.
var sharedLists = filepath.Join("..", "..", "..", "shared", "data", "lists")

// want is what MANIFEST.md of the shared data states for each list; a zero
// count is not checked.
type want struct {
	total, records                         int
	person, organization, vessel, aircraft int
	unknown                                int
	publishedNonEmpty                      bool
	extraVersions                          map[string]int // format → total for older versions
}

// TestImportSharedLists imports every official list file of the shared data
// and checks `lists status --json` against the counts its manifest states.
func TestImportSharedLists(t *testing.T) {
	if _, err := os.Stat(sharedLists); err != nil {
		t.Skipf("shared list data not found at %s (it sits beside the checkout in CI): %v", sharedLists, err)
	}
	home := t.TempDir()
	dirs := []string{"ofac_sdn", "ofac_cons", "un", "eu", "uk", "us_csl", "us_bis", "canada_sema", "australia_dfat", "opensanctions_ftm"}
	var paths []string
	for _, d := range dirs {
		paths = append(paths, filepath.Join(sharedLists, d))
	}
	code, out, errOut := run(t, home, nil, append([]string{"lists", "import", "--json"}, paths...)...)
	if code != 0 {
		t.Fatalf("import of the shared lists: exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(errOut, "skipped") {
		t.Errorf("files were skipped as unknown:\n%s", errOut)
	}

	wants := map[string]want{
		// MANIFEST: 14965 records: 6854 individual, 6884 entity, 851 vessel, 376 aircraft.
		"ofac-sdn": {total: 14965, person: 6854, organization: 6884, vessel: 851, aircraft: 376},
		// MANIFEST: consolidated XML 442 entries: 79 Individual, 363 Entity; the CSV set has the
		// same 442; the Enhanced XML of 2025-01-10 has 443. The XML is imported last (file order),
		// so it is current; the others are older versions.
		"ofac-cons": {total: 442, person: 79, organization: 363, publishedNonEmpty: true,
			extraVersions: map[string]int{"ofac-csv": 442, "ofac-enhanced-xml": 443}},
		// MANIFEST: 1003: 730 individuals, 273 entities.
		"un": {total: 1003, person: 730, organization: 273, publishedNonEmpty: true},
		// MANIFEST: 4 (2 persons, 2 enterprises).
		"eu": {total: 4, person: 2, organization: 2, publishedNonEmpty: true},
		// MANIFEST: 4 (2 individuals, 1 entity, 1 ship).
		"uk": {total: 4, person: 2, organization: 1, vessel: 1, publishedNonEmpty: true},
		// MANIFEST: 14160 rows; Individual 5286, Entity 4533, Vessel 433, Aircraft 283, blank 3625.
		// Two of the rows are the same Capta List record (15268, BANK OF KUNLUN), merged into
		// one entity with a warning, so 14159 entities and 4532 organizations.
		"csl": {total: 14159, records: 14160, person: 5286, organization: 4532, vessel: 433, aircraft: 283, unknown: 3625},
		// MANIFEST: 665 rows, 546 distinct names. Two pairs of those names are one party written
		// twice (" I. ASH" / "I. ASH", "AL-NASER  AIRLINES" / "AL NASER AIRLINES"), merged into
		// one entity each with both spellings: 544 entities.
		"bis-dpl": {total: 544, records: 665},
		// MANIFEST: 9560 name rows (7 blank), ~3165 references, 3062 primary-name rows
		// (~2316 individuals, ~746 entities). Aliases are sub-references ("1a", "34c1") of a
		// base reference with exactly one primary-name row: 3062 entities.
		"au": {total: 3062, person: 2316, organization: 746, publishedNonEmpty: true},
		// MANIFEST: 4759 records, ~3334 individuals, 109 with ShipIMONumber.
		"ca": {total: 4759, person: 3334, vessel: 109, publishedNonEmpty: true},
		// MANIFEST: 7 lines: 4 Person, 2 Organization, 1 Address (a party-less address) give 6
		// entities; the three delta files (2, 2 and 1 ops, one MOD of an ADD) then add 4
		// entities, for 10 in the current version.
		"ftm": {total: 10, extraVersions: map[string]int{"ftm-json": 6}},
	}
	st := getStatus(t, home)
	got := map[string]int{}
	for _, l := range st.Lists {
		got[l.List] = l.Total
		w, ok := wants[l.List]
		if !ok {
			continue
		}
		check := func(what string, have, want int) {
			if want != 0 && have != want {
				t.Errorf("%s: %s = %d, want %d (MANIFEST.md)", l.List, what, have, want)
			}
		}
		check("total", l.Total, w.total)
		check("records", l.Records, w.records)
		check("persons", l.Counts[interdict.KindPerson], w.person)
		check("organizations", l.Counts[interdict.KindOrganization], w.organization)
		check("vessels", l.Counts[interdict.KindVessel], w.vessel)
		check("aircraft", l.Counts[interdict.KindAircraft], w.aircraft)
		check("unknown kind", l.Counts[interdict.KindUnknown], w.unknown)
		if l.Skipped != 0 {
			t.Errorf("%s: %d records skipped", l.List, l.Skipped)
		}
		if w.publishedNonEmpty && l.Published == "" {
			t.Errorf("%s: no publication date", l.List)
		}
		if len(w.extraVersions) > 0 {
			code, out, _ := run(t, home, nil, "lists", "versions", l.List, "--json")
			var vs struct {
				Versions []interdict.ListVersion `json:"versions"`
			}
			if err := json.Unmarshal([]byte(out), &vs); err != nil || code != 0 {
				t.Fatalf("lists versions %s: exit %d, %v", l.List, code, err)
			}
			for format, total := range w.extraVersions {
				found := false
				for _, v := range vs.Versions {
					if v.Format == format && v.Total == total {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: no %s version with %d entities among %d versions", l.List, format, total, len(vs.Versions))
				}
			}
		}
	}
	for _, l := range []string{"ofac-sdn", "ofac-cons", "un", "eu", "uk", "csl", "bis-dpl", "ca", "au", "ftm"} {
		if got[l] == 0 {
			t.Errorf("list %s was not imported", l)
		}
	}
}
