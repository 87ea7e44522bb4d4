package normalize

import (
	_ "embed"
	"strings"
	"sync"
)

// genders.tsv holds the usual gender of romanized given names, learned
// from the male and female first-name lists of every locale of
// @faker-js/faker 10.6.0 (see genders.mjs and internal/gengenders).
//
//go:embed genders.tsv
var gendersTSV string

// Genders.
const (
	GenderUnknown byte = 0
	GenderFemale  byte = 'f'
	GenderMale    byte = 'm'
)

var (
	genderOnce sync.Once
	genderOf   map[string]byte
)

func loadGenders() {
	m := make(map[string]byte, 20000)
	for line := range strings.SplitSeq(gendersTSV, "\n") {
		if t, g, ok := strings.Cut(line, "\t"); ok && len(g) == 1 && !strings.HasPrefix(t, "#") {
			m[t] = g[0]
		}
	}
	genderOf = m
}

// GivenNameGender returns the usual gender of a romanized given name
// (a token's Text): GenderFemale, GenderMale or GenderUnknown for a name
// both genders bear, a family name, or one the table does not hold.
func GivenNameGender(tok string) byte {
	genderOnce.Do(loadGenders)
	return genderOf[tok]
}
