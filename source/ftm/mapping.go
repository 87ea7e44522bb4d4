package ftm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

// kinds maps the FtM party schemata to entity kinds.
var kinds = map[string]interdict.Kind{
	"Person":       interdict.KindPerson,
	"Organization": interdict.KindOrganization,
	"Company":      interdict.KindOrganization,
	"LegalEntity":  interdict.KindOrganization,
	"PublicBody":   interdict.KindOrganization,
	"Vessel":       interdict.KindVessel,
	"Airplane":     interdict.KindAircraft,
}

// link describes an FtM interval schema that links two parties: a is the
// property naming one side, b the other; ab is how a relates to b, ba how b
// relates to a; note lists the properties that qualify the link, label the
// note's default wording for b's side.
type link struct {
	a, b   string
	ab, ba interdict.RelationType
	label  string
	note   []string
}

var links = map[string]link{
	"Ownership":      {"owner", "asset", interdict.RelOwnerOf, interdict.RelOwnedBy, "", []string{"role", "ownershipType", "percentage"}},
	"Directorship":   {"director", "organization", interdict.RelDirector, interdict.RelLinkedTo, "director", []string{"role"}},
	"Family":         {"person", "relative", interdict.RelFamily, interdict.RelFamily, "", []string{"relationship"}},
	"Associate":      {"person", "associate", interdict.RelAssociate, interdict.RelAssociate, "", []string{"relationship"}},
	"UnknownLink":    {"subject", "object", interdict.RelLinkedTo, interdict.RelLinkedTo, "", []string{"role"}},
	"Employment":     {"employee", "employer", interdict.RelActingFor, interdict.RelLinkedTo, "employee", []string{"role"}},
	"Membership":     {"member", "organization", interdict.RelLinkedTo, interdict.RelLinkedTo, "member", []string{"role"}},
	"Representation": {"agent", "client", interdict.RelActingFor, interdict.RelLinkedTo, "agent", []string{"role"}},
}

// reverse maps the FtM reverse property names, under which a nested export
// puts link entities inside the party they reference, to the forward
// property of the nested entity that points back at that party.
var reverse = map[string]string{
	"ownershipOwner": "owner", "ownershipAsset": "asset",
	"directorshipDirector": "director", "directorshipOrganization": "organization",
	"familyPerson": "person", "familyRelative": "relative",
	"associates": "person", "associations": "associate",
	"unknownLinkSubject": "subject", "unknownLinkObject": "object",
	"employees": "employer", "employers": "employee",
	"membershipMember": "member", "membershipOrganization": "organization",
	"agencyClient": "client", "agentRepresentation": "agent",
	"sanctions": "entity", "identification": "holder", "passport": "holder",
	"cryptoWallets": "holder",
}

type idSpec struct {
	typ     interdict.IdentifierType
	country string
}

// identifiers maps FtM identifier properties to identifier types.
var identifiers = map[string]idSpec{
	"passportNumber":       {interdict.IDPassport, ""},
	"idNumber":             {interdict.IDNational, ""},
	"socialSecurityNumber": {interdict.IDNational, ""},
	"taxNumber":            {interdict.IDTax, ""},
	"vatCode":              {interdict.IDTax, ""},
	"innCode":              {interdict.IDTax, "RU"},
	"kppCode":              {interdict.IDOther, "RU"},
	"ogrnCode":             {interdict.IDRegistration, "RU"},
	"okpoCode":             {interdict.IDRegistration, ""},
	"bikCode":              {interdict.IDOther, "RU"},
	"registrationNumber":   {interdict.IDRegistration, ""},
	"leiCode":              {interdict.IDLEI, ""},
	"swiftBic":             {interdict.IDBIC, ""},
	"dunsCode":             {interdict.IDOther, ""},
	"uniqueEntityId":       {interdict.IDOther, ""},
	"npiCode":              {interdict.IDOther, ""},
	"imoNumber":            {interdict.IDIMO, ""},
	"mmsi":                 {interdict.IDMMSI, ""},
	"callSign":             {interdict.IDCallSign, ""},
	"serialNumber":         {interdict.IDAircraft, ""},
	"email":                {interdict.IDEmail, ""},
	"phone":                {interdict.IDPhone, ""},
	"website":              {interdict.IDWebsite, ""},
}

var dateTypes = map[string]interdict.DateType{
	"birthDate":         interdict.DateBirth,
	"incorporationDate": interdict.DateIncorporation,
	"buildDate":         interdict.DateBuild,
}

// nameParts are the FtM name-part properties, in the order they are
// matched against a name: given and family names first, so that a value
// repeated in several properties ("Agha" as lastName and middleName) is read
// as the family name.
var nameParts = []struct {
	prop string
	typ  interdict.NamePartType
}{
	{"firstName", interdict.PartGiven},
	{"lastName", interdict.PartFamily},
	{"fatherName", interdict.PartPatronymic},
	{"motherName", interdict.PartMatronymic},
	{"middleName", interdict.PartMiddle},
	{"secondName", interdict.PartMiddle},
}

// partOrder is the order in which name parts make up a name when a person
// has parts but no name.
var partOrder = []string{"firstName", "middleName", "secondName", "fatherName", "lastName"}

// handled are the party properties mapped to fields of their own (or read
// for name parts); every other property is kept in Attributes.
var handled = map[string]bool{
	"name": true, "alias": true, "weakAlias": true, "previousName": true,
	"firstName": true, "middleName": true, "secondName": true, "fatherName": true, "motherName": true, "lastName": true,
	"nationality": true, "citizenship": true, "country": true, "jurisdiction": true, "mainCountry": true, "flag": true,
	"birthCountry": true, "birthPlace": true, "gender": true, "title": true, "position": true,
	"notes": true, "description": true, "summary": true, "program": true, "programId": true,
	"address": true, "addressEntity": true, "createdAt": true,
}

// countryProps are the party properties holding countries, in the order they
// are read, and where they go.
var countryProps = []string{"nationality", "citizenship", "country", "jurisdiction", "mainCountry", "flag"}

// props returns the string values of one property of rec.
func (rec *record) props(name string) []string { return rec.vals[name] }

// addRef adds id to rec's property prop, now or, before prepare, once
// prepare has run.
func (rec *record) addRef(prop, id string) {
	if rec.vals == nil {
		rec.back = append(rec.back, [2]string{prop, id})
		return
	}
	rec.vals[prop] = source.AppendUnique(rec.vals[prop], id)
}

// prepare splits rec's properties into string values and nested entities.
func (rec *record) prepare() (nested map[string][]json.RawMessage) {
	rec.vals = make(map[string][]string, len(rec.ent.Properties))
	defer func() {
		for _, b := range rec.back {
			rec.vals[b[0]] = source.AppendUnique(rec.vals[b[0]], b[1])
		}
		rec.back = nil
	}()
	for k, raw := range rec.ent.Properties {
		raw = bytes.TrimSpace(raw)
		var items []json.RawMessage
		if len(raw) > 0 && raw[0] == '[' {
			if err := json.Unmarshal(raw, &items); err != nil {
				continue // not reachable: the line was valid JSON
			}
		} else {
			items = []json.RawMessage{raw}
		}
		for _, it := range items {
			it = bytes.TrimSpace(it)
			switch {
			case len(it) == 0 || bytes.Equal(it, []byte("null")):
			case it[0] == '"':
				var s string
				if json.Unmarshal(it, &s) == nil {
					if s = strings.TrimSpace(s); s != "" {
						rec.vals[k] = append(rec.vals[k], s)
					}
				}
			case it[0] == '{':
				if nested == nil {
					nested = map[string][]json.RawMessage{}
				}
				nested[k] = append(nested[k], it)
			case it[0] == '[':
				// Arrays in arrays are not FtM; keep the text.
				rec.vals[k] = append(rec.vals[k], string(it))
			default:
				rec.vals[k] = append(rec.vals[k], string(it)) // number or boolean
			}
		}
	}
	return nested
}

// expand reads every record's properties and adds the nested entities to
// the set, linking them to the entity that holds them.
func (s *set) expand() []*record {
	queue := make([]*record, 0, len(s.byID))
	for _, rec := range s.byID {
		queue = append(queue, rec)
	}
	sort.Slice(queue, func(i, j int) bool { return queue[i].seq < queue[j].seq })
	var all []*record
	for len(queue) > 0 {
		rec := queue[0]
		queue = queue[1:]
		all = append(all, rec)
		nested := rec.prepare()
		keys := make([]string, 0, len(nested))
		for k := range nested {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, raw := range nested[k] {
				ent, err := decodeEntity(raw)
				if err != nil {
					s.res.Skip(rec.errorf(k, "read nested entity: %w", err))
					continue
				}
				fwd, isReverse := reverse[k]
				n, ok := s.byID[ent.ID]
				if !ok {
					// Read as if it were a line of its own.
					n = &record{file: rec.file, line: rec.line, ent: ent}
					s.seq++
					n.seq = s.seq
					s.byID[ent.ID] = n
					queue = append(queue, n)
				}
				if isReverse {
					n.addRef(fwd, rec.ent.ID)
				} else {
					rec.addRef(k, ent.ID)
				}
			}
		}
	}
	return all
}

// build maps the set's records to entities in s.res and finishes it.
func (s *set) build() {
	all := s.expand()
	parties := map[string]*interdict.Entity{}
	var order []*record
	for _, rec := range all {
		if kind, ok := kinds[rec.ent.Schema]; ok {
			parties[rec.ent.ID] = s.party(rec, kind)
			order = append(order, rec)
		}
		s.published(rec.ent.LastChange)
		s.published(rec.ent.LastSeen)
	}
	// Addresses, by id and by the ids merged into them.
	addresses := map[string]*record{}
	for _, rec := range all {
		if rec.ent.Schema == "Address" {
			for _, id := range append([]string{rec.ent.ID}, rec.ent.Referents...) {
				if _, dup := addresses[id]; !dup {
					addresses[id] = rec
				}
			}
		}
	}
	used := map[*record]bool{}
	for _, rec := range order {
		e := parties[rec.ent.ID]
		for _, id := range rec.props("addressEntity") {
			a, ok := addresses[id]
			if !ok {
				// Not in the file set: keep the reference.
				e.AddAttribute("addressEntity", id)
				continue
			}
			used[a] = true
			addAddress(e, s.address(a))
		}
	}
	for _, rec := range all {
		schema := rec.ent.Schema
		if _, ok := kinds[schema]; ok {
			continue
		}
		var applied bool
		switch schema {
		case "Address":
			applied = used[rec]
			if !applied {
				s.res.Warn(rec.errorf("", "address %q is referenced by no party in the file set; left out", s.address(rec).Full))
			}
			continue
		case "Sanction":
			applied = s.sanction(rec, parties)
		case "Identification", "Passport":
			applied = s.identification(rec, parties)
		case "CryptoWallet":
			applied = s.wallet(rec, parties)
		default:
			l, ok := links[schema]
			if !ok {
				s.res.Warn(rec.errorf("schema", "schema %s is not a party or a link between parties; left out", schema))
				continue
			}
			applied = s.link(rec, l, parties)
		}
		if !applied {
			s.res.Warn(rec.errorf("", "%s references no party in the file set; left out", schema))
		}
	}
	for _, rec := range order {
		s.res.Entities = append(s.res.Entities, *parties[rec.ent.ID])
	}
	s.res.Finish()
}

// published raises Result.Published to the date of ts, if later.
func (s *set) published(ts string) {
	if len(ts) < 10 {
		return
	}
	d := ts[:10]
	if _, err := source.ParseDate(interdict.DateOther, d, source.DayFirst); err != nil {
		return
	}
	if d > s.res.Published {
		s.res.Published = d
	}
}

// country resolves an FtM country code; it reports false for codes with no
// ISO alpha-2 equivalent ("suhh", "zz").
func resolveCountry(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(v) == 2 {
		c := country.Code(strings.ToUpper(v))
		return c, c != ""
	}
	if len(v) == 4 || len(v) == 0 {
		return "", false // FtM's codes for former states: suhh, csxx, yucs, ddde
	}
	c := country.Code(v)
	return c, c != ""
}

// countryOf resolves a country value of rec's property prop, warning and
// keeping it in e's attributes when it cannot be resolved.
func (s *set) countryOf(rec *record, e *interdict.Entity, prop, v string) string {
	c, ok := resolveCountry(v)
	if !ok {
		e.AddAttribute(prop, v)
		s.res.Warn(rec.errorf(prop, "country %q has no ISO 3166-1 alpha-2 code; kept in attributes", v))
	}
	return c
}

func (s *set) party(rec *record, kind interdict.Kind) *interdict.Entity {
	ent := rec.ent
	e := &interdict.Entity{
		ID:        interdict.EntityID(s.res.List, ent.ID),
		SourceID:  ent.ID,
		SourceURL: fmt.Sprintf(EntityURL, ent.ID),
		Kind:      kind,
	}
	s.names(rec, e)
	for _, prop := range countryProps {
		for _, v := range rec.props(prop) {
			c := s.countryOf(rec, e, prop, v)
			switch prop {
			case "nationality":
				e.Nationalities = source.AppendUnique(e.Nationalities, c)
			case "citizenship":
				e.Citizenships = source.AppendUnique(e.Citizenships, c)
			default:
				e.Countries = source.AppendUnique(e.Countries, c)
			}
		}
	}
	birthCountry := ""
	for _, v := range rec.props("birthCountry") {
		if c := s.countryOf(rec, e, "birthCountry", v); c != "" && birthCountry == "" {
			birthCountry = c
		}
	}
	for _, v := range rec.props("birthPlace") {
		p := interdict.Place{Text: source.CleanSpace(v), Country: birthCountry}
		if p.Country == "" {
			p.Country = country.Code(p.Text)
		}
		e.BirthPlaces = append(e.BirthPlaces, p)
	}
	if len(e.BirthPlaces) == 0 && birthCountry != "" {
		e.BirthPlaces = append(e.BirthPlaces, interdict.Place{Country: birthCountry})
	}
	for _, v := range rec.props("gender") {
		switch g := strings.ToLower(v); g {
		case "male", "female":
			if e.Gender == "" {
				e.Gender = g
			} else if e.Gender != g {
				e.AddAttribute("gender", v)
			}
		default:
			e.AddAttribute("gender", v)
		}
	}
	for _, prop := range []string{"title", "position"} {
		for _, v := range rec.props(prop) {
			e.Titles = source.AppendUnique(e.Titles, source.CleanSpace(v))
		}
	}
	for _, prop := range []string{"notes", "description", "summary"} {
		for _, v := range rec.props(prop) {
			if !source.IsNull(v) {
				e.Remarks = source.AppendUnique(e.Remarks, v)
			}
		}
	}
	for _, prop := range []string{"program", "programId"} {
		for _, v := range rec.props(prop) {
			e.Programs = source.AppendUnique(e.Programs, source.CleanSpace(v))
		}
	}
	for _, v := range rec.props("address") {
		addAddress(e, interdict.Address{Full: source.CleanSpace(v)})
	}
	for _, v := range rec.props("createdAt") {
		d, err := source.ParseDate(interdict.DateOther, v, source.DayFirst)
		if err == nil && d.Precision == interdict.PrecisionDay && (e.ListedOn == "" || d.From < e.ListedOn) {
			e.ListedOn = d.From
		} else {
			e.AddAttribute("createdAt", v)
		}
	}
	// Identifiers and dates, in property-name order for stable output.
	keys := make([]string, 0, len(rec.vals))
	for k := range rec.vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if spec, ok := identifiers[k]; ok {
			typ := spec.typ
			if kind == interdict.KindAircraft && k == "registrationNumber" {
				typ = interdict.IDAircraft
			}
			if k == "serialNumber" && kind != interdict.KindAircraft {
				typ = interdict.IDOther
			}
			for _, v := range rec.props(k) {
				addIdentifier(e, interdict.Identifier{Type: typ, Label: k, Value: v, Country: spec.country})
			}
			continue
		}
		if typ, ok := dateTypes[k]; ok {
			for _, v := range rec.props(k) {
				d, err := source.ParseDate(typ, v, source.DayFirst)
				if err != nil {
					s.res.Warn(rec.errorf(k, "%w; kept as raw text", err))
					d = interdict.Date{Type: typ, Raw: v}
				}
				e.Dates = append(e.Dates, d)
			}
			continue
		}
		if handled[k] {
			continue
		}
		for _, v := range rec.props(k) {
			e.AddAttribute(k, v)
		}
	}
	for _, v := range ent.Datasets {
		e.AddAttribute("datasets", v)
	}
	for _, v := range ent.Referents {
		e.AddAttribute("referents", v)
	}
	e.AddAttribute("first_seen", ent.FirstSeen)
	e.AddAttribute("last_seen", ent.LastSeen)
	e.AddAttribute("last_change", ent.LastChange)
	if ent.Target != nil {
		e.AddAttribute("target", fmt.Sprint(*ent.Target))
	}
	return e
}

// names adds rec's names to e: see the package comment for the order and
// qualities.
func (s *set) names(rec *record, e *interdict.Entity) {
	names := rec.props("name")
	primary := -1
	caption := source.CleanSpace(rec.ent.Caption)
	for i, n := range names {
		if source.CleanSpace(n) == caption {
			primary = i
			break
		}
	}
	if primary < 0 {
		for i, n := range names {
			if interdict.Script(n) == "Latn" {
				primary = i
				break
			}
		}
	}
	if primary < 0 && len(names) > 0 {
		primary = 0
	}
	add := func(v string, q interdict.NameQuality) {
		if n, ok := source.NewName(v, q); ok {
			if e.Kind == interdict.KindPerson {
				n.Parts = parts(rec, n.Full)
			}
			source.AddName(e, n)
		}
	}
	if primary >= 0 {
		add(names[primary], interdict.NamePrimary)
	} else if caption != "" {
		// No name property (rare): the caption is the name.
		add(caption, interdict.NamePrimary)
	}
	for i, v := range names {
		if i != primary {
			add(v, interdict.NameStrong)
		}
	}
	for _, v := range rec.props("alias") {
		add(v, interdict.NameStrong)
	}
	for _, v := range rec.props("weakAlias") {
		add(v, interdict.NameWeak)
	}
	for _, v := range rec.props("previousName") {
		add(v, interdict.NameFormer)
	}
	if len(e.Names) == 0 && e.Kind == interdict.KindPerson {
		// A person with name parts only.
		var ps []string
		for _, prop := range partOrder {
			if vs := rec.props(prop); len(vs) > 0 {
				ps = append(ps, vs[0])
			}
		}
		add(strings.Join(ps, " "), interdict.NamePrimary)
	}
}

// parts returns the name parts of full found among rec's name-part
// properties, in the order they appear in full, or nil when fewer than two
// are found.
func parts(rec *record, full string) []interdict.NamePart {
	lower := strings.ToLower(full)
	type found struct {
		at, end int
		p       interdict.NamePart
	}
	var fs []found
	taken := map[int]bool{}
	for _, np := range nameParts {
		for _, v := range rec.props(np.prop) {
			v = source.CleanSpace(v)
			if v == "" {
				continue
			}
			lv := strings.ToLower(v)
			at := wordIndex(lower, lv)
			if at < 0 || taken[at] {
				continue
			}
			taken[at] = true
			if len(lower) == len(full) && len(lv) == len(v) {
				v = full[at : at+len(v)] // as the name writes it
			}
			fs = append(fs, found{at, at + len(lv), interdict.NamePart{Type: np.typ, Value: v}})
			break
		}
	}
	if len(fs) < 2 {
		return nil
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].at < fs[j].at })
	out := make([]interdict.NamePart, len(fs))
	for i, f := range fs {
		out[i] = f.p
	}
	// Parts must not overlap ("Janan" and "JANAN AGHA").
	for i := 1; i < len(fs); i++ {
		if fs[i].at < fs[i-1].end {
			return nil
		}
	}
	return out
}

// wordIndex returns the byte offset of word in s where it stands as whole
// words, or -1.
func wordIndex(s, word string) int {
	for from := 0; from <= len(s)-len(word); {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(word):])
		if (i == 0 || !isWordRune(before)) && (i+len(word) == len(s) || !isWordRune(after)) {
			return i
		}
		from = i + 1
	}
	return -1
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func addIdentifier(e *interdict.Entity, id interdict.Identifier) {
	id.Value = strings.TrimSpace(id.Value)
	if source.IsNull(id.Value) {
		return
	}
	for _, have := range e.Identifiers {
		if have.Type == id.Type && have.Value == id.Value {
			return
		}
	}
	e.Identifiers = append(e.Identifiers, id)
}

func addAddress(e *interdict.Entity, a interdict.Address) {
	if a == (interdict.Address{}) {
		return
	}
	for i, have := range e.Addresses {
		if a.Full != "" && strings.EqualFold(have.Full, a.Full) {
			if have.Street == "" && have.City == "" && have.Country == "" {
				e.Addresses[i] = a // the Address entity has the parts
			}
			return
		}
	}
	e.Addresses = append(e.Addresses, a)
}

// address maps an FtM Address entity.
func (s *set) address(rec *record) interdict.Address {
	first := func(prop string) string {
		if vs := rec.props(prop); len(vs) > 0 {
			return source.CleanSpace(vs[0])
		}
		return ""
	}
	a := interdict.Address{
		Street:     strings.TrimSpace(first("street") + " " + first("street2")),
		City:       first("city"),
		Region:     first("region"),
		PostalCode: first("postalCode"),
		Full:       first("full"),
	}
	if a.Region == "" {
		a.Region = first("state")
	}
	if c := first("country"); c != "" {
		if code, ok := resolveCountry(c); ok {
			a.Country = code
		} else {
			a.CountryName = c
		}
	}
	if a.Full == "" {
		a.Full = source.CleanSpace(rec.ent.Caption)
	}
	return a
}

// refs returns the parties of parties named by rec's property prop.
func refs(rec *record, prop string, parties map[string]*interdict.Entity) (ids []string, es []*interdict.Entity) {
	for _, id := range rec.props(prop) {
		ids = append(ids, id)
		es = append(es, parties[id])
	}
	return ids, es
}

func (s *set) link(rec *record, l link, parties map[string]*interdict.Entity) bool {
	aIDs, as := refs(rec, l.a, parties)
	bIDs, bs := refs(rec, l.b, parties)
	var notes []string
	for _, p := range l.note {
		for _, v := range rec.props(p) {
			if p == "percentage" && !strings.HasSuffix(v, "%") {
				v += "%"
			}
			notes = append(notes, source.CleanSpace(v))
		}
	}
	note := strings.Join(notes, "; ")
	applied := false
	rel := func(from *interdict.Entity, typ interdict.RelationType, toID string, to *interdict.Entity, label string) {
		r := interdict.Relation{Type: typ, Target: interdict.EntityID(s.res.List, toID), Note: note}
		if label != "" {
			r.Note = strings.TrimSuffix(label+": "+note, ": ")
		}
		if to != nil {
			r.TargetName = to.PrimaryName()
		}
		for _, have := range from.Relations {
			if have == r {
				return
			}
		}
		from.Relations = append(from.Relations, r)
		applied = true
	}
	for i, a := range as {
		for j, b := range bs {
			if a != nil && aIDs[i] != bIDs[j] {
				rel(a, l.ab, bIDs[j], b, "")
			}
			if b != nil && aIDs[i] != bIDs[j] {
				rel(b, l.ba, aIDs[i], a, l.label)
			}
		}
	}
	return applied
}

func (s *set) sanction(rec *record, parties map[string]*interdict.Entity) bool {
	_, es := refs(rec, "entity", parties)
	applied := false
	for _, e := range es {
		if e == nil {
			continue
		}
		applied = true
		// The program code when given, else the program's name.
		programs := rec.props("programId")
		if len(programs) == 0 {
			programs = rec.props("program")
		} else {
			for _, v := range rec.props("program") {
				appendAttr(e, "sanction_program", v)
			}
		}
		for _, v := range programs {
			e.Programs = source.AppendUnique(e.Programs, source.CleanSpace(v))
		}
		for _, p := range []string{"listingDate", "startDate"} {
			for _, v := range rec.props(p) {
				d, err := source.ParseDate(interdict.DateOther, v, source.DayFirst)
				if err == nil && d.Precision == interdict.PrecisionDay && (e.ListedOn == "" || d.From < e.ListedOn) {
					e.ListedOn = d.From
				}
			}
		}
		for _, v := range rec.props("authority") {
			appendAttr(e, "sanction_authority", v)
		}
		for _, v := range rec.props("reason") {
			e.Remarks = source.AppendUnique(e.Remarks, v)
		}
		for _, v := range rec.props("endDate") {
			appendAttr(e, "sanction_end", v)
		}
	}
	return applied
}

// appendAttr adds v to e's attribute key unless it is there already.
func appendAttr(e *interdict.Entity, key, v string) {
	if e.Attributes == nil {
		e.Attributes = map[string][]string{}
	}
	e.Attributes[key] = source.AppendUnique(e.Attributes[key], strings.TrimSpace(v))
}

func (s *set) identification(rec *record, parties map[string]*interdict.Entity) bool {
	_, es := refs(rec, "holder", parties)
	typ := interdict.IDNational
	label := "Identification"
	if rec.ent.Schema == "Passport" {
		typ, label = interdict.IDPassport, "Passport"
	}
	if vs := rec.props("type"); len(vs) > 0 { // the first type names the document
		label = vs[0]
		if strings.Contains(strings.ToLower(vs[0]), "passport") {
			typ = interdict.IDPassport
		}
	}
	applied := false
	for _, e := range es {
		if e == nil {
			continue
		}
		applied = true
		id := interdict.Identifier{Type: typ, Label: label}
		if vs := rec.props("country"); len(vs) > 0 {
			id.Country = s.countryOf(rec, e, "country", vs[0])
		}
		var notes []string
		for _, p := range []string{"startDate", "endDate", "authority"} {
			for _, v := range rec.props(p) {
				notes = append(notes, p+" "+v)
			}
		}
		id.Note = strings.Join(notes, "; ")
		for _, v := range rec.props("number") {
			id.Value = v
			addIdentifier(e, id)
		}
	}
	return applied
}

func (s *set) wallet(rec *record, parties map[string]*interdict.Entity) bool {
	_, es := refs(rec, "holder", parties)
	label := "CryptoWallet"
	if vs := rec.props("currency"); len(vs) > 0 {
		label = vs[0]
	}
	applied := false
	for _, e := range es {
		if e == nil {
			continue
		}
		applied = true
		for _, v := range rec.props("publicKey") {
			addIdentifier(e, interdict.Identifier{Type: interdict.IDCrypto, Label: label, Value: v})
		}
	}
	return applied
}
