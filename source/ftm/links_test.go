package ftm_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/ftm"
)

// linked is a small hand-written file set in the shape of the OpenSanctions
// default export: parties, an Address, links between parties, a Sanction and
// an Identification, with one link whose other side is not in the file.
var linked = strings.Join([]string{
	`{"id": "co", "caption": "Acme LLC", "schema": "Company", "properties": {"name": ["Acme LLC"], "addressEntity": ["addr-1"], "jurisdiction": ["ru"], "innCode": ["7701234567"], "incorporationDate": ["2011-05"]}}`,
	`{"id": "p1", "caption": "Ivan Petrov", "schema": "Person", "properties": {"name": ["Ivan Petrov"], "weakAlias": ["Vanya"], "previousName": ["Ivan Sidorov"], "nationality": ["suhh", "xk"], "birthDate": ["3033"]}}`,
	`{"id": "p2", "caption": "Olga Petrova", "schema": "Person", "properties": {"name": ["Olga Petrova"]}}`,
	`{"id": "v1", "caption": "SEA STAR", "schema": "Vessel", "properties": {"name": ["SEA STAR"], "imoNumber": ["IMO9123456"], "flag": ["pa"], "buildDate": ["1999"]}}`,
	`{"id": "a1", "caption": "AIR ONE", "schema": "Airplane", "properties": {"name": ["AIR ONE"], "registrationNumber": ["EP-ABC"]}}`,
	`{"id": "addr-1", "caption": "Tverskaya 1, Moscow", "schema": "Address", "properties": {"full": ["Tverskaya 1, Moscow"], "street": ["Tverskaya 1"], "city": ["Moscow"], "country": ["ru"]}}`,
	`{"id": "own-1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["co"], "percentage": ["51"]}}`,
	`{"id": "dir-1", "schema": "Directorship", "properties": {"director": ["p2"], "organization": ["co"], "role": ["CEO"]}}`,
	`{"id": "fam-1", "schema": "Family", "properties": {"person": ["p1"], "relative": ["p2"], "relationship": ["spouse"]}}`,
	`{"id": "own-2", "schema": "Ownership", "properties": {"owner": ["co"], "asset": ["elsewhere"]}}`,
	`{"id": "san-1", "schema": "Sanction", "properties": {"entity": ["co"], "program": ["EU Russia regime"], "programId": ["EU-RUS"], "authority": ["Council of the EU"], "listingDate": ["2022-03-15"]}}`,
	`{"id": "id-1", "schema": "Passport", "properties": {"holder": ["p1"], "number": ["7512345"], "country": ["ru"]}}`,
	`{"id": "own-3", "schema": "Ownership", "properties": {"owner": ["x"], "asset": ["y"]}}`,
	`{"id": "sec-1", "schema": "Security", "properties": {"name": ["ACME 2030"]}}`,
	`{"id": "p3", "caption": "Ann Lee", "schema": "Person", "properties": {"name": ["Ann Lee"], "sanctions": [{"id": "san-2", "schema": "Sanction", "properties": {"program": ["NESTED"]}}], "addressEntity": [{"id": "addr-2", "schema": "Address", "properties": {"full": ["1 Main St, Springfield"], "country": ["us"]}}]}}`,
}, "\n")

func TestParseJSON_Links(t *testing.T) {
	res := parse(t, ftm.FormatJSON, file("linked.ftm.json", linked))
	m := byID(res)
	tests := []struct {
		name string
		id   string
		got  func(e interdict.Entity) any
		want any
	}{
		{"AddressFolded", "ftm:co", func(e interdict.Entity) any { return e.Addresses },
			[]interdict.Address{{Street: "Tverskaya 1", City: "Moscow", Country: "RU", Full: "Tverskaya 1, Moscow"}}},
		{"SanctionProgramAndListing", "ftm:co", func(e interdict.Entity) any {
			return []any{e.Programs, e.ListedOn, e.Attributes["sanction_authority"], e.Attributes["sanction_program"]}
		},
			[]any{[]string{"EU-RUS"}, "2022-03-15", []string{"Council of the EU"}, []string{"EU Russia regime"}}},
		{"CompanyRelations", "ftm:co", func(e interdict.Entity) any { return e.Relations }, []interdict.Relation{
			{Type: interdict.RelOwnedBy, Target: "ftm:p1", TargetName: "Ivan Petrov", Note: "51%"},
			{Type: interdict.RelLinkedTo, Target: "ftm:p2", TargetName: "Olga Petrova", Note: "director: CEO"},
			{Type: interdict.RelOwnerOf, Target: "ftm:elsewhere"},
		}},
		{"INNIsRussianTaxID", "ftm:co", func(e interdict.Entity) any { return e.Identifiers },
			[]interdict.Identifier{{Type: interdict.IDTax, Label: "innCode", Value: "7701234567", Country: "RU"}}},
		{"IncorporationMonth", "ftm:co", func(e interdict.Entity) any { return e.Dates },
			[]interdict.Date{{Type: interdict.DateIncorporation, From: "2011-05-01", To: "2011-05-31", Precision: interdict.PrecisionMonth, Raw: "2011-05"}}},
		{"OwnerRelations", "ftm:p1", func(e interdict.Entity) any { return e.Relations }, []interdict.Relation{
			{Type: interdict.RelOwnerOf, Target: "ftm:co", TargetName: "Acme LLC", Note: "51%"},
			{Type: interdict.RelFamily, Target: "ftm:p2", TargetName: "Olga Petrova", Note: "spouse"},
		}},
		{"DirectorRelations", "ftm:p2", func(e interdict.Entity) any { return e.Relations }, []interdict.Relation{
			{Type: interdict.RelDirector, Target: "ftm:co", TargetName: "Acme LLC", Note: "CEO"},
			{Type: interdict.RelFamily, Target: "ftm:p1", TargetName: "Ivan Petrov", Note: "spouse"},
		}},
		{"NameQualities", "ftm:p1", func(e interdict.Entity) any {
			var qs []string
			for _, n := range e.Names {
				qs = append(qs, n.Full+"/"+string(n.Quality))
			}
			return qs
		}, []string{"Ivan Petrov/primary", "Vanya/weak", "Ivan Sidorov/former"}},
		{"SovietCodeKeptKosovoResolved", "ftm:p1", func(e interdict.Entity) any { return []any{e.Nationalities, e.Attributes["nationality"]} },
			[]any{[]string{"XK"}, []string{"suhh"}}},
		{"ImpossibleDateKeptRaw", "ftm:p1", func(e interdict.Entity) any { return e.Dates },
			[]interdict.Date{{Type: interdict.DateBirth, Raw: "3033"}}},
		{"PassportFromIdentification", "ftm:p1", func(e interdict.Entity) any { return e.Identifiers },
			[]interdict.Identifier{{Type: interdict.IDPassport, Label: "Passport", Value: "7512345", Country: "RU"}}},
		{"Vessel", "ftm:v1", func(e interdict.Entity) any { return []any{e.Kind, e.Countries, e.Identifiers, e.Dates[0].Type} },
			[]any{interdict.KindVessel, []string{"PA"}, []interdict.Identifier{{Type: interdict.IDIMO, Label: "imoNumber", Value: "IMO9123456"}}, interdict.DateBuild}},
		{"AircraftRegistration", "ftm:a1", func(e interdict.Entity) any { return []any{e.Kind, e.Identifiers} },
			[]any{interdict.KindAircraft, []interdict.Identifier{{Type: interdict.IDAircraft, Label: "registrationNumber", Value: "EP-ABC"}}}},
		{"NestedSanctionAndAddress", "ftm:p3", func(e interdict.Entity) any { return []any{e.Programs, e.Addresses} },
			[]any{[]string{"NESTED"}, []interdict.Address{{Country: "US", Full: "1 Main St, Springfield"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := m[tt.id]
			if !ok {
				t.Fatalf("no entity %s", tt.id)
			}
			if diff := cmp.Diff(tt.want, tt.got(e)); diff != "" {
				t.Errorf("entity %s (-want +got):\n%s", tt.id, diff)
			}
		})
	}
	if len(res.Entities) != 6 || res.Report.Skipped != 0 {
		t.Errorf("entities %d skipped %d, want 6 parties and none skipped", len(res.Entities), res.Report.Skipped)
	}
	// Warnings: suhh, year 3033, own-3 (no party), sec-1 (not a party schema).
	var warns []string
	for _, is := range res.Report.Issues {
		warns = append(warns, is.Record+" "+is.Field)
	}
	want := []string{"p1 nationality", "p1 birthDate", "own-3 ", "sec-1 schema"}
	if diff := cmp.Diff(want, warns); diff != "" {
		t.Errorf("issues (-want +got):\n%s\n%+v", diff, res.Report.Issues)
	}
}

func seeds(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func fuzz(f *testing.F, fmtName string) {
	ft := format(f, fmtName)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ft.Parse(interdict.ListFTM, []source.File{{Name: "fuzz.json", Data: data}})
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, e := range res.Entities {
			if seen[e.ID] || !strings.HasPrefix(e.ID, "ftm:") || len(e.Names) == 0 {
				t.Fatalf("bad entity %+v", e)
			}
			seen[e.ID] = true
		}
		for _, id := range res.Deleted {
			if seen[id] {
				t.Fatalf("%s both upserted and deleted", id)
			}
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	seeds(f, "entities.ftm.json")
	f.Add([]byte(linked))
	f.Add([]byte(`{"id": "x", "schema": "Person", "properties": {"name": "scalar", "firstName": ["x"], "lastName": [1, null, {"id": "n"}]}}`))
	fuzz(f, ftm.FormatJSON)
}

func FuzzParseDelta(f *testing.F) {
	seeds(f, "20240528014702-pfh.delta.json", "20240528134729-3iv.delta.json")
	f.Add([]byte(op("ADD", "a", "Anna") + "\n" + op("DEL", "a", "") + "\n" + op("MOD", "b", "Ben")))
	fuzz(f, ftm.FormatDelta)
}
