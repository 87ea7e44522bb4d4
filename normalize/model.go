package normalize

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// The Model system spells a name the way names written in another script
// are most often spelled in Latin, letter by letter, each letter in the
// light of its neighbours (model.tsv, learned from the training parts of
// the transliteration pairs). It is what finds a European, African or Asian
// name transcribed into Chinese (乔治·布什, George Bush), or into Hebrew or
// Arabic without its vowels, where the romanization rules, made for names
// native to the script, spell the sounds of that script instead.

//go:embed model.tsv
var modelTSV string

// letterModel maps a context of three characters (see model.tsv) to the
// Latin spelling of its middle letter and how many pairs gave it.
type letterModel map[string]modelSpelling

type modelSpelling struct {
	latin string
	n     int
}

var loadModel = sync.OnceValue(func() letterModel {
	m := make(letterModel, 12000)
	for _, line := range strings.Split(modelTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		m[f[0]] = modelSpelling{f[1], n}
	}
	return m
})

func modelKey(p, c, n rune) string { return string([]rune{p, c, n}) }

// spell returns the model's spelling of rs[i], and false when the model
// does not know the letter.
func (m letterModel) spell(rs []rune, i int) (string, bool) {
	p, n := '^', '$'
	if i > 0 {
		p = rs[i-1]
	}
	if i+1 < len(rs) {
		n = rs[i+1]
	}
	c := rs[i]
	if s, ok := m[modelKey(p, c, n)]; ok {
		return s.latin, true
	}
	l, lok := m[modelKey(p, c, '*')]
	r, rok := m[modelKey('*', c, n)]
	switch {
	case lok && rok:
		if l.n >= r.n {
			return l.latin, true
		}
		return r.latin, true
	case lok:
		return l.latin, true
	case rok:
		return r.latin, true
	}
	s, ok := m[modelKey('*', c, '*')]
	return s.latin, ok
}

// modelScript reports whether the model spells letters of r's script.
func modelScript(r rune) bool {
	return unicode.In(r, modelTables...)
}

var modelTables = []*unicode.RangeTable{unicode.Arabic, unicode.Cyrillic, unicode.Hebrew, unicode.Han}

// romanizeModel is romanizeFolded for the Model system: "" when the name has
// no word the model spells. Han words are spelled by the model only when
// they are a transcribed foreign name (a Chinese name is pinyin).
func romanizeModel(words []string) string {
	m := loadModel()
	hc := hanContextOf(words)
	any := false
	out := make([]string, len(words))
	for i, w := range words {
		if p, ok := arabicWords[w]; ok {
			out[i] = p
			continue
		}
		rs := []rune(w)
		if isHanWord(rs) {
			if k, _ := classifyHan(rs, hc); k != hanForeign {
				out[i] = romanizeHan(rs, ICAO, hc)
				continue
			}
		}
		var b strings.Builder
		start := 0
		if len(rs) > 3 && rs[0] == 'ا' && rs[1] == 'ل' {
			b.WriteString("al ")
			start = 2
		}
		body := rs[start:]
		for j := range body {
			if !modelScript(body[j]) {
				b.WriteString(romanizeWord(string(body[j]), ICAO))
				continue
			}
			s, ok := m.spell(body, j)
			if !ok {
				s = romanizeWord(string(body[j]), BGN)
			}
			b.WriteString(s)
			any = true
		}
		out[i] = b.String()
	}
	if !any {
		return ""
	}
	return strings.Join(out, " ")
}

// hanForeignName reports whether folded text holds a Han word the model
// spells: a transcribed foreign name.
func hanForeignName(f string) bool {
	words := strings.Split(f, " ")
	hc := hanContextOf(words)
	if !hc.any {
		return false
	}
	for _, w := range words {
		if rs := []rune(w); isHanWord(rs) {
			if k, _ := classifyHan(rs, hc); k == hanForeign {
				return true
			}
		}
	}
	return false
}

// setSources sets the Source of each name-part token of the Model
// romanization of the folded name f to the Arabic, Cyrillic or Hebrew word
// it spells, when the tokens and the words (the Arabic article apart) line up
// one to one.
func setSources(toks []Token, f string) {
	var words []string
	for _, w := range strings.Fields(f) {
		if rs := []rune(w); len(rs) > 3 && rs[0] == 'ا' && rs[1] == 'ل' {
			if _, fixed := arabicWords[w]; !fixed {
				words = append(words, "ال", string(rs[2:]))
				continue
			}
		}
		words = append(words, w)
	}
	if len(words) != len(toks) {
		return
	}
	for i := range toks {
		if toks[i].Class != ClassName {
			continue
		}
		if _, fixed := arabicWords[words[i]]; fixed {
			continue
		}
		rs := []rune(words[i])
		if len(rs) < 2 || !unicode.In(rs[0], unicode.Arabic, unicode.Hebrew, unicode.Cyrillic) {
			continue
		}
		toks[i].Source = words[i]
	}
}
