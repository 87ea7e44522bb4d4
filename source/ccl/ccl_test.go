package ccl_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source/ccl"
)

func TestRead(t *testing.T) {
	f, err := os.Open("testdata/sample.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, skipped, err := ccl.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0].Error(), "Technical Note") {
		t.Errorf("skipped = %v, want the Technical Note artefact", skipped)
	}
	byCode := map[string]interdict.ControlEntry{}
	for _, e := range entries {
		byCode[e.Code] = e
	}
	tests := []struct {
		code, parent, textPrefix string
	}{
		{"2B230", "", "a. Pressure sensing elements"},
		{"2B230.a", "2B230", "Pressure sensing elements made of or protected by aluminum"},
		{"2B230.c.1", "2B230.c", "A full scale of less 13 kPa"},
		{"3A225.b", "3A225", "Operating at a frequency of 600 Hz or more"},
		{"1C216", "", "The list of items controlled is contained in the ECCN heading."},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			e, ok := byCode[tt.code]
			if !ok {
				t.Fatalf("no entry %s; have %d entries", tt.code, len(entries))
			}
			if e.Parent != tt.parent || !strings.HasPrefix(e.Text, tt.textPrefix) {
				t.Errorf("%s: parent %q text %.60q, want parent %q text %q...", tt.code, e.Parent, e.Text, tt.parent, tt.textPrefix)
			}
		})
	}
	want := []interdict.ControlReason{
		{Reason: "NP", Column: "NP1", Scope: "applies to entire entry"},
		{Reason: "AT", Column: "AT1", Scope: "applies to entire entry"},
	}
	if diff := cmp.Diff(want, byCode["3A225"].Reasons); diff != "" {
		t.Errorf("3A225 reasons (-want +got):\n%s", diff)
	}
	if got := byCode["0A982"].Reasons; len(got) != 1 || got[0].Reason != "CC" || got[0].Column != "" {
		t.Errorf("0A982 reasons = %+v, want CC without a column", got)
	}
}

func TestRegime(t *testing.T) {
	tests := map[string]string{"2B350": "Australia Group", "3A225": "NSG (dual-use)", "1C116": "MTCR",
		"5A991": "US unilateral", "3A001": "Wassenaar Arrangement", "0A501": "US (firearms, 0x5zz)"}
	for code, want := range tests {
		if got := ccl.Regime(code); got != want {
			t.Errorf("Regime(%s) = %q, want %q", code, got, want)
		}
	}
}

// TestReadShared reads the full CCL when ../shared/data is present (CI and
// dev checkouts) and skips otherwise.
func TestReadShared(t *testing.T) {
	f, err := os.Open("../../../shared/data/goods/ccl/ccl_parsed_full.json")
	if err != nil {
		t.Skip("shared goods data not present:", err)
	}
	defer f.Close()
	entries, skipped, err := ccl.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	roots := 0
	for _, e := range entries {
		if e.Parent == "" {
			roots++
		}
	}
	if roots < 600 || len(skipped) > 6 {
		t.Errorf("%d ECCNs, %d skipped; want >= 600 and <= 6", roots, len(skipped))
	}
}

func FuzzParse(f *testing.F) {
	f.Add("2B230", "Pressure transducers", "*Reason for Control:* NP, AT\n| NP applies to entire entry | NP Column 1 |\n*Items:* a. x;\n\na.1. y\n\nb. z")
	f.Add("3A001", "", "*Items:*\n\na.\n\na.1.a.b.c z\n\nq.7. w")
	f.Fuzz(func(t *testing.T, code, heading, details string) {
		for _, e := range ccl.Parse(code, heading, details) {
			if e.Code != code && !strings.HasPrefix(e.Code, code+".") {
				t.Fatalf("sub-item %q outside %q", e.Code, code)
			}
		}
	})
}
