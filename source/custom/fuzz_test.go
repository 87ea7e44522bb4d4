package custom_test

import (
	"strings"
	"testing"

	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/custom"
)

// FuzzParse feeds arbitrary files to the custom-list reader: it must never
// panic, and every entity it keeps has a name and an ID of the list, with
// every record read accounted for.
func FuzzParse(f *testing.F) {
	f.Add("exited.csv", mustRead(f, "testdata/exited.csv"))
	f.Add("a.jsonl", []byte("{\"id\":\"1\",\"name\":\"A B\"}\n{\"name\":\"C D\",\"aliases\":\"E; F\",\"dob\":\"circa 1970\"}\n"))
	f.Add("a.tsv", []byte("name\tdob\tlisted since\nA B\t03/04/1970\t2024-13-01\n"))
	f.Add("a.csv", []byte("\"name\";\"x\nA;\"B\n"))
	f.Add("a.xlsx", xlsxOf(f, [][]string{{"Name", "DOB"}, {"Ivan Sidorov", "1971-03-12"}}, 1))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(name) > 64 || strings.ContainsAny(name, "/\x00") {
			return
		}
		res, err := source.Parse(custom.Formats("fuzz", custom.Options{})[0], "fuzz", []source.File{{Name: name, Data: data}})
		if err != nil {
			return
		}
		res.Finish()
		if len(res.Entities) > res.Report.Records {
			t.Fatalf("%d entities from %d records", len(res.Entities), res.Report.Records)
		}
		for _, e := range res.Entities {
			if !strings.HasPrefix(e.ID, "fuzz:") || e.PrimaryName() == "" {
				t.Fatalf("entity %q with name %q", e.ID, e.PrimaryName())
			}
		}
	})
}
