package canada_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/canada"
)

func mustRead(tb testing.TB, path string) source.File {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return source.File{Name: filepath.Base(path), Path: path, Data: b}
}

func parse(tb testing.TB, data string) *source.Result {
	tb.Helper()
	res, err := canada.Parse(interdict.ListCA, []source.File{{Name: "t.xml", Data: []byte(data)}})
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return res
}

func TestDetect(t *testing.T) {
	sample := mustRead(t, "testdata/sema_sample.xml")
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"OK", string(sample.Data[:4096]), true},
		{"UN", `<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-02-27"><INDIVIDUALS><INDIVIDUAL>`, false},
		{"OFAC", `<?xml version="1.0"?><sdnList><publshInformation>`, false},
		{"OtherDataSet", `<data-set><record><Name>x</Name></record>`, false},
		{"Empty", ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, ok := canada.Detect("x.xml", []byte(tt.head))
			if ok != tt.want || (ok && list != interdict.ListCA) {
				t.Errorf("Detect(%.40q) = %q, %v; want %v", tt.head, list, ok, tt.want)
			}
		})
	}
}

func TestParse_Golden(t *testing.T) {
	res, err := canada.Parse(interdict.ListCA, []source.File{mustRead(t, "testdata/sema_sample.xml")})
	if err != nil {
		t.Fatal(err)
	}
	sourcetest.Golden(t, "testdata/sema_sample.golden", res)
}

const head = `<?xml version="1.0" encoding="UTF-8"?><data-set>`

func TestParse_Records(t *testing.T) {
	tests := []struct {
		name   string
		record string
		check  func(t *testing.T, e interdict.Entity)
	}{
		{"PersonID", `<Country>Russia / Russie</Country><LastName>Ivanov</LastName><GivenName>Ivan</GivenName><Schedule>1, Part 1</Schedule><Item>7</Item><DateOfListing>2022-02-24</DateOfListing>`,
			func(t *testing.T, e interdict.Entity) {
				want := interdict.Entity{ID: "ca:RU-1-part-1-7", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: "Ivan Ivanov", Quality: interdict.NamePrimary, Script: "Latn", Parts: []interdict.NamePart{{Type: interdict.PartGiven, Value: "Ivan"}, {Type: interdict.PartFamily, Value: "Ivanov"}}}}, Countries: []string{"RU"}, Programs: []string{"CA-RUSSIA"}, ListedOn: "2022-02-24"}
				got := interdict.Entity{ID: e.ID, Kind: e.Kind, Names: e.Names, Countries: e.Countries, Programs: e.Programs, ListedOn: e.ListedOn}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}},
		{"NoSchedule", `<Country>Venezuela </Country><LastName>X</LastName><Item>12</Item>`,
			func(t *testing.T, e interdict.Entity) {
				if e.ID != "ca:VE-12" {
					t.Errorf("ID = %q, want ca:VE-12", e.ID)
				}
			}},
		{"RegimeNotCountry", `<Country>Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / Règlement (RJVDEC)</Country><LastName>X</LastName><Item>3</Item>`,
			func(t *testing.T, e interdict.Entity) {
				if e.ID != "ca:jvcfor-3" || len(e.Countries) != 0 || e.Programs[0] != "CA-JVCFOR" {
					t.Errorf("ID, Countries, Programs = %q, %v, %v; want ca:jvcfor-3, [], [CA-JVCFOR]", e.ID, e.Countries, e.Programs)
				}
			}},
		{"ShipBuildDate", `<Country>Russia / Russie</Country><EntityOrShip>Sea Star</EntityOrShip><TitleOrShip>Tanker</TitleOrShip><ShipIMONumber>9123456</ShipIMONumber><DateOfBirthOrShipBuildDate>1999</DateOfBirthOrShipBuildDate><Schedule>1.1</Schedule><Item>2</Item>`,
			func(t *testing.T, e interdict.Entity) {
				want := []interdict.Date{{Type: interdict.DateBuild, From: "1999-01-01", To: "1999-12-31", Precision: interdict.PrecisionYear, Raw: "1999"}}
				if e.Kind != interdict.KindVessel || !cmp.Equal(e.Dates, want) || e.Identifiers[0].Type != interdict.IDIMO || e.Attributes["vessel_type"][0] != "Tanker" {
					t.Errorf("got kind %s dates %v ids %v attrs %v", e.Kind, e.Dates, e.Identifiers, e.Attributes)
				}
			}},
		{"AlternativeDates", `<Country>Iran</Country><LastName>X</LastName><DateOfBirthOrShipBuildDate>1963 or 1964</DateOfBirthOrShipBuildDate><Item>1</Item>`,
			func(t *testing.T, e interdict.Entity) {
				if len(e.Dates) != 2 || e.Dates[0].From != "1963-01-01" || e.Dates[1].To != "1964-12-31" || e.Dates[0].Type != interdict.DateBirth {
					t.Errorf("Dates = %v", e.Dates)
				}
			}},
		{"Decade", `<Country>Sudan / Soudan</Country><LastName>X</LastName><DateOfBirthOrShipBuildDate>born in the early 1970s</DateOfBirthOrShipBuildDate><Item>1</Item>`,
			func(t *testing.T, e interdict.Entity) {
				if len(e.Dates) != 1 || e.Dates[0].From != "1970-01-01" || e.Dates[0].To != "1973-12-31" {
					t.Errorf("Dates = %v", e.Dates)
				}
			}},
		{"BadDateKeptRaw", `<Country>Russia</Country><LastName>X</LastName><DateOfBirthOrShipBuildDate>Sep-99</DateOfBirthOrShipBuildDate><Item>1</Item>`,
			func(t *testing.T, e interdict.Entity) {
				if len(e.Dates) != 1 || e.Dates[0].Raw != "Sep-99" || e.Dates[0].From != "" {
					t.Errorf("Dates = %v", e.Dates)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parse(t, head+"<record>"+tt.record+"</record></data-set>")
			if len(res.Entities) != 1 {
				t.Fatalf("got %d entities, want 1; report %+v", len(res.Entities), res.Report)
			}
			tt.check(t, res.Entities[0])
		})
	}
}

func TestParse_Aliases(t *testing.T) {
	tests := []struct {
		name    string
		kind    string // element holding the name
		aliases string
		want    []string // "full|lang"
	}{
		{"Labels", "LastName", "Raman Ivanavich BIZIUK,  Belarusian: Раман Iванавiч БIЗЮК, Russian: Роман Иванович БИЗЮК",
			[]string{"Raman Ivanavich BIZIUK|", "Раман Iванавiч БIЗЮК|be", "Роман Иванович БИЗЮК|ru"}},
		{"Semicolon", "EntityOrShip", "ВЭБ; Vnesheconombank, VEB.RF", []string{"ВЭБ|", "Vnesheconombank|", "VEB.RF|"}},
		{"LegalFormAfterComma", "EntityOrShip", "Завод \"Дагдизель\", АО", []string{"Завод \"Дагдизель\", АО|"}},
		{"OrSplitsOrganisation", "EntityOrShip", "ОАО РЖД or Российские железные дороги", []string{"ОАО РЖД|", "Российские железные дороги|"}},
		{"OrKeepsPartialPersonName", "LastName", "Katsiaryna or Katerina Smuschkovich, Ekaterina Varabei", []string{"Katsiaryna or Katerina Smuschkovich|", "Ekaterina Varabei|"}},
		{"VariantGivenName", "LastName", "Sergei, Serhii SHERBAKOV", []string{"Sergei, Serhii SHERBAKOV|"}},
		{"Slash", "LastName", "Ольга Александровна КРАВЦОВА / Ольга Олександрiвна КРАВЦОВА", []string{"Ольга Александровна КРАВЦОВА|", "Ольга Олександрiвна КРАВЦОВА|"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parse(t, head+"<record><Country>Belarus</Country><"+tt.kind+">Primary</"+tt.kind+"><Aliases>"+xmlEscape(tt.aliases)+"</Aliases><Item>1</Item></record></data-set>")
			if len(res.Entities) != 1 {
				t.Fatalf("got %d entities", len(res.Entities))
			}
			var got []string
			for _, n := range res.Entities[0].Names[1:] {
				got = append(got, n.Full+"|"+n.Lang)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("aliases of %q (-want +got):\n%s", tt.aliases, diff)
			}
		})
	}
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func TestParse_Errors(t *testing.T) {
	t.Run("Truncated", func(t *testing.T) {
		_, err := canada.Parse(interdict.ListCA, []source.File{{Name: "t.xml", Data: []byte(head + "<record><Country>Iran</Country>")}})
		if err == nil || !strings.Contains(err.Error(), "t.xml") {
			t.Errorf("err = %v, want an error naming the file", err)
		}
	})
	t.Run("NoItemSkipped", func(t *testing.T) {
		res := parse(t, head+"<record><Country>Iran</Country><LastName>X</LastName></record><record><Country>Iran</Country><LastName>Y</LastName><Item>2</Item></record></data-set>")
		if len(res.Entities) != 1 || res.Report.Skipped != 1 || res.Report.Records != 2 {
			t.Fatalf("entities %d, report %+v; want 1 entity, 1 skipped", len(res.Entities), res.Report)
		}
		is := res.Report.Issues[0]
		if is.Field != "Item" || is.File != "t.xml" || is.Line == 0 {
			t.Errorf("issue = %+v, want field Item with file and line", is)
		}
	})
	t.Run("DuplicateIDReported", func(t *testing.T) {
		rec := "<record><Country>Iran</Country><LastName>X</LastName><Item>2</Item></record>"
		res := parse(t, head+rec+rec+"</data-set>")
		if len(res.Entities) != 1 || res.Report.Skipped != 1 {
			t.Errorf("entities %d, report %+v; want the duplicate reported", len(res.Entities), res.Report)
		}
	})
}

// TestParse_RealFile reads the complete list published by Global Affairs
// Canada, kept beside the repository (../shared/data in CI).
func TestParse_RealFile(t *testing.T) {
	path := "../../../shared/data/lists/canada_sema/sema_consolidated_2025-05.xml"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("real list not available (%v); it lives in ../shared/data/lists beside the checkout", err)
	}
	res, err := canada.Parse(interdict.ListCA, []source.File{mustRead(t, path)})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[interdict.Kind]int{}
	for _, e := range res.Entities {
		counts[e.Kind]++
	}
	want := map[interdict.Kind]int{interdict.KindPerson: 3334, interdict.KindOrganization: 1316, interdict.KindVessel: 109}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("entity kinds (-want +got):\n%s", diff)
	}
	if res.Report.Records != 4759 || res.Report.Entities != 4759 || res.Report.Skipped != 0 {
		t.Errorf("report %d records, %d entities, %d skipped; want 4759, 4759, 0", res.Report.Records, res.Report.Entities, res.Report.Skipped)
	}
	if res.Published != "2025-03-20" {
		t.Errorf("Published = %q, want 2025-03-20", res.Published)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(mustRead(f, "testdata/sema_sample.xml").Data)
	f.Add([]byte(head + "<record><Country>Iran</Country><Aliases>a, b or c / d; Russian: e</Aliases><Item>1</Item></record></data-set>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := canada.Parse(interdict.ListCA, []source.File{{Name: "f.xml", Data: data}})
		if err != nil {
			return
		}
		for _, e := range res.Entities {
			if e.ID == "" || len(e.Names) == 0 {
				t.Fatalf("entity without id or name: %+v", e)
			}
		}
	})
}
