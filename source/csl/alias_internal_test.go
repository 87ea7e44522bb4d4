package csl

import (
	"testing"

	"github.com/interdict/interdict"
)

// TestAliasQuality: fragments of the semicolon-split alias field that name
// nothing alone are weak aliases; every other alias is strong.
func TestAliasQuality(t *testing.T) {
	for a, want := range map[string]interdict.NameQuality{
		"07": interdict.NameWeak, "Al": interdict.NameWeak, "and": interdict.NameWeak, " AND ": interdict.NameWeak,
		"HPSTAR": interdict.NameStrong, "EL 20": interdict.NameStrong, "IRGC": interdict.NameStrong, "Allen Talebi": interdict.NameStrong,
	} {
		if got := aliasQuality(a); got != want {
			t.Errorf("aliasQuality(%q) = %s, want %s", a, got, want)
		}
	}
}
