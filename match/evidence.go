package match

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/normalize"
)

// dateRange is a closed interval of dates as YYYYMMDD integers, with the
// precision it was given at.
type dateRange struct {
	from, to int
	prec     interdict.DatePrecision
}

func ymd(s string) (int, bool) {
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 8 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func birthDates(e *interdict.Entity) []dateRange {
	var out []dateRange
	for _, d := range e.Dates {
		if d.Type != interdict.DateBirth {
			continue
		}
		f, ok1 := ymd(d.From)
		t, ok2 := ymd(d.To)
		if !ok1 && !ok2 {
			continue
		}
		if !ok1 {
			f = t
		}
		if !ok2 {
			t = f
		}
		out = append(out, dateRange{f, t, d.Precision})
	}
	return out
}

// parseDOB reads YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or
// DD-MM-YYYY into an interval, and an interval FROM/TO of the first three
// forms (interdict.ParseDOB writes "circa 1970" as 1965/1975, an ambiguous
// 03/04/1970 as 1970-03-04/1970-04-03).
func parseDOB(s string) (dateRange, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return dateRange{}, false
	}
	if a, b, ok := strings.Cut(s, "/"); ok && isoYear(a) && isoYear(b) {
		from, ok1 := parseDOB(a)
		to, ok2 := parseDOB(b)
		if !ok1 || !ok2 || to.to < from.from {
			return dateRange{}, false
		}
		return dateRange{from.from, to.to, interdict.PrecisionRange}, true
	}
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '.' || r == '/' || r == ' ' })
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return dateRange{}, false
		}
	}
	switch {
	case len(parts) == 1 && len(parts[0]) == 4:
		y := atoi(parts[0])
		return dateRange{y*10000 + 101, y*10000 + 1231, interdict.PrecisionYear}, true
	case len(parts) == 2 && len(parts[0]) == 4:
		y, m := atoi(parts[0]), atoi(parts[1])
		if m < 1 || m > 12 {
			return dateRange{}, false
		}
		return dateRange{y*10000 + m*100 + 1, y*10000 + m*100 + 31, interdict.PrecisionMonth}, true
	case len(parts) == 3 && len(parts[0]) == 4:
		y, m, d := atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
		if m < 1 || m > 12 || d < 1 || d > 31 {
			return dateRange{}, false
		}
		v := y*10000 + m*100 + d
		return dateRange{v, v, interdict.PrecisionDay}, true
	case len(parts) == 3 && len(parts[2]) == 4:
		y, m, d := atoi(parts[2]), atoi(parts[1]), atoi(parts[0])
		if m < 1 || m > 12 || d < 1 || d > 31 {
			return dateRange{}, false
		}
		v := y*10000 + m*100 + d
		return dateRange{v, v, interdict.PrecisionDay}, true
	}
	return dateRange{}, false
}

// evidence computes the secondary evidence for a query and an entity. It
// returns the evidence items; their effects sum to the score adjustment.
func (ix *Index) evidence(q *interdict.Query, read readKind, ent uint32, w *Weights, qd dateRange, hasDOB bool) []interdict.Evidence {
	e := &ix.entities[ent]
	var out []interdict.Evidence
	// Kind: given with the query, or read from its name.
	if q.Kind != "" && q.Kind != interdict.KindUnknown && e.Kind != "" && e.Kind != interdict.KindUnknown && q.Kind != e.Kind {
		out = append(out, interdict.Evidence{Feature: "kind", Query: string(q.Kind), Entity: string(e.Kind), Effect: -2 * w.KindMismatch, Note: "different kind of party"})
	} else if (q.Kind == "" || q.Kind == interdict.KindUnknown) && read.kind != "" && e.Kind != "" && e.Kind != interdict.KindUnknown && read.kind != e.Kind &&
		!(read.kind == interdict.KindOrganization && (e.Kind == interdict.KindVessel || e.Kind == interdict.KindAircraft)) {
		out = append(out, interdict.Evidence{Feature: "kind", Query: string(read.kind), Entity: string(e.Kind), Effect: -w.KindMismatch, Note: "the name reads as a" + article(read.kind) + " " + string(read.kind) + "'s (" + read.word + ")"})
	} else if (q.Kind == interdict.KindPerson || (q.Kind == "" || q.Kind == interdict.KindUnknown) && read.kind == interdict.KindPerson) && ix.orgish[ent] {
		// A list that gives no kind (the CSL's entries) still names a
		// company with a legal form or a company's word.
		out = append(out, interdict.Evidence{Feature: "kind", Query: string(interdict.KindPerson), Entity: string(interdict.KindOrganization), Effect: -2 * w.KindMismatch, Note: "the listed name reads as an organisation's"})
	}
	// Birth date: only disjoint intervals count against.
	if hasDOB && len(ix.dates[ent]) > 0 && (e.Kind == interdict.KindPerson || e.Kind == interdict.KindUnknown || e.Kind == "") {
		best := -1 << 30
		var bestRange dateRange
		overlap := false
		for _, d := range ix.dates[ent] {
			if d.from <= qd.to && qd.from <= d.to {
				overlap = true
				if !overlap || d.to-d.from < bestRange.to-bestRange.from || bestRange.to == 0 {
					bestRange = d
				}
				continue
			}
			gap := d.from - qd.to
			if g := qd.from - d.to; g > gap {
				gap = g
			}
			if -gap > best {
				best = -gap
				if !overlap {
					bestRange = d
				}
			}
		}
		ent := fmtRange(bestRange)
		switch {
		case overlap && qd.prec == interdict.PrecisionDay && bestRange.from == bestRange.to:
			out = append(out, interdict.Evidence{Feature: "dob", Query: q.DOB, Entity: ent, Effect: w.DOBMatch, Note: "same day"})
		case overlap:
			out = append(out, interdict.Evidence{Feature: "dob", Query: q.DOB, Entity: ent, Effect: w.DOBMatch / 2, Note: "intervals overlap"})
		default:
			// A full date against a listed full date a year or more away
			// is strong evidence of another person: the list is sure of
			// the day. A listed year, month or interval (circa) is less
			// sure, and a gap of under a year may be a slip.
			years := float64(-best) / 10000
			eff := -w.DOBMismatch
			note := "disjoint dates"
			switch {
			case years < 1:
				eff /= 2
				note = "disjoint dates, less than a year apart"
			case qd.prec == interdict.PrecisionDay && bestRange.from == bestRange.to:
				eff *= 2.5
				note = "full dates a year or more apart"
			case years >= 5:
				eff *= 1.5
				note = "disjoint dates, five years or more apart"
			}
			out = append(out, interdict.Evidence{Feature: "dob", Query: q.DOB, Entity: ent, Effect: eff, Note: note})
		}
	}
	// Country.
	if q.Country != "" {
		qc := country.Code(q.Country)
		if qc == "" && len(q.Country) == 2 {
			qc = strings.ToUpper(q.Country)
		}
		codes := entityCountries(e)
		if qc != "" && len(codes) > 0 {
			if codes[qc] {
				out = append(out, interdict.Evidence{Feature: "country", Query: qc, Entity: qc, Effect: w.CountryMatch, Note: "country in common"})
			} else {
				out = append(out, interdict.Evidence{Feature: "country", Query: qc, Entity: joinKeys(codes), Effect: -w.CountryMismatch, Note: "no country in common"})
			}
		}
	}
	// Address.
	if q.Address != "" && len(e.Addresses) > 0 {
		qt := addrTokens(q.Address)
		best, bestAddr := 0.0, ""
		for _, a := range e.Addresses {
			at := addrTokens(strings.Join([]string{a.Full, a.Street, a.City, a.Region, a.PostalCode}, " "))
			n := 0
			for t := range qt {
				if at[t] {
					n++
				}
			}
			if len(qt) > 0 {
				if f := float64(n) / float64(len(qt)); f > best {
					best, bestAddr = f, strings.TrimSpace(a.Full+" "+a.City)
				}
			}
		}
		if best >= 0.5 {
			out = append(out, interdict.Evidence{Feature: "address", Query: q.Address, Entity: bestAddr, Effect: w.AddressMatch * best, Note: fmt.Sprintf("%.0f%% of address words in common", best*100)})
		}
	}
	return out
}

func fmtRange(d dateRange) string {
	f := func(v int) string { return fmt.Sprintf("%04d-%02d-%02d", v/10000, v/100%100, v%100) }
	if d.from == d.to {
		return f(d.from)
	}
	return f(d.from) + "/" + f(d.to)
}

func entityCountries(e *interdict.Entity) map[string]bool {
	m := map[string]bool{}
	for _, l := range [][]string{e.Nationalities, e.Citizenships, e.Countries} {
		for _, c := range l {
			if c != "" {
				m[c] = true
			}
		}
	}
	for _, a := range e.Addresses {
		if a.Country != "" {
			m[a.Country] = true
		}
	}
	for _, p := range e.BirthPlaces {
		if p.Country != "" {
			m[p.Country] = true
		}
	}
	return m
}

func joinKeys(m map[string]bool) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sortStrings(ks)
	return strings.Join(ks, ",")
}

func addrTokens(s string) map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	}) {
		if len(t) >= 3 {
			m[t] = true
		}
	}
	return m
}

// readKind is the kind of party a query's name reads as, when it says: a
// legal form (LLC, GmbH) makes it an organisation's (or a vessel's or
// aircraft's, named after its owner); a Chinese name of a family name and
// a given name a person's. word is the word that says so. A
// title (Sheikh, Haji) says less: exchange houses and firms are named
// after their owners with their titles (Haji Khairullah Haji Sattar
// Sarafi).
type readKind struct {
	kind interdict.Kind
	word string
}

// kindOfName reads the kind of party from the name of a query and its
// primary form. A Chinese person's name (a family name and one to three
// characters) reads as a person's.
func kindOfName(name string, qfs []qform) readKind {
	if len(qfs) == 0 {
		return readKind{}
	}
	if !qfs[0].latin && normalize.ChinesePersonalName(name) {
		return readKind{interdict.KindPerson, "Chinese personal name"}
	}
	for _, t := range qfs[0].toks {
		if t.class == normalize.ClassLegalForm {
			return readKind{interdict.KindOrganization, t.text}
		}
	}
	return readKind{}
}

func article(k interdict.Kind) string {
	if k == interdict.KindOrganization || k == interdict.KindAircraft {
		return "n"
	}
	return ""
}

// isoYear reports whether s starts with a four-digit year and holds no
// slash (one end of a FROM/TO interval).
func isoYear(s string) bool {
	if len(s) < 4 || strings.Contains(s, "/") {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) == 4 || s[4] == '-'
}

// gender is a party's gender for the gender evidence: 'f', 'm' or 0, and
// the given name it was read from when the party does not say it.
type gender struct {
	g    byte
	from string
}

func (g gender) String() string {
	if g.g == normalize.GenderFemale {
		return "female"
	}
	return "male"
}

// declaredGender reads "male" or "female".
func declaredGender(s string) byte {
	switch s {
	case "male":
		return normalize.GenderMale
	case "female":
		return normalize.GenderFemale
	}
	return normalize.GenderUnknown
}

// queryGender is the query's gender: the one it gives, or the usual gender
// of the first name part of its primary form that has one, when that form
// is spelled by rule (Latin letters, Cyrillic, Greek, Hangul, ...): a
// spelling guessed from Arabic or Hebrew without vowels, or from Han, may
// be another given name. A query of a kind other than person has none.
func queryGender(q *interdict.Query, qfs []qform) gender {
	if q.Kind != "" && q.Kind != interdict.KindUnknown && q.Kind != interdict.KindPerson {
		return gender{}
	}
	if g := declaredGender(q.Gender); g != 0 {
		return gender{g: g}
	}
	if len(qfs) == 0 {
		return gender{}
	}
	if script := interdict.Script(q.Name); guessedScript(script) || script == "Hani" || script == "Jpan" {
		return gender{}
	}
	for _, t := range qfs[0].toks {
		if t.guess || t.sound {
			return gender{}
		}
		if t.class != normalize.ClassName {
			continue
		}
		if g := normalize.GivenNameGender(t.text); g != 0 {
			return gender{g, t.text}
		}
	}
	return gender{}
}

// genderEvidence weighs the query's gender against the entity's: the one
// its list gives, or the usual gender of the first name part of the name
// that matched that has one. Only a difference counts (against), and never
// enough alone to keep a name that matches word for word below the default
// threshold.
func (ix *Index) genderEvidence(q *interdict.Query, qg gender, f *form, w *Weights) (interdict.Evidence, bool) {
	e := &ix.entities[f.ent]
	if !f.person || e.Kind != interdict.KindPerson && e.Kind != interdict.KindUnknown && e.Kind != "" {
		return interdict.Evidence{}, false
	}
	eg := gender{g: declaredGender(e.Gender)}
	if eg.g == 0 {
		for _, t := range ix.ftoks(f) {
			if t.class != normalize.ClassName {
				continue
			}
			if g := normalize.GivenNameGender(ix.vocab[t.id]); g != 0 {
				eg = gender{g, ix.vocab[t.id]}
				break
			}
		}
	}
	if eg.g == 0 || eg.g == qg.g {
		return interdict.Evidence{}, false
	}
	// A list that gives the gender of a person whose name holds the given
	// name the query's gender was read from knows that name better than
	// the table (Mya, a man's name in Myanmar).
	if qg.from != "" && eg.from == "" {
		for _, t := range ix.ftoks(f) {
			if ix.vocab[t.id] == qg.from {
				return interdict.Evidence{}, false
			}
		}
	}
	eff := -w.GenderMismatch
	note := "genders differ"
	if qg.from != "" || eg.from != "" {
		eff *= 0.75
		var by []string
		if qg.from != "" {
			by = append(by, "the query's given name "+qg.from)
		}
		if eg.from != "" {
			by = append(by, "the listed given name "+eg.from)
		}
		note += " (read from the usual gender of " + strings.Join(by, " and ") + ")"
	}
	return interdict.Evidence{Feature: "gender", Query: qg.String(), Entity: eg.String(), Effect: eff, Note: note}, true
}
