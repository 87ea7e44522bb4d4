package ofac_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// fuzzParse parses data as the named file and checks that Parse neither
// panics nor returns entities without an ID or a name.
func fuzzParse(t *testing.T, formatName, list string, files []source.File) {
	r, err := format(t, formatName).Parse(list, files)
	if err != nil {
		return
	}
	for _, e := range r.Entities {
		if e.ID == "" || len(e.Names) == 0 {
			t.Fatalf("entity without ID or name: %+v", e)
		}
	}
}

func seed(f *testing.F, dir, name string) {
	b, err := os.ReadFile(filepath.Join("testdata", dir, name))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
}

func FuzzParseCSV(f *testing.F) {
	seed(f, "csv-sdn", "sdn.csv")
	seed(f, "csv-cons", "cons_prim.csv")
	alt, err := os.ReadFile(filepath.Join("testdata", "csv-sdn", "alt.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "ofac-csv", interdict.ListOFACSDN, []source.File{
			{Name: "sdn.csv", Data: data},
			{Name: "alt.csv", Data: alt},
			{Name: "sdn_comments.csv", Data: data},
		})
	})
}

func FuzzParseXML(f *testing.F) {
	seed(f, "xml", "consolidated.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "ofac-xml", interdict.ListOFACCons, []source.File{{Name: "consolidated.xml", Data: data}})
	})
}

func FuzzParseEnhanced(f *testing.F) {
	seed(f, "enhanced", "CONS_ENHANCED.XML")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "ofac-enhanced-xml", interdict.ListOFACCons, []source.File{{Name: "CONS_ENHANCED.XML", Data: data}})
	})
}
