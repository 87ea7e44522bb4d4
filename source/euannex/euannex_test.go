package euannex_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source/euannex"
)

func TestRead(t *testing.T) {
	f, err := os.Open("testdata/sample.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, skipped, err := euannex.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 1 {
		t.Errorf("skipped = %v, want 1", skipped)
	}
	var codes []string
	byCode := map[string]interdict.ControlEntry{}
	for _, e := range entries {
		codes = append(codes, e.Code)
		byCode[e.Code] = e
	}
	want := []string{"0A001", "0A001.a", "0A001.b", "0A001.c", "0A001.d", "0A001.e", "0A001.f", "0A001.g",
		"0A001.h", "0A001.i", "0A001.j", "0A001.k", "0C003", "1C450", "2B350"}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	g := byCode["0A001.g"]
	if !strings.HasPrefix(g.Text, "Coolant pumps or circulators") || g.Regime != "NSG Trigger List" || g.Parent != "0A001" {
		t.Errorf("0A001.g = %+v", g)
	}
}

func FuzzSubItems(f *testing.F) {
	f.Add("a. x; b. y; c. z")
	f.Add("Technical Note: a. b. a. c.")
	f.Fuzz(func(t *testing.T, text string) {
		for _, e := range euannex.SubItems(interdict.ControlEntry{Code: "0A001", Text: text}) {
			if !strings.HasPrefix(e.Code, "0A001.") {
				t.Fatalf("bad code %q", e.Code)
			}
		}
	})
}
