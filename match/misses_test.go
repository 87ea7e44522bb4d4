package match_test

import (
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/match"
)

// TestIssueMisses compares the pairs of name forms the screening of
// independent data missed: each pair names one party and reaches the
// default threshold (0.80), except the known misses at the end.
func TestIssueMisses(t *testing.T) {
	w := match.DefaultWeights()
	p, o := interdict.KindPerson, interdict.KindOrganization
	cases := []struct {
		what, q, listed string
		kind            interdict.Kind
	}{
		{"apostrophe in Arabic", "Sa'id Hamdan", "Said Hamdan", p},
		{"apostrophe in Arabic", "Sa'id Hamdan", "Saeed Hamdan", p},
		{"hamza", "Mas'ud Barzani", "Masoud Barzani", p},
		{"ordinal", "First Capital Bank", "1st Capital Bank", o},
		{"number word", "Twenty-One Trading", "21 Trading", o},
		{"glued legal form", "AcmeGmbH", "Acme GmbH", o},
		{"Latvian ending", "Sergejs Ivanovs", "Sergej Ivanov", p},
		{"Lithuanian ending", "Vladimiras Putinas", "Vladimir Putin", p},
	}
	for _, c := range cases {
		m := match.Compare(interdict.Query{Name: c.q, Kind: c.kind}, interdict.Query{Name: c.listed, Kind: c.kind}, w)
		if m.Score < 0.8 {
			t.Errorf("%s: %q / %q = %.3f, below 0.80", c.what, c.q, c.listed, m.Score)
		}
	}
	// Known misses, still below the threshold: Wade-Giles against pinyin
	// needs syllable-level conversion (hs/x, ch/zh/j/q/ch, hyphenated
	// given names); a query with two more given names than the listed
	// name pays for each; a title paired with nothing is no given name.
	// When one starts to match, move it to the cases above.
	open := []struct {
		what, q, listed string
	}{
		{"Wade-Giles hs/x", "Hsu Chih-ming", "Xu Zhiming"},
		{"Wade-Giles ch/q", "Chien Yung-chi", "Qian Yongji"},
		{"Wade-Giles ch/zh", "Chou En-lai", "Zhou Enlai"},
		{"Wade-Giles ch/zh, ch/q", "Chang Chun-chiao", "Zhang Chunqiao"},
		{"listed name a subset", "Juan Carlos Alberto Perez Gomez", "Juan Perez Gomez"},
		{"title as the given part", "Sheikh Hamdan", "Hamdan bin Rashid"},
	}
	for _, c := range open {
		m := match.Compare(interdict.Query{Name: c.q, Kind: p}, interdict.Query{Name: c.listed, Kind: p}, w)
		if m.Score >= 0.8 {
			t.Errorf("known miss %s: %q / %q = %.3f now matches: move it to the cases that must", c.what, c.q, c.listed, m.Score)
		}
	}
}
