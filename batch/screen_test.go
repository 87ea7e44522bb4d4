package batch_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/match"
	"github.com/interdict/interdict/screen"
)

// TestRun_Screener runs the pipeline with the real screener over a
// two-entity index: the wiring the CLI and HTTP will use.
func TestRun_Screener(t *testing.T) {
	ix := match.NewIndex([]interdict.Entity{
		{ID: "ofac-sdn:1", List: interdict.ListOFACSDN, SourceID: "1", Kind: interdict.KindPerson,
			Names: []interdict.Name{{Full: "Majid KAKAVAND", Quality: interdict.NamePrimary, Script: "Latn"}}, Nationalities: []string{"IR"}},
		{ID: "un:2", List: interdict.ListUN, SourceID: "2", Kind: interdict.KindOrganization,
			Names: []interdict.Name{{Full: "Acme Shipping Ltd", Quality: interdict.NamePrimary, Script: "Latn"}}},
	})
	p := screen.DefaultPolicy()
	s, err := screen.NewScreener(ix, p, map[string]string{interdict.ListOFACSDN: "1", interdict.ListUN: "1"})
	if err != nil {
		t.Fatal(err)
	}
	in := "Kunden-Nr;Name;Geburtsdatum;Staatsangehörigkeit\n" +
		"1;Majid Kakavand;16.07.1969;Irán\n" +
		"2;Ana Dubois;n/a;Frankreich\n" +
		"3;;;\n"
	rd, err := batch.Open(strings.NewReader(in), "kunden.csv", batch.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	wr, _ := batch.NewWriter(&out, "csv", rd.Header())
	sum, err := batch.Run(context.Background(), rd, s, wr, batch.RunOptions{
		Check: interdict.CheckOptions{Country: country.Resolve}})
	if err != nil {
		t.Fatal(err)
	}
	wr.Close()
	if sum.Records != 3 || sum.Screened != 2 || sum.Errors != 1 || sum.Alerts != 1 || sum.WarningsByField["dob"] != 1 {
		t.Fatalf("summary %+v\n%s", sum, out.String())
	}
	if lines := strings.Split(out.String(), "\n"); !strings.Contains(lines[1], "ofac-sdn:1") || strings.Contains(lines[2], "ofac-sdn:1") {
		t.Fatalf("output:\n%s", out.String())
	}
}
