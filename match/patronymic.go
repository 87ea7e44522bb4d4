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
// a one-token patronymic. The index and the query mark the tokens once
// (qtok.patr, tok.patr), so that align only reads the marks.
func patronymicAt(toks []normalize.Token) (a, b int) {
	n, second, last, prev := 0, -1, -1, -1
	for i := range toks {
		if toks[i].Class != normalize.ClassName {
			continue
		}
		if n >= 2 && prev >= 0 && normalize.PatronymicWord(toks[i].Text) {
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
		if s, _ := normalize.PatronymicSuffix(toks[i].Text); s != "" {
			return i, -1
		}
	}
	return -1, -1
}

// isPatronymic returns, for each token, whether it is part of the name's
// patronymic (see patronymicAt), or nil when there is none.
func isPatronymic(toks []normalize.Token) []bool {
	var m []bool
	mark := func(i int) {
		if m == nil {
			m = make([]bool, len(toks))
		}
		m[i] = true
	}
	if a, b := patronymicAt(toks); a >= 0 {
		mark(a)
		if b >= 0 {
			mark(b)
		}
	}
	// An Arabic nasab link (bin, ibn, ben, ould, bint and the father's or
	// grandfather's name after it) in the middle of a name plays the part
	// of a patronymic: short forms leave it out (Mounir Helel / Mounir Ben
	// Dhaou Ben Brahim Ben Helal). The last one stays a name part: it is
	// often the family name (Usama bin Laden).
	lastName := -1
	for i := range toks {
		if toks[i].Class == normalize.ClassName {
			lastName = i
		}
	}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Class == normalize.ClassParticle && nasabLink(toks[i].Text) && toks[i+1].Class == normalize.ClassName && i+1 < lastName {
			mark(i)
			mark(i + 1)
		}
	}
	return m
}

// nasabLink reports whether a particle links a name to the father's name.
func nasabLink(t string) bool {
	switch t {
	case "bin", "ibn", "ben", "ould", "bint", "binti", "bte":
		return true
	}
	return false
}
