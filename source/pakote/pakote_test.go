package pakote_test

import (
	"os"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/pakote"
)

func parseFile(t *testing.T, path string) *source.Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if list, ok := pakote.Detect("x.json", data[:min(len(data), 4096)]); !ok || list != interdict.ListEU {
		t.Fatalf("Detect(%s) = %q, %v; want eu, true", path, list, ok)
	}
	r, err := pakote.Parse("", []source.File{{Name: "pakote_sample.json", Path: path, Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParse_Sample(t *testing.T) {
	r := parseFile(t, "testdata/pakote_sample.json")
	sourcetest.Golden(t, "testdata/pakote_sample.json.golden", r)
	if r.Published != "2026-01-28" || r.Format != "eu-derived-json" {
		t.Errorf("published %q, format %q; want 2026-01-28, eu-derived-json", r.Published, r.Format)
	}
	for _, e := range r.Entities {
		if got := e.Attributes[interdict.AttrUnofficialCopy]; len(got) != 1 || got[0] != "EU list, from an unofficial copy dated 2026-01-28 (haverisenosku/pakote_data)" {
			t.Errorf("%s: note %q", e.ID, got)
		}
		if e.Names[0].Quality != interdict.NamePrimary {
			t.Errorf("%s: first name %+v is not primary", e.ID, e.Names[0])
		}
	}
	if r.Report.Warnings != 1 {
		t.Errorf("%d warnings, want 1 (the UN and OFAC entries left out): %+v", r.Report.Warnings, r.Report.Issues)
	}
}

// The derived file of the shared data: MANIFEST.md counts 5795 EU entries
// (EU only: 4002 individuals and 1372 entities; EU and UN: 300 and 120;
// EU and OFAC: 1 entity).
func TestParse_SharedFile(t *testing.T) {
	r := sourcetest.ParseShared(t, pakote.Formats[0], interdict.ListEU, "derived/pakote_all_2026-01-28.json.gz")
	counts := map[interdict.Kind]int{}
	for _, e := range r.Entities {
		counts[e.Kind]++
	}
	if r.Report.Records != 5795 || len(r.Entities) != 5795 || r.Report.Skipped != 0 {
		t.Errorf("records %d, entities %d, skipped %d; want 5795, 5795, 0", r.Report.Records, len(r.Entities), r.Report.Skipped)
	}
	if counts[interdict.KindPerson] != 4002+300 || counts[interdict.KindOrganization] != 1372+120+1 {
		t.Errorf("kinds %v; want 4302 persons and 1493 organizations", counts)
	}
}

func TestParse_Errors(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"NotJSON", `{"metadata": {`},
		{"NoDate", `{"metadata": {"generated": "", "by_source": {}}, "entities": []}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := pakote.Parse("", []source.File{{Name: "all.json", Data: []byte(tc.data)}}); err == nil {
				t.Errorf("Parse(%s) succeeded, want an error", tc.data)
			}
		})
	}
	// An entry without source_id is skipped and reported, not dropped.
	r, err := pakote.Parse("", []source.File{{Name: "all.json", Data: []byte(`{"metadata": {"generated": "2026-01-28T06:31:48Z", "by_source": {"EU": 2}},
		"entities": [{"name": "A B", "type": "entity", "source": ["EU"], "source_id": ""}, {"name": "C D", "type": "entity", "source": ["EU"], "source_id": "7"}]}`)}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Report.Records != 2 || r.Report.Skipped != 1 || len(r.Entities) != 1 || r.Report.Issues[0].Field != "source_id" {
		t.Errorf("report %+v, %d entities; want 2 records, 1 skipped on field source_id, 1 entity", r.Report, len(r.Entities))
	}
}

func FuzzParse(f *testing.F) {
	sample, err := os.ReadFile("testdata/pakote_sample.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add([]byte(`{"metadata":{"generated":"2026-01-28T00:00:00Z"},"entities":[{"source":["EU"],"source_id":"1","name":"x","birthdates":["1"],"identifiers":[{"number":"1","country":"zz"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := pakote.Parse("", []source.File{{Name: "all.json", Data: data}})
		if err != nil {
			return
		}
		for _, e := range r.Entities {
			if e.ID == "" || len(e.Names) == 0 {
				t.Fatalf("entity without ID or name: %+v", e)
			}
		}
		if len(r.Entities)+r.Report.Skipped != r.Report.Records {
			t.Fatalf("%d entities + %d skipped != %d records", len(r.Entities), r.Report.Skipped, r.Report.Records)
		}
	})
}

// A person's one-word and initialled names are weak names; when the copy's
// name is one, the first full Latin alias is the primary name.
func TestParse_WeakNames(t *testing.T) {
	r, err := pakote.Parse("", []source.File{{Name: "all.json", Data: []byte(`{"metadata": {"generated": "2026-01-28T06:31:48Z", "by_source": {"EU": 2}},
		"entities": [{"name": "Miqdad", "type": "individual", "aliases": ["M. Akam", "Andreas Martin MÜLLER", "عماري س", "Abu Nusaiba"], "source": ["EU"], "source_id": "1"},
		{"name": "SPM", "type": "entity", "aliases": ["Sanam Group"], "source": ["EU"], "source_id": "2"}]}`)}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]interdict.NameQuality{}
	for _, e := range r.Entities {
		for _, n := range e.Names {
			got[n.Full] = n.Quality
		}
	}
	want := map[string]interdict.NameQuality{
		"Andreas Martin MÜLLER": interdict.NamePrimary, "Miqdad": interdict.NameWeak, "M. Akam": interdict.NameWeak,
		"عماري س": interdict.NameWeak, "Abu Nusaiba": interdict.NameStrong,
		// An organisation's one-word name is its name or acronym.
		"SPM": interdict.NamePrimary, "Sanam Group": interdict.NameStrong,
	}
	for n, q := range want {
		if got[n] != q {
			t.Errorf("%q: quality %q, want %q", n, got[n], q)
		}
	}
	if first := r.Entities[0].Names[0].Full; first != "Andreas Martin MÜLLER" {
		t.Errorf("first name %q, want Andreas Martin MÜLLER", first)
	}
}
