// Package html holds the web UI's templates and static assets, embedded in
// the binary (no CDN), and the view helpers the templates use. Templates
// are html/template, so every value is escaped for its context: list data
// is hostile input. htmx (2.0.11, vendored from npm; see
// static/VENDOR.md) adds partial page updates, and every page also works
// without script.
package html

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"strings"
	"unicode"

	"github.com/interdict/interdict"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Static returns the static assets (htmx.min.js, app.css), rooted so that
// "htmx.min.js" names a file.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	return sub
}

// Templates are the parsed pages. Each page is the layout plus the page's
// own file; Render executes the whole page and RenderBlock one named block
// (the fragments htmx swaps in).
type Templates struct {
	pages map[string]*template.Template
}

// Pages are the page names Render accepts.
var Pages = []string{"screen", "goods", "entity", "lists", "diff", "batch", "job", "login", "error", "alerts", "alert", "book", "audit", "listupload", "documents", "graph", "rescreens", "media", "article"}

// Parse parses the embedded templates.
func Parse() (*Templates, error) {
	t := &Templates{pages: map[string]*template.Template{}}
	for _, p := range Pages {
		tp, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+p+".html")
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
		t.pages[p] = tp
	}
	return t, nil
}

// Render writes a whole page.
func (t *Templates) Render(w io.Writer, page string, data any) error {
	return t.RenderBlock(w, page, "layout", data)
}

// RenderBlock writes one named block of a page.
func (t *Templates) RenderBlock(w io.Writer, page, block string, data any) error {
	tp, ok := t.pages[page]
	if !ok {
		return fmt.Errorf("no page %q", page)
	}
	return tp.ExecuteTemplate(w, block, data)
}

var funcs = template.FuncMap{
	"pct": func(f float64) int { return int(math.Round(f * 100)) },
	"score": func(f float64) string {
		return fmt.Sprintf("%.3f", f)
	},
	"effect": func(f float64) string {
		if f > 0 {
			return fmt.Sprintf("+%.3f", f)
		}
		return fmt.Sprintf("%.3f", f)
	},
	"sign": func(f float64) string {
		switch {
		case f > 0:
			return "up"
		case f < 0:
			return "down"
		}
		return "none"
	},
	"join":     strings.Join,
	"isClosed": func(s interdict.AlertState) bool { return s.Closed() },
	"programs": Programs,
	"add":      func(a, b int) int { return a + b },
	"days":     func(seconds float64) int { return int(seconds / 86400) },
	"listName": func(id string) string {
		if l, ok := interdict.LookupList(id); ok {
			return l.Name
		}
		return id
	},
	"controlList": func(id string) string {
		switch id {
		case interdict.ListEUAnnexI:
			return "EU Dual-Use Annex I"
		case interdict.ListUSCCL:
			return "US Commerce Control List"
		}
		return id
	},
	"kindOptions": func() []interdict.Kind {
		return []interdict.Kind{interdict.KindPerson, interdict.KindOrganization, interdict.KindVessel, interdict.KindAircraft}
	},
}

// cslSubLists names the sub-lists of the US Consolidated Screening List by
// the codes its rows carry (see package source/csl).
var cslSubLists = map[string]string{
	"EL":     "Entity List, BIS",
	"DPL":    "Denied Persons List, BIS",
	"UVL":    "Unverified List, BIS",
	"MEU":    "Military End User List, BIS",
	"ISN":    "Nonproliferation Sanctions, State",
	"DTC":    "ITAR Debarred, State",
	"SDN":    "Specially Designated Nationals, OFAC",
	"SSI":    "Sectoral Sanctions Identifications, OFAC",
	"PLC":    "Palestinian Legislative Council, OFAC",
	"CMIC":   "Chinese Military-Industrial Complex Companies, OFAC",
	"CAP":    "Correspondent Account or Payable-Through Account Sanctions, OFAC",
	"NS-MBS": "Non-SDN Menu-Based Sanctions, OFAC",
	"MBS":    "Non-SDN Menu-Based Sanctions, OFAC",
	"FSE":    "Foreign Sanctions Evaders, OFAC",
}

// Programs joins a hit's programs for display, naming the sub-list of a
// Consolidated Screening List code ("EL (Entity List, BIS)").
func Programs(list string, programs []string) string {
	out := make([]string, len(programs))
	for i, p := range programs {
		out[i] = p
		if n, ok := cslSubLists[p]; ok && list == interdict.ListCSL {
			out[i] = p + " (" + n + ")"
		}
	}
	return strings.Join(out, ", ")
}

// Segment is a run of text, marked when it is a token that matched.
type Segment struct {
	Text string
	// Kind is the match kind of a marked segment ("exact", "phonetic",
	// ...), "" for an unmarked one.
	Kind interdict.MatchKind
}

// Highlight splits text into segments, marking each word that equals (case
// and accents aside) one of the tokens of matched, which maps a token to
// how it matched. Joined tokens ("bin laden") mark each of their words.
func Highlight(text string, matched map[string]interdict.MatchKind) []Segment {
	words := map[string]interdict.MatchKind{}
	for tok, k := range matched {
		for _, w := range strings.Fields(tok) {
			words[fold(w)] = k
		}
	}
	return segments(text, func(w string) interdict.MatchKind { return words[fold(w)] })
}

// HighlightTerms is Highlight for the stemmed terms of the goods
// classifier ("pump", "frequency changer"): a word is marked when it is a
// term or an inflection of one ("pumps", "batteries" for "battery",
// "alloyed" for "alloy"). Terms of two letters or fewer mark only
// themselves. A term of several words marks each of its words.
func HighlightTerms(text string, terms map[string]interdict.MatchKind) []Segment {
	stems := map[string]interdict.MatchKind{}
	for t, k := range terms {
		for _, w := range strings.Fields(t) {
			stems[fold(w)] = k
		}
	}
	return segments(text, func(w string) interdict.MatchKind {
		w = fold(w)
		if k, ok := stems[w]; ok {
			return k
		}
		for t, k := range stems {
			if len(t) > 2 && inflects(w, t) {
				return k
			}
		}
		return ""
	})
}

// inflects reports whether w is an English inflection of stem t: t with
// an ending such as "s", "es", "ed" or "ing" ("pumps", "alloying"), or a
// final y turned into "ies".
func inflects(w, t string) bool {
	if rest, ok := strings.CutPrefix(w, t); ok {
		switch rest {
		case "s", "es", "d", "ed", "ing", "er", "ers":
			return true
		}
	}
	return strings.HasSuffix(t, "y") && w == t[:len(t)-1]+"ies"
}

// segments splits text into runs of word and non-word characters, marking
// each word with kind(word) and merging adjacent unmarked runs.
func segments(text string, kind func(word string) interdict.MatchKind) []Segment {
	var out []Segment
	start, inWord := 0, false
	flush := func(end int, word bool) {
		if end <= start {
			return
		}
		s := Segment{Text: text[start:end]}
		if word {
			s.Kind = kind(s.Text)
		}
		if n := len(out); n > 0 && out[n-1].Kind == "" && s.Kind == "" {
			out[n-1].Text += s.Text
		} else {
			out = append(out, s)
		}
		start = end
	}
	for i, r := range text {
		isWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if isWord != inWord {
			flush(i, inWord)
			inWord = isWord
		}
	}
	flush(len(text), inWord)
	return out
}

// fold lowers a word and drops Latin accents, so that "Müller" marks
// "muller".
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if base, ok := latinBase[r]; ok {
			b.WriteString(base)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var latinBase = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i",
	'ł': "l", 'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o",
	'ř': "r", 'ś': "s", 'š': "s", 'ş': "s", 'ș': "s", 'ť': "t", 'ţ': "t", 'ț': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z", 'ß': "ss",
}
