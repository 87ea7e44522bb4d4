package ukflat_test

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/ukflat"
)

func TestParse_Sample(t *testing.T) {
	data, err := os.ReadFile("testdata/uk_flat_sample_2025-05-25.csv")
	if err != nil {
		t.Fatal(err)
	}
	if list, ok := ukflat.Detect("x.csv", data); !ok || list != interdict.ListUK {
		t.Fatalf("Detect = %q, %v; want uk, true", list, ok)
	}
	r, err := ukflat.Parse("", []source.File{{Name: "uk_flat_sample_2025-05-25.csv", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	sourcetest.Golden(t, "testdata/uk_flat_sample_2025-05-25.csv.golden", r)
	// 7 rows, the last a repeat of the first: reported, not silently dropped.
	if r.Report.Records != 7 || len(r.Entities) != 6 || r.Report.Skipped != 1 {
		t.Errorf("records %d, entities %d, skipped %d; want 7, 6, 1", r.Report.Records, len(r.Entities), r.Report.Skipped)
	}
	if r.Published != "2025-05-25" {
		t.Errorf("published %q, want the date of the file name, 2025-05-25", r.Published)
	}
	for _, e := range r.Entities {
		if got := e.Attributes[interdict.AttrUnofficialCopy]; len(got) != 1 || !strings.HasPrefix(got[0], "UK list, from an unofficial copy dated 2025-05-25") {
			t.Errorf("%s: note %q", e.ID, got)
		}
	}
}

// The derived file of the shared data: MANIFEST.md counts 2524 rows; rows
// repeated word for word and rows without a name are counted here from
// the CSV itself and must be the skipped records.
func TestParse_SharedFile(t *testing.T) {
	r := sourcetest.ParseShared(t, ukflat.Formats[0], interdict.ListUK, "derived/kebalkhadka_uk_parsed_2025-05.csv")
	f, err := os.Open(sourcetest.SharedList(t, "derived/kebalkhadka_uk_parsed_2025-05.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	dropped := 0
	for _, row := range rows[1:] {
		k := strings.Join(row, "\x00")
		if seen[k] || strings.TrimSpace(row[0]) == "" {
			dropped++
		}
		seen[k] = true
	}
	if r.Report.Records != 2524 || r.Report.Skipped != dropped || len(r.Entities) != 2524-dropped {
		t.Errorf("records %d, skipped %d, entities %d; want 2524, %d, %d", r.Report.Records, r.Report.Skipped, len(r.Entities), dropped, 2524-dropped)
	}
}

func TestParse_Errors(t *testing.T) {
	if _, err := ukflat.Parse("", []source.File{{Name: "x.csv", Data: []byte("Name,Alias\nA,B\n")}}); err == nil {
		t.Error("a file with another header parsed")
	}
	r, err := ukflat.Parse("", []source.File{{Name: "x.csv", Data: []byte("Name,Alias,Nationality,Designation,Sanction Type,Source\nA B,,,,,uk\nC\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Report.Skipped != 1 || r.Report.Issues[0].Line != 3 {
		t.Errorf("report %+v; want the short row of line 3 skipped", r.Report)
	}
}

func FuzzParse(f *testing.F) {
	sample, err := os.ReadFile("testdata/uk_flat_sample_2025-05-25.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add([]byte("Name,Alias,Nationality,Designation,Sanction Type,Source\n\"a,\"b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ukflat.Parse("", []source.File{{Name: "x.csv", Data: data}})
		if err != nil {
			return
		}
		if len(r.Entities)+r.Report.Skipped != r.Report.Records {
			t.Fatalf("%d entities + %d skipped != %d records", len(r.Entities), r.Report.Skipped, r.Report.Records)
		}
	})
}

// A name that may be a part of a person's name (one word, or two with no
// legal form or generic word) is weak; an organisation's name is not.
func TestParse_Fragments(t *testing.T) {
	data := "Name,Alias,Nationality,Designation,Sanction Type,Source\n" +
		"JA HYONG,Cha-hyo'ng,Libya,Ku Ja Hyong is a Foreign Trade Bank chief representative in Libya,The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019,uk\n" +
		"AL-AMDOUNI,\"ben Amdouni, Hamdouni\",Italy,,Isil (Da'esh) and Al-Qaeda (United Nations Sanctions) (EU Exit) Regulations 2019,uk\n" +
		"ROSHAN MONEY EXCHANGE,\"Roshan Trading Company, Rushaan Company Ltd\",Afghanistan,,The Afghanistan (Sanctions) (EU Exit) Regulations 2020,uk\n"
	r, err := ukflat.Parse("", []source.File{{Name: "uk_flat_2025-05-25.csv", Data: []byte(data)}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]interdict.NameQuality{}
	for _, e := range r.Entities {
		for _, n := range e.Names {
			got[n.Full] = n.Quality
		}
	}
	for n, q := range map[string]interdict.NameQuality{
		"JA HYONG": interdict.NameWeak, "Cha-hyo'ng": interdict.NameWeak, "AL-AMDOUNI": interdict.NameWeak,
		"ben Amdouni": interdict.NameWeak, "Hamdouni": interdict.NameWeak,
		"ROSHAN MONEY EXCHANGE": interdict.NamePrimary, "Roshan Trading Company": interdict.NameStrong, "Rushaan Company Ltd": interdict.NameStrong,
	} {
		if got[n] != q {
			t.Errorf("%q: quality %q, want %q", n, got[n], q)
		}
	}
}
