package ofac

import (
	"strings"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
	"golang.org/x/text/encoding/charmap"
)

// Publisher is the publisher of both OFAC lists.
const Publisher = "US Department of the Treasury, Office of Foreign Assets Control"

// detailsURL is the sanctions search page of one record; the uid follows.
const detailsURL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id="

// Formats lists the OFAC formats this package reads.
var Formats = []source.Format{
	{Name: "ofac-csv", Detect: detectCSV, Parse: parseCSV, Member: csvMember},
	{Name: "ofac-xml", Detect: detectXML, Parse: parseXML},
	{Name: "ofac-enhanced-xml", Detect: detectEnhanced, Parse: parseEnhanced},
}

// newEntity returns an entity with the fields every OFAC record has.
func newEntity(list, uid string) interdict.Entity {
	return interdict.Entity{
		ID:        interdict.EntityID(list, uid),
		List:      list,
		SourceID:  uid,
		SourceURL: detailsURL + uid,
	}
}

// isUID reports whether s is an OFAC record id (ent_num, uid): all digits.
func isUID(s string) bool {
	if s == "" || len(s) > 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// field returns a CSV or XML field with white space cleaned and OFAC's null
// marker "-0-" turned into "".
func field(s string) string {
	s = source.CleanSpace(s)
	if s == "-0-" {
		return ""
	}
	return s
}

// personName builds a name as OFAC publishes it. For individuals "LAST,
// First" is split into family and given parts at the first comma.
func personName(full string, q interdict.NameQuality, kind interdict.Kind) (interdict.Name, bool) {
	n, ok := source.NewName(full, q)
	if !ok {
		return n, false
	}
	if kind == interdict.KindPerson {
		if last, first, found := strings.Cut(n.Full, ","); found {
			last, first = strings.TrimSpace(last), strings.TrimSpace(first)
			if last != "" && first != "" {
				n.Parts = []interdict.NamePart{{Type: interdict.PartFamily, Value: last}, {Type: interdict.PartGiven, Value: first}}
			}
		}
	}
	return n, true
}

// splitNameFields joins an XML lastName and firstName the way the CSV writes
// them ("LAST, First") and returns the parts.
func splitNameFields(last, first string, q interdict.NameQuality, kind interdict.Kind) (interdict.Name, bool) {
	last, first = field(last), field(first)
	if first == "" {
		return personName(last, q, kind)
	}
	if last == "" {
		n, ok := source.NewName(first, q)
		if ok {
			n.Parts = []interdict.NamePart{{Type: interdict.PartGiven, Value: first}}
		}
		return n, ok
	}
	n, ok := source.NewName(last+", "+first, q)
	if ok {
		n.Parts = []interdict.NamePart{{Type: interdict.PartFamily, Value: last}, {Type: interdict.PartGiven, Value: first}}
	}
	return n, ok
}

// aliasQuality maps an OFAC alias type (a.k.a., f.k.a., n.k.a.; "aka" in
// the CSV) and category (strong, weak) to a name quality. A former name is
// NameFormer whatever its category.
func aliasQuality(typ, category string) interdict.NameQuality {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(typ), ".", ""))
	if t == "fka" {
		return interdict.NameFormer
	}
	if strings.EqualFold(strings.TrimSpace(category), "weak") {
		return interdict.NameWeak
	}
	return interdict.NameStrong
}

// splitPrograms splits the CSV Program field, "IRAN] [SDGT] [IFSR".
func splitPrograms(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "] [") {
		p = strings.TrimSpace(strings.Trim(strings.TrimSpace(p), "[]"))
		if p != "" && !source.IsNull(p) {
			out = source.AppendUnique(out, p)
		}
	}
	return out
}

// addAddress appends an address built from its parts and records its country
// among the entity's countries. It ignores an address with no content.
func addAddress(e *interdict.Entity, street, city, region, postal, countryText, iso string) {
	a := interdict.Address{Street: street, City: city, Region: region, PostalCode: postal}
	setCountry(&a, countryText, iso)
	parts := []string{street, city, region, postal}
	if countryText != "" {
		parts = append(parts, countryText)
	} else if a.Country != "" {
		parts = append(parts, country.Name(a.Country))
	}
	a.Full = joinNonEmpty(parts, ", ")
	if a.Full == "" {
		return
	}
	e.Addresses = append(e.Addresses, a)
	e.Countries = source.AppendUnique(e.Countries, a.Country)
}

// setCountry resolves a published country into a.Country, keeping the text
// in CountryName when it could not be resolved or differs from the code's
// name ("Region: Crimea"). iso, when set, is the code the file itself gives.
func setCountry(a *interdict.Address, text, iso string) {
	if iso == "" {
		iso = countryCode(text)
	}
	a.Country = iso
	if text != "" && (iso == "" || !strings.EqualFold(country.Name(iso), text)) {
		a.CountryName = text
	}
}

// countryCode resolves an OFAC country name ("Korea, North", "Region:
// Gaza", "Congo, Democratic Republic of the") to an ISO alpha-2 code, or "".
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if c := country.Code(s); c != "" {
		return c
	}
	if rest, ok := strings.CutPrefix(s, "Region: "); ok {
		return country.Code(rest)
	}
	return ""
}

func joinNonEmpty(parts []string, sep string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// decodeText returns data as UTF-8 text: as is when it is valid UTF-8 (less a
// byte order mark), else decoded as Windows-1252, the encoding of older OFAC
// files. A trailing Ctrl-Z (0x1A) end-of-file marker is dropped.
func decodeText(data []byte) string {
	data = trimEOF(data)
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		data = data[3:]
	}
	if utf8.Valid(data) {
		return string(data)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		// Windows-1252 decodes every byte; keep the bytes as a last resort.
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

// trimEOF drops trailing Ctrl-Z bytes and white space.
func trimEOF(data []byte) []byte {
	for len(data) > 0 {
		switch data[len(data)-1] {
		case 0x1A, '\r', '\n', ' ', '\t':
			data = data[:len(data)-1]
			continue
		}
		break
	}
	return data
}

// resolveLinks sets the Target of "Linked To" relations that name, by its
// primary name, exactly one entity among es.
func resolveLinks(es []interdict.Entity) {
	byName := make(map[string]string, len(es))
	for i := range es {
		k := strings.ToUpper(es[i].PrimaryName())
		if _, dup := byName[k]; dup {
			byName[k] = "" // ambiguous
			continue
		}
		byName[k] = es[i].ID
	}
	for i := range es {
		for j := range es[i].Relations {
			rel := &es[i].Relations[j]
			if rel.Target != "" || rel.TargetName == "" {
				continue
			}
			// The remark's closing full stop may have eaten the one of
			// "CO., LTD.", or belong to the name: try both.
			k := strings.ToUpper(rel.TargetName)
			id := byName[k]
			if id == "" {
				id = byName[k+"."]
			}
			if id == "" {
				id = byName[strings.TrimSuffix(k, ".")]
			}
			if id != "" && id != es[i].ID {
				rel.Target = id
			}
		}
	}
}
