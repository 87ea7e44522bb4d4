package normalize

import (
	"slices"
	"strings"
	"testing"
)

func TestGivenNameGender(t *testing.T) {
	for _, c := range []struct {
		name string
		want byte
	}{
		{"paula", GenderFemale},
		{"jenny", GenderFemale},
		{"mohammad", GenderMale},
		{"kim", GenderUnknown},   // a family name
		{"smith", GenderUnknown}, // not a given name
	} {
		if got := GivenNameGender(c.name); got != c.want {
			t.Errorf("GivenNameGender(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestNumberWords(t *testing.T) {
	for in, want := range map[string]string{
		"First Capital Bank":     "1 capital bank",
		"1st Capital Bank":       "1 capital bank",
		"Twenty-One Trading":     "21 trading",
		"21 Trading":             "21 trading",
		"Twentieth Century":      "20 century",
		"AcmeGmbH":               "acme",
		"Nord ShippingLtd.":      "nord shipping",
		"Agmbh":                  "agmbh",
		"Thirteenth Directorate": "13 directorate",
	} {
		var forms []string
		for _, v := range Parse(in, Organization) {
			var got []string
			for _, tk := range v.Tokens {
				if tk.Class != ClassLegalForm {
					got = append(got, tk.Text)
				}
			}
			forms = append(forms, strings.Join(got, " "))
		}
		if !slices.Contains(forms, want) {
			t.Errorf("Parse(%q) = %q, want a form %q", in, forms, want)
		}
	}
}
