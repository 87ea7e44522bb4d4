package ftm_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/ftm"
)

const realDir = "../../../shared/data/lists/opensanctions_ftm"

func format(t testing.TB, name string) source.Format {
	t.Helper()
	for _, f := range ftm.Formats {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no format %q", name)
	return source.Format{}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func file(name, data string) source.File {
	return source.File{Name: name, Path: name, Data: []byte(data)}
}

func parse(t testing.TB, fmtName string, files ...source.File) *source.Result {
	t.Helper()
	res, err := format(t, fmtName).Parse(interdict.ListFTM, files)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return res
}

func byID(res *source.Result) map[string]interdict.Entity {
	m := map[string]interdict.Entity{}
	for _, e := range res.Entities {
		m[e.ID] = e
	}
	return m
}

type golden struct {
	Format    string                 `json:"format"`
	Publisher string                 `json:"publisher"`
	Published string                 `json:"published"`
	Delta     bool                   `json:"delta,omitempty"`
	Deleted   []string               `json:"deleted,omitempty"`
	Report    interdict.ImportReport `json:"report"`
	Entities  []interdict.Entity     `json:"entities"`
}

func checkGolden(t *testing.T, path string, res *source.Result) {
	t.Helper()
	sourcetest.Golden(t, path, golden{res.Format, res.Publisher, res.Published, res.Delta, res.Deleted, res.Report, res.Entities})
}

func TestParseJSON_Golden(t *testing.T) {
	res := parse(t, ftm.FormatJSON, source.File{Name: "entities.ftm.json", Data: mustRead(t, "testdata/entities.ftm.json")})
	checkGolden(t, "testdata/entities.ftm.json.golden", res)
}

func TestParseDelta_Golden(t *testing.T) {
	var files []source.File
	for _, n := range []string{"20240528014702-pfh.delta.json", "20240528134729-3iv.delta.json"} {
		files = append(files, source.File{Name: n, Data: mustRead(t, filepath.Join("testdata", n))})
	}
	checkGolden(t, "testdata/delta.golden", parse(t, ftm.FormatDelta, files...))
}

func TestParseJSON_Sample(t *testing.T) {
	res := parse(t, ftm.FormatJSON, source.File{Name: "entities.ftm.json", Data: mustRead(t, "testdata/entities.ftm.json")})
	m := byID(res)
	tests := []struct {
		name  string
		id    string
		check func(e interdict.Entity) string
	}{
		{"CaptionIsPrimary", "ftm:NK-2GdmHtZTeNXjNVrBGEXZNj", func(e interdict.Entity) string {
			return cmp.Diff("RAB „Inter Tobacco“", e.PrimaryName())
		}},
		{"CyrillicNameIsOriginalScript", "ftm:NK-2Ka3UvopqbpZmVDFjWd4LA", func(e interdict.Entity) string {
			for _, n := range e.Names {
				if n.Script == "Cyrl" && n.Quality != interdict.NameOriginal {
					return "cyrillic name " + n.Full + " is " + string(n.Quality)
				}
			}
			return ""
		}},
		{"NamePartsFromFirstAndLastName", "ftm:NK-2Ka3UvopqbpZmVDFjWd4LA", func(e interdict.Entity) string {
			return cmp.Diff([]interdict.NamePart{{Type: interdict.PartGiven, Value: "Vitaly"}, {Type: interdict.PartFamily, Value: "KUZMENKO"}}, e.Names[0].Parts)
		}},
		{"PersonFields", "ftm:NK-2Myxbs6wX9xFKGoQn3sLaY", func(e interdict.Entity) string {
			want := struct {
				Nat, Countries []string
				Gender         string
				Birth          interdict.Date
				Place          []interdict.Place
				Titles         []string
			}{[]string{"BY"}, []string{"BY"}, "male",
				interdict.Date{Type: interdict.DateBirth, From: "1971-07-03", To: "1971-07-03", Precision: interdict.PrecisionDay, Raw: "1971-07-03"},
				[]interdict.Place{{Text: "BELARUS, Komsomolskaya", Country: "BY"}},
				[]string{"Colonel", "Deputy Commander for Armaments and Head of the Belarusian Air Force and Air Defence Forces Armament Department"}}
			got := want
			got.Nat, got.Countries, got.Gender, got.Place, got.Titles = e.Nationalities, e.Countries, e.Gender, e.BirthPlaces, e.Titles
			if len(e.Dates) == 1 {
				got.Birth = e.Dates[0]
			} else {
				got.Birth = interdict.Date{}
			}
			return cmp.Diff(want, got)
		}},
		{"IdentifiersAndListing", "ftm:NK-2Ka3UvopqbpZmVDFjWd4LA", func(e interdict.Entity) string {
			if e.ListedOn != "2024-02-23" || e.SourceURL != "https://www.opensanctions.org/entities/NK-2Ka3UvopqbpZmVDFjWd4LA/" {
				return "listed_on " + e.ListedOn + " url " + e.SourceURL
			}
			return cmp.Diff([]interdict.Identifier{{Type: interdict.IDTax, Label: "taxNumber", Value: "366510784303"}}, e.Identifiers)
		}},
		{"UnresolvedAddressReferenceKept", "ftm:NK-2PacmNpiLUmoz4XD2mSt7A", func(e interdict.Entity) string {
			return cmp.Diff([]string{"addr-9bdb8d404e2618cfce08d3b3d400c1433c634849"}, e.Attributes["addressEntity"])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := m[tt.id]
			if !ok {
				t.Fatalf("no entity %s", tt.id)
			}
			if msg := tt.check(e); msg != "" {
				t.Errorf("entity %s: %s", tt.id, msg)
			}
		})
	}
}

// TestRealFiles checks the counts in shared/data/lists/MANIFEST.md.
func TestRealFiles(t *testing.T) {
	if _, err := os.Stat(realDir); err != nil {
		t.Skipf("shared list data not found at %s (it sits beside the checkout in CI): %v", realDir, err)
	}
	read := func(name string) source.File {
		return source.File{Name: name, Path: filepath.Join(realDir, name), Data: mustRead(t, filepath.Join(realDir, name))}
	}
	t.Run("Entities", func(t *testing.T) {
		f := read("yente_t1_entities.ftm.json")
		checkDetect(t, f, ftm.FormatJSON)
		res := parse(t, ftm.FormatJSON, f)
		// MANIFEST: 7 lines: 4 Person, 2 Organization, 1 Address. The Address is
		// referenced by neither organisation: 6 entities and one warning.
		kinds := map[interdict.Kind]int{}
		for _, e := range res.Entities {
			kinds[e.Kind]++
		}
		got := []int{res.Report.Records, len(res.Entities), kinds[interdict.KindPerson], kinds[interdict.KindOrganization], res.Report.Skipped, res.Report.Warnings}
		if diff := cmp.Diff([]int{7, 6, 4, 2, 0, 1}, got); diff != "" {
			t.Errorf("records, entities, persons, organizations, skipped, warnings (-want +got):\n%s", diff)
		}
		if res.Published != "2024-06-01" {
			t.Errorf("published %q, want 2024-06-01", res.Published)
		}
	})
	t.Run("Deltas", func(t *testing.T) {
		names := []string{
			"yente_t2_20240527194702-wnk_entities.delta.json",
			"yente_t2_20240528014702-pfh_entities.delta.json",
			"yente_t2_20240528134729-3iv_entities.delta.json",
		}
		var files []source.File
		for _, n := range names {
			f := read(n)
			checkDetect(t, f, ftm.FormatDelta)
			files = append(files, f)
		}
		res := parse(t, ftm.FormatDelta, files...)
		// MANIFEST: 2, 2 and 1 ops; the second file MODs an entity the first ADDs.
		var ids []string
		for _, e := range res.Entities {
			ids = append(ids, e.ID)
		}
		want := []string{"ftm:NK-2T3S8Hu29ktYnKSTgQp2wL", "ftm:NK-2sJaJRaPJcWUfMbHjTtWcL", "ftm:NK-500Poltergeist", "ftm:Q4365364"}
		if diff := cmp.Diff(want, ids); diff != "" {
			t.Errorf("entities (-want +got):\n%s", diff)
		}
		if !res.Delta || len(res.Deleted) != 0 || res.Report.Records != 5 || res.Report.Skipped != 0 {
			t.Errorf("delta %v deleted %v records %d skipped %d, want delta, none deleted, 5 records, 0 skipped", res.Delta, res.Deleted, res.Report.Records, res.Report.Skipped)
		}
		e := byID(res)["ftm:NK-2T3S8Hu29ktYnKSTgQp2wL"]
		if got := e.PrimaryName(); got != "Foobar Foobargroup" {
			t.Errorf("NK-2T3S8Hu29ktYnKSTgQp2wL is %q, want the MOD's name Foobar Foobargroup", got)
		}
	})
}

func checkDetect(t *testing.T, f source.File, want string) {
	t.Helper()
	ft, list, err := source.Detect(ftm.Formats, f)
	if err != nil || ft.Name != want || list != interdict.ListFTM {
		t.Errorf("detect %s: %s %s %v, want %s", f.Name, ft.Name, list, err, want)
	}
}

func TestDetect(t *testing.T) {
	deltaLine := `{"op": "ADD", "entity": {"id": "x", "schema": "Person", "properties": {"name": ["` + strings.Repeat("a", 5000) + `"]}}}`
	entityLine := `{"id": "NK-1", "caption": "A", "schema": "Person", "properties": {"name": ["A"]}}`
	tests := []struct {
		name, file, head string
		want             string // format name or ""
	}{
		{"DeltaByName", "entities.delta.json", deltaLine, ftm.FormatDelta},
		{"DeltaLinesByName", "x.delta.jsonl", deltaLine, ftm.FormatDelta},
		{"DeltaByHeadOnly", "changes.json", deltaLine[:4096], ftm.FormatDelta},
		{"EntitiesByName", "entities.ftm.json", entityLine, ftm.FormatJSON},
		{"EntitiesLinesByName", "targets.ftm.jsonl", entityLine, ftm.FormatJSON},
		{"EntitiesByHead", "data.json", entityLine + "\n" + entityLine, ftm.FormatJSON},
		{"EntitiesSchemaFirst", "data.json", `{"schema": "Person", "properties": {}, "id": "x"}`, ftm.FormatJSON},
		{"EntitiesWithBOM", "data.json", "\ufeff" + entityLine, ftm.FormatJSON},
		{"CSLResults", "consolidated.json", `{"total": 1, "results": [{"id": "1", "name": "A", "alt_names": []}]}`, ""},
		{"CSLArray", "csl.json", `[{"id": "1", "name": "A", "source": "SDN"}]`, ""},
		{"ArrayOfEntities", "x.json", `[` + entityLine + `]`, ""},
		{"IDWithoutSchema", "x.json", `{"id": "1", "name": "A"}`, ""},
		{"XML", "sdn.xml", `<?xml version="1.0"?><sdnList>`, ""},
		{"Empty", "entities.ftm.json", "", ""},
		{"SchemaOnLaterLine", "x.json", "{\"id\": \"1\"}\n{\"schema\": \"Person\", \"properties\": {}}", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for _, f := range ftm.Formats {
				if list, ok := f.Detect(tt.file, []byte(tt.head)); ok {
					if list != interdict.ListFTM {
						t.Errorf("list %q", list)
					}
					if got != "" {
						t.Errorf("claimed by %s and %s", got, f.Name)
					}
					got = f.Name
				}
			}
			if got != tt.want {
				t.Errorf("detect(%q, %.60q) = %q, want %q", tt.file, tt.head, got, tt.want)
			}
		})
	}
}

// op returns one delta line.
func op(kind, id, name string) string {
	if kind == "DEL" {
		return `{"op": "DEL", "entity": {"id": "` + id + `"}}`
	}
	return `{"op": "` + kind + `", "entity": {"id": "` + id + `", "schema": "Person", "properties": {"name": ["` + name + `"]}, "last_change": "2024-05-28T01:00:00"}}`
}

func TestParseDelta_Semantics(t *testing.T) {
	tests := []struct {
		name    string
		files   [][]string
		want    map[string]string // entity ID → primary name
		deleted []string
	}{
		{"Add", [][]string{{op("ADD", "a", "Anna")}}, map[string]string{"ftm:a": "Anna"}, nil},
		{"AddThenModLaterFile", [][]string{{op("ADD", "a", "Anna")}, {op("MOD", "a", "Anne")}}, map[string]string{"ftm:a": "Anne"}, nil},
		{"AddThenModSameFile", [][]string{{op("ADD", "a", "Anna"), op("MOD", "a", "Anne")}}, map[string]string{"ftm:a": "Anne"}, nil},
		{"AddThenDel", [][]string{{op("ADD", "a", "Anna")}, {op("DEL", "a", "")}}, map[string]string{}, []string{"ftm:a"}},
		{"DelThenAdd", [][]string{{op("DEL", "a", "")}, {op("ADD", "a", "Anna")}}, map[string]string{"ftm:a": "Anna"}, nil},
		{"DelOnly", [][]string{{op("DEL", "b", ""), op("DEL", "a", "")}}, map[string]string{}, []string{"ftm:a", "ftm:b"}},
		{"DelTwice", [][]string{{op("DEL", "a", "")}, {op("DEL", "a", "")}}, map[string]string{}, []string{"ftm:a"}},
		{"ModWithoutAdd", [][]string{{op("MOD", "a", "Anna")}, {op("ADD", "b", "Ben")}}, map[string]string{"ftm:a": "Anna", "ftm:b": "Ben"}, nil},
		{"AddDelAdd", [][]string{{op("ADD", "a", "Anna")}, {op("DEL", "a", "")}, {op("ADD", "a", "Anne")}}, map[string]string{"ftm:a": "Anne"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var files []source.File
			for i, lines := range tt.files {
				files = append(files, file(string(rune('1'+i))+".delta.json", strings.Join(lines, "\n")+"\n"))
			}
			res := parse(t, ftm.FormatDelta, files...)
			if !res.Delta {
				t.Error("Delta not set")
			}
			got := map[string]string{}
			for _, e := range res.Entities {
				got[e.ID] = e.PrimaryName()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.deleted, res.Deleted); diff != "" {
				t.Errorf("deleted (-want +got):\n%s", diff)
			}
			if res.Report.Errors != 0 {
				t.Errorf("errors: %+v", res.Report.Issues)
			}
			// Applying the result to a base holding every id must give the same set.
			base := []interdict.Entity{{ID: "ftm:a"}, {ID: "ftm:b"}}
			var after []string
			for _, e := range source.ApplyDelta(base, res.Entities, res.Deleted) {
				after = append(after, e.ID)
			}
			var want []string
			for _, id := range []string{"ftm:a", "ftm:b"} {
				if !contains(res.Deleted, id) {
					want = append(want, id)
				}
			}
			sort.Strings(want)
			if diff := cmp.Diff(want, after); diff != "" {
				t.Errorf("ApplyDelta (-want +got):\n%s", diff)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestParse_BadLines(t *testing.T) {
	good := `{"id": "p1", "schema": "Person", "properties": {"name": ["Anna Bell"]}}`
	tests := []struct {
		name    string
		format  string
		data    string
		wantErr bool
		skipped []interdict.ImportIssue // file, line, record, message prefix
		ids     []string
	}{
		{"NotJSON", ftm.FormatJSON, "{not json\n" + good + "\n", false,
			[]interdict.ImportIssue{{File: "f.ftm.json", Line: 1}}, []string{"ftm:p1"}},
		// A file cut short ends in half an object: the whole file is refused.
		{"Truncated", ftm.FormatJSON, good + "\n" + good[:30], true, nil, nil},
		{"TruncatedDelta", ftm.FormatDelta, op("ADD", "a", "Anna") + "\n" + op("ADD", "b", "Bob")[:20], true, nil, nil},
		{"NoID", ftm.FormatJSON, "\n" + good + "\n" + `{"schema": "Person", "properties": {"name": ["X"]}}`, false,
			[]interdict.ImportIssue{{File: "f.ftm.json", Line: 3}}, []string{"ftm:p1"}},
		{"NoSchema", ftm.FormatJSON, `{"id": "q", "properties": {}}` + "\n" + good, false,
			[]interdict.ImportIssue{{File: "f.ftm.json", Line: 1, Record: "q"}}, []string{"ftm:p1"}},
		{"WrongType", ftm.FormatJSON, good + "\n" + `{"id": "q", "schema": "Person", "datasets": "x"}`, false,
			[]interdict.ImportIssue{{File: "f.ftm.json", Line: 2}}, []string{"ftm:p1"}},
		{"NoName", ftm.FormatJSON, good + "\n" + `{"id": "q", "schema": "Person", "properties": {}}`, false,
			[]interdict.ImportIssue{{Record: "q"}}, []string{"ftm:p1"}},
		{"NothingValid", ftm.FormatJSON, "garbage\n[1,2]\n", true, nil, nil},
		{"Empty", ftm.FormatJSON, "", true, nil, nil},
		{"DeltaBadOp", ftm.FormatDelta, op("ADD", "a", "Anna") + "\n" + `{"op": "UPSERT", "entity": {"id": "b"}}` + "\n", false,
			[]interdict.ImportIssue{{File: "f.ftm.json", Line: 2, Record: "b"}}, []string{"ftm:a"}},
		{"DeltaNotJSON", ftm.FormatDelta, "}{\n" + op("ADD", "a", "Anna"), false,
			[]interdict.ImportIssue{{File: "f.ftm.json", Line: 1}}, []string{"ftm:a"}},
		{"DeltaAddWithoutSchema", ftm.FormatDelta, op("DEL", "z", "") + "\n" + `{"op": "ADD", "entity": {"id": "b"}}`, false,
			[]interdict.ImportIssue{{File: "f.ftm.json", Line: 2, Record: "b"}}, nil},
		{"DeltaNothingValid", ftm.FormatDelta, `{"op": "ADD"}` + "\n", true, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := format(t, tt.format).Parse(interdict.ListFTM, []source.File{file("f.ftm.json", tt.data)})
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "f.ftm.json") {
					t.Fatalf("err = %v, want an error naming the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []interdict.ImportIssue
			for _, is := range res.Report.Issues {
				if is.Severity == interdict.SeverityError {
					got = append(got, interdict.ImportIssue{File: is.File, Line: is.Line, Record: is.Record})
				}
			}
			if diff := cmp.Diff(tt.skipped, got); diff != "" {
				t.Errorf("skipped records (-want +got):\n%s\nissues: %+v", diff, res.Report.Issues)
			}
			if res.Report.Skipped != len(tt.skipped) {
				t.Errorf("skipped = %d, want %d", res.Report.Skipped, len(tt.skipped))
			}
			var ids []string
			for _, e := range res.Entities {
				ids = append(ids, e.ID)
			}
			if diff := cmp.Diff(tt.ids, ids); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}
