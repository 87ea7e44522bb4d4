package match

import (
	"strings"
	"testing"

	"github.com/interdict/interdict/normalize"
)

func TestPatronymicAt(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b int
	}{
		{"karina iurevna rotenberg", 1, -1},
		{"rotenberg karina iurevna", 2, -1},
		{"roman arkadyevich abramovich", 1, -1},
		{"nikolai vasilievich maksimovich", 1, -1},
		{"roman abramovich", -1, -1},       // two parts: a surname
		{"ivan petrov abramovich", 2, -1},  // last when the second is not one
		{"ilham heydar oglu aliyev", 1, 2}, // Turkic: the father's name and oglu
		{"heydar oglu", -1, -1},
		{"sergey roldugin", -1, -1},
	} {
		var toks []normalize.Token
		for _, w := range strings.Fields(tc.name) {
			toks = append(toks, normalize.Token{Text: w, Class: normalize.ClassName})
		}
		if a, b := patronymicAt(toks); a != tc.a || b != tc.b {
			t.Errorf("patronymicAt(%q) = %d, %d, want %d, %d", tc.name, a, b, tc.a, tc.b)
		}
	}
}
