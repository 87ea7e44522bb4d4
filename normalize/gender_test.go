package normalize

import "testing"

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
