package match

import "github.com/interdict/interdict/normalize"

// patronymicCost is the part of its weight that a patronymic present on
// one side only costs when left unmatched: lists and customers drop it
// more often than not (Karina Yurievna ROTENBERG / Karina ROTENBERG).
const patronymicCost = 0.25

// patronymicAt returns the indexes of the tokens of a name's patronymic:
// an East Slavic one (Sergeevich, Mykolayovych, Yurievna) standing second
// among the name parts, after the given name, or else last ("ROTENBERG
// Karina Yurievna"), in a name of three parts at least; or a Turkic one,
// the father's name and oglu/uly/kyzy after it, with a name part before
// them. A surname ending like a patronymic (Abramovich) is taken for one
// only in those places. It returns -1, -1 when there is none; b is -1 for
// a one-token patronymic.
func patronymicAt[T token](toks []T) (a, b int) {
	n, second, last, prev := 0, -1, -1, -1
	for i := range toks {
		t, cl := toks[i].textClass()
		if cl != normalize.ClassName {
			continue
		}
		if n >= 2 && prev >= 0 && normalize.PatronymicWord(t) {
			return prev, i
		}
		if n == 1 {
			second = i
		}
		last, prev = i, i
		n++
	}
	if n < 3 {
		return -1, -1
	}
	for _, i := range [2]int{second, last} {
		if t, _ := toks[i].textClass(); len(t) >= 7 {
			if s, _ := normalize.PatronymicSuffix(t); s != "" {
				return i, -1
			}
		}
	}
	return -1, -1
}

// unmatchedPatronymic returns the indexes of the tokens of a name's
// patronymic (see patronymicAt) that are left unmatched, -1 for none.
func unmatchedPatronymic[T token](toks []T, matched []bool) (a, b int) {
	a, b = patronymicAt(toks)
	if a >= 0 && matched[a] {
		a = -1
	}
	if b >= 0 && matched[b] {
		b = -1
	}
	return a, b
}
