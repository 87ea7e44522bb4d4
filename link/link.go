// Package link finds the records of one listed party on several lists and
// joins them into parties. A link is made only on evidence that names one
// party, and records why it was made:
//
//   - source-id: a US Consolidated Screening List row copies an OFAC record
//     with the same identifier (the CSL's SDN rows carry the SDN ent_num,
//     its non-SDN OFAC rows the consolidated list's uid after the list's
//     code, "SSI-19990");
//   - same-record: a CSL Denied Persons row and the BIS Denied Persons List
//     record with the same name at the same address (the CSL gives DPL rows
//     no identifier of their own);
//   - un-reference: the same UN Security Council reference number, the UN
//     list's own (QDi.430) and the one the EU and UK lists give their
//     listing of it (never a number cited in remarks, which names another
//     party as often as the same one);
//   - imo: the same IMO ship number;
//   - passport-dob: the same passport number (and issuing country, when both
//     give it) with a shared birth date;
//   - registration: the same registration number in the same country;
//   - name-dob: for people, the same full name (of two words or more) with
//     the same birth year, when the records give no different days in it;
//   - name-country: for organisations, the same name of at least two words
//     in the same country, when neither list has another record of that
//     name;
//   - same-as: an OpenSanctions (FollowTheMoney) record whose sameAs or
//     referents name the other record.
//
// A name alone never links: two people of one name are two parties. Links
// join records of different lists only; two records of one list stay two
// listings of the publisher's. A key shared by more than MaxShared records
// (a placeholder number, a common name with a common birth date) links
// none of them.
//
// Build is a pure function over the entities: no I/O, the same result for
// the same entities in any order.
package link

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/normalize"
)

// Reason says why two records were linked.
type Reason string

// The reasons, from the strongest.
const (
	ReasonSourceID     Reason = "source-id"
	ReasonSameRecord   Reason = "same-record"
	ReasonUNReference  Reason = "un-reference"
	ReasonIMO          Reason = "imo"
	ReasonPassportDOB  Reason = "passport-dob"
	ReasonRegistration Reason = "registration"
	ReasonSameAs       Reason = "same-as"
	ReasonNameDOB      Reason = "name-dob"
	ReasonNameCountry  Reason = "name-country"
	// ReasonCopyName links an organisation's record in an unofficial copy
	// of a list that carries nothing but names (no identifier, country,
	// address or date; interdict.AttrUnofficialCopy) to the record of
	// another list with the same full name of two words or more, when no
	// list has two records of that name.
	ReasonCopyName Reason = "copy-name"
)

// Reasons lists every Reason in order of strength.
var Reasons = []Reason{ReasonSourceID, ReasonSameRecord, ReasonUNReference, ReasonIMO, ReasonPassportDOB,
	ReasonRegistration, ReasonSameAs, ReasonNameDOB, ReasonNameCountry, ReasonCopyName}

// MaxShared is the most records a key may be shared by and still link
// them.
const MaxShared = 6

// Link joins two records of one party. A and B are entity IDs, A < B.
type Link struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Reason Reason `json:"reason"`
	// Detail is the shared value ("QDi.430", "IMO 9187629", "1962-01-01").
	Detail string `json:"detail,omitempty"`
}

// Parties is the grouping of a set of entities into parties. It is
// immutable once built and safe for concurrent use.
type Parties struct {
	index   map[string]int32 // entity ID → position in ids
	ids     []string
	lists   []string
	party   []int32   // position → party number
	members [][]int32 // party number → positions, lead first
	links   []Link
	byID    map[string][]int32 // entity ID → positions in links
}

// Stats counts parties and links.
type Stats struct {
	// Entities is the number of records; Parties the number of parties
	// they form; Linked the parties of more than one record.
	Entities int `json:"entities"`
	Parties  int `json:"parties"`
	Linked   int `json:"linked_parties"`
	// Links counts the links by reason.
	Links map[Reason]int `json:"links"`
}

// Build links entities into parties. Entities with an empty or repeated ID
// are ignored after the first.
func Build(entities []interdict.Entity) *Parties {
	p := &Parties{index: make(map[string]int32, len(entities)), byID: map[string][]int32{}}
	for i := range entities {
		e := &entities[i]
		if e.ID == "" {
			continue
		}
		if _, dup := p.index[e.ID]; dup {
			continue
		}
		p.index[e.ID] = int32(len(p.ids))
		p.ids = append(p.ids, e.ID)
		p.lists = append(p.lists, e.List)
	}
	b := builder{p: p, parent: make([]int32, len(p.ids)), seen: map[pairKey]bool{}, lists: map[int32]map[string]bool{},
		days: make([][]string, len(p.ids)), namesOnly: make([]bool, len(p.ids))}
	for i := range b.parent {
		b.parent[i] = int32(i)
	}
	type shared struct {
		key keyOf
		at  []int32
	}
	keys := map[[2]string]*shared{}
	done := make([]bool, len(p.ids))
	for i := range entities {
		e := &entities[i]
		at, ok := p.index[e.ID]
		if !ok || done[at] {
			continue
		}
		done[at] = true
		b.days[at] = birthDays(e)
		b.namesOnly[at] = namesOnly(e)
		b.direct(e, at)
		for _, k := range entityKeys(e) {
			kk := [2]string{string(k.reason), k.value}
			sh := keys[kk]
			if sh == nil {
				sh = &shared{key: k}
				keys[kk] = sh
			} else if k.detail < sh.key.detail {
				sh.key.detail = k.detail
			}
			sh.at = appendUnique(sh.at, at)
		}
	}
	// Keys in a fixed order, so that the links (and their details) do not
	// depend on map order.
	ks := make([]*shared, 0, len(keys))
	for _, sh := range keys {
		ks = append(ks, sh)
	}
	slices.SortFunc(ks, func(a, b *shared) int {
		return cmp.Or(cmp.Compare(rank(a.key.reason), rank(b.key.reason)), cmp.Compare(a.key.value, b.key.value))
	})
	for _, sh := range ks {
		k, at := sh.key, sh.at
		if len(at) < 2 || len(at) > MaxShared {
			continue
		}
		if k.unique && !uniquePerList(p, at) {
			continue
		}
		for x := 0; x < len(at); x++ {
			for y := x + 1; y < len(at); y++ {
				if k.unique && b.overlap(at[x], at[y]) {
					// A name-based link never puts two records of one list
					// into one party: joined through a third record's
					// aliases they are, as far as we know, two parties.
					continue
				}
				if k.reason == ReasonNameDOB && !b.sameBirth(at[x], at[y], k.value[len(k.value)-4:]) {
					continue
				}
				if k.reason == ReasonCopyName && b.namesOnly[at[x]] == b.namesOnly[at[y]] {
					// The name stands in for the identifiers only one
					// side lacks: two official records (or two copies)
					// of one name stay apart.
					continue
				}
				b.link(at[x], at[y], k.reason, k.detail)
			}
		}
	}
	b.finish()
	return p
}

// uniquePerList reports whether the records at come from different lists.
func uniquePerList(p *Parties, at []int32) bool {
	for x := range at {
		for y := x + 1; y < len(at); y++ {
			if p.lists[at[x]] == p.lists[at[y]] {
				return false
			}
		}
	}
	return true
}

func rank(r Reason) int { return slices.Index(Reasons, r) }

func appendUnique(s []int32, v int32) []int32 {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

type pairKey struct {
	a, b   int32
	reason Reason
}

type builder struct {
	p      *Parties
	parent []int32
	seen   map[pairKey]bool
	// lists holds, for each root, the lists of its party's records.
	lists map[int32]map[string]bool
	// days holds each record's birth dates given to the day.
	days [][]string
	// namesOnly marks the organisation records of unofficial copies that
	// carry nothing but names (see ReasonCopyName).
	namesOnly []bool
}

// overlap reports whether the parties of x and y (not yet one) have
// records of a common list.
func (b *builder) overlap(x, y int32) bool {
	rx, ry := b.find(x), b.find(y)
	if rx == ry {
		return false
	}
	lx, ly := b.listsOf(rx), b.listsOf(ry)
	if len(lx) > len(ly) {
		lx, ly = ly, lx
	}
	for l := range lx {
		if ly[l] {
			return true
		}
	}
	return false
}

func (b *builder) listsOf(root int32) map[string]bool {
	if m, ok := b.lists[root]; ok {
		return m
	}
	return map[string]bool{b.p.lists[root]: true}
}

func (b *builder) find(x int32) int32 {
	for b.parent[x] != x {
		b.parent[x] = b.parent[b.parent[x]]
		x = b.parent[x]
	}
	return x
}

// link records a link between the records at x and y, of different lists.
func (b *builder) link(x, y int32, r Reason, detail string) {
	if x == y || b.p.lists[x] == b.p.lists[y] {
		return
	}
	if b.p.ids[x] > b.p.ids[y] {
		x, y = y, x
	}
	k := pairKey{x, y, r}
	if b.seen[k] {
		return
	}
	b.seen[k] = true
	b.p.links = append(b.p.links, Link{A: b.p.ids[x], B: b.p.ids[y], Reason: r, Detail: detail})
	if rx, ry := b.find(x), b.find(y); rx != ry {
		if ry < rx {
			rx, ry = ry, rx
		}
		merged := b.listsOf(rx)
		if _, own := b.lists[rx]; !own {
			merged = map[string]bool{b.p.lists[rx]: true}
		}
		for l := range b.listsOf(ry) {
			merged[l] = true
		}
		b.parent[ry] = rx
		b.lists[rx] = merged
		delete(b.lists, ry)
	}
}

// direct links e to the records it names by ID: a CSL row to the OFAC
// record it copies, an FtM record to its sameAs and referents.
func (b *builder) direct(e *interdict.Entity, at int32) {
	p := b.p
	to := func(id string, r Reason, detail string) {
		if j, ok := p.index[id]; ok {
			b.link(at, j, r, detail)
		}
	}
	switch e.List {
	case interdict.ListCSL:
		switch src := first(e.Attributes["source_list"]); src {
		case "SDN":
			to(interdict.EntityID(interdict.ListOFACSDN, e.SourceID), ReasonSourceID, src+" "+e.SourceID)
		case "SSI", "PLC", "CMIC", "NS-MBS", "FSE", "CAP", "NS-ISA", "MBS", "NS-PLC":
			// The CSL writes the consolidated list's uid after the list's
			// code ("SSI-19990").
			uid := strings.TrimPrefix(e.SourceID, src+"-")
			to(interdict.EntityID(interdict.ListOFACCons, uid), ReasonSourceID, src+" "+uid)
		}
	case interdict.ListFTM:
		for _, key := range []string{"sameAs", "referents"} {
			for _, v := range e.Attributes[key] {
				if id, ok := ftmTarget(v); ok {
					to(id, ReasonSameAs, v)
				}
			}
		}
	}
}

// ftmTarget maps an OpenSanctions identifier to an entity ID: an ID of
// ours as it is, "ofac-N" to the SDN record N.
func ftmTarget(v string) (string, bool) {
	if list, _, ok := interdict.SplitEntityID(v); ok {
		if _, known := interdict.LookupList(list); known {
			return v, true
		}
	}
	if n, ok := strings.CutPrefix(v, "ofac-"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
		return interdict.EntityID(interdict.ListOFACSDN, n), true
	}
	return "", false
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// finish forms the parties: each party's records in list order (the order
// of interdict.Lists), then by ID; the first is the party's lead.
func (b *builder) finish() {
	p := b.p
	p.party = make([]int32, len(p.ids))
	roots := map[int32]int32{}
	for i := range p.ids {
		r := b.find(int32(i))
		n, ok := roots[r]
		if !ok {
			n = int32(len(p.members))
			roots[r] = n
			p.members = append(p.members, nil)
		}
		p.party[i] = n
		p.members[n] = append(p.members[n], int32(i))
	}
	order := map[string]int{}
	for i, l := range interdict.Lists {
		order[l.ID] = i
	}
	listRank := func(l string) int {
		if r, ok := order[l]; ok {
			return r
		}
		return len(order)
	}
	for _, m := range p.members {
		if len(m) < 2 {
			continue
		}
		slices.SortFunc(m, func(a, b int32) int {
			if c := cmp.Compare(listRank(p.lists[a]), listRank(p.lists[b])); c != 0 {
				return c
			}
			return cmp.Compare(p.ids[a], p.ids[b])
		})
	}
	slices.SortFunc(p.links, func(a, b Link) int {
		return cmp.Or(cmp.Compare(a.A, b.A), cmp.Compare(a.B, b.B), cmp.Compare(rank(a.Reason), rank(b.Reason)))
	})
	for i, l := range p.links {
		p.byID[l.A] = append(p.byID[l.A], int32(i))
		p.byID[l.B] = append(p.byID[l.B], int32(i))
	}
}

// Len returns the number of records.
func (p *Parties) Len() int { return len(p.ids) }

// PartyOf returns the number of the party of the record id, in [0, the
// number of parties), and false for an unknown record. Numbers are
// meaningful only within one Parties.
func (p *Parties) PartyOf(id string) (int, bool) {
	if p == nil {
		return 0, false
	}
	i, ok := p.index[id]
	if !ok {
		return 0, false
	}
	return int(p.party[i]), true
}

// Members returns the IDs of the records of party n, its lead first, then
// in list order.
func (p *Parties) Members(n int) []string {
	if p == nil || n < 0 || n >= len(p.members) {
		return nil
	}
	m := p.members[n]
	out := make([]string, len(m))
	for i, at := range m {
		out[i] = p.ids[at]
	}
	return out
}

// Size returns the number of records of party n.
func (p *Parties) Size(n int) int {
	if p == nil || n < 0 || n >= len(p.members) {
		return 0
	}
	return len(p.members[n])
}

// Lead returns the ID of the lead record of party n: its record on the
// first list in the order of interdict.Lists. It names the party.
func (p *Parties) Lead(n int) string {
	if p == nil || n < 0 || n >= len(p.members) {
		return ""
	}
	return p.ids[p.members[n][0]]
}

// Same returns the other records of the party of id (nil for a record
// linked to none, or unknown).
func (p *Parties) Same(id string) []string {
	n, ok := p.PartyOf(id)
	if !ok || p.Size(n) < 2 {
		return nil
	}
	var out []string
	for _, m := range p.Members(n) {
		if m != id {
			out = append(out, m)
		}
	}
	return out
}

// LinksOf returns the links made to or from the record id.
func (p *Parties) LinksOf(id string) []Link {
	if p == nil {
		return nil
	}
	var out []Link
	for _, i := range p.byID[id] {
		out = append(out, p.links[i])
	}
	return out
}

// Links returns every link, ordered by A, B and reason.
func (p *Parties) Links() []Link {
	if p == nil {
		return nil
	}
	return slices.Clone(p.links)
}

// Stats counts the parties and the links by reason.
func (p *Parties) Stats() Stats {
	s := Stats{Links: map[Reason]int{}}
	if p == nil {
		return s
	}
	s.Entities, s.Parties = len(p.ids), len(p.members)
	for _, m := range p.members {
		if len(m) > 1 {
			s.Linked++
		}
	}
	for _, l := range p.links {
		s.Links[l.Reason]++
	}
	return s
}

// keyOf is a value shared by the records of one party.
type keyOf struct {
	reason Reason
	value  string
	detail string
	// unique: the key links only when no list has two records with it.
	unique bool
}

// entityKeys returns the keys of e.
func entityKeys(e *interdict.Entity) []keyOf {
	var ks []keyOf
	if ref := unReference(e); ref != "" {
		ks = append(ks, keyOf{reason: ReasonUNReference, value: strings.ToUpper(ref), detail: ref})
	}
	if e.List == interdict.ListCSL && first(e.Attributes["source_list"]) == "DPL" || e.List == interdict.ListBISDPL {
		for _, n := range primaryNames(e) {
			for _, a := range e.Addresses {
				if ak := compact(a.Line()); ak != "" {
					ks = append(ks, keyOf{reason: ReasonSameRecord, value: n + "|" + ak, detail: a.Line()})
				}
			}
		}
	}
	births := birthDays(e)
	for _, id := range e.Identifiers {
		if id.KnownFalse {
			continue
		}
		v := compact(id.Value)
		switch id.Type {
		case interdict.IDIMO:
			if imo := imoNumber(id.Value); imo != "" {
				ks = append(ks, keyOf{reason: ReasonIMO, value: imo, detail: "IMO " + imo})
			}
		case interdict.IDPassport:
			if len(v) < 5 {
				continue
			}
			for _, d := range births {
				// The issuing country is left out of the key: lists give
				// it or not; a number with the same birth date is enough.
				ks = append(ks, keyOf{reason: ReasonPassportDOB, value: v + "|" + d, detail: id.Value + ", born " + d})
			}
		case interdict.IDRegistration:
			if len(v) < 5 || id.Country == "" || !hasDigit(v) {
				continue
			}
			ks = append(ks, keyOf{reason: ReasonRegistration, value: id.Country + "|" + v, detail: id.Value + " (" + id.Country + ")"})
		}
	}
	switch e.Kind {
	case interdict.KindPerson:
		years := birthYears(e)
		for _, n := range strongNames(e) {
			if strings.Count(n, " ") < 1 {
				continue
			}
			for _, y := range years {
				ks = append(ks, keyOf{reason: ReasonNameDOB, value: n + "|" + y, detail: "born " + y, unique: true})
			}
		}
	case interdict.KindOrganization:
		cs := countries(e)
		for _, n := range strongNames(e) {
			if strings.Count(n, " ") < 1 {
				continue
			}
			for _, c := range cs {
				ks = append(ks, keyOf{reason: ReasonNameCountry, value: n + "|" + c, detail: c, unique: true})
			}
			ks = append(ks, keyOf{reason: ReasonCopyName, value: n, detail: n, unique: true})
		}
	}
	return ks
}

// namesOnly reports whether e is an organisation's record in an unofficial
// copy of a list that carries nothing but names, so that no other key can
// ever link it.
func namesOnly(e *interdict.Entity) bool {
	return e.Kind == interdict.KindOrganization && len(e.Attributes[interdict.AttrUnofficialCopy]) > 0 &&
		len(e.Identifiers) == 0 && len(e.Dates) == 0 && len(countries(e)) == 0 && unReference(e) == ""
}

// unReference returns the UN reference number of e's own UN listing: the
// UN list's record ID, or the number the EU and UK lists give.
func unReference(e *interdict.Entity) string {
	if e.List == interdict.ListUN {
		return e.SourceID
	}
	for _, v := range e.Attributes["un_reference_number"] {
		if refs := unRefs(v); len(refs) == 1 {
			return refs[0]
		}
	}
	return ""
}

// unRefs returns the UN reference numbers in s ("QDi.430").
func unRefs(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '(' || r == ')' }) {
		f = strings.TrimRight(f, ".")
		if len(f) >= 5 && f[3] == '.' && isUpper(f[0]) && isUpper(f[1]) && (f[2] == 'i' || f[2] == 'e') && strings.Trim(f[4:], "0123456789") == "" {
			out = append(out, f)
		}
	}
	return out
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// primaryNames returns the folded primary names of e.
func primaryNames(e *interdict.Entity) []string {
	var out []string
	for _, n := range e.Names {
		if n.Quality == interdict.NamePrimary {
			if k := nameKey(n.Full); k != "" {
				out = append(out, k)
			}
		}
	}
	return out
}

// strongNames returns the folded keys of e's primary and strong names (not
// weak aliases, former names or names in another script).
func strongNames(e *interdict.Entity) []string {
	var out []string
	for _, n := range e.Names {
		if n.Quality != interdict.NamePrimary && n.Quality != interdict.NameStrong {
			continue
		}
		if k := nameKey(n.Full); k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// nameKey folds a name and sorts its words, so that "TARASEVICH, Andrei"
// and "Andrei Tarasevich" have one key.
func nameKey(s string) string {
	var ws []string
	if plain(s) {
		// Letters, digits, spaces and commas of ASCII: Fold would only
		// lower the case.
		ws = strings.Fields(strings.ToLower(s))
	} else {
		ws = strings.Fields(normalize.Fold(s))
	}
	out := ws[:0]
	for _, w := range ws {
		if w != "," {
			out = append(out, strings.Trim(w, ","))
		}
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// plain reports whether s holds only ASCII letters, digits, spaces and
// commas.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == ',') {
			return false
		}
	}
	return true
}

// birthDays returns e's birth dates given to the day, YYYY-MM-DD.
func birthDays(e *interdict.Entity) []string {
	var out []string
	for _, d := range e.Dates {
		if d.Type == interdict.DateBirth && d.From != "" && d.From == d.To && len(d.From) == 10 && !slices.Contains(out, d.From) {
			out = append(out, d.From)
		}
	}
	return out
}

func (b *builder) sameBirth(x, y int32, year string) bool {
	return sameBirth(b.days[x], b.days[y], year)
}

// birthYears returns the years of e's birth dates given to the day or the
// year (not ranges or circa dates).
func birthYears(e *interdict.Entity) []string {
	var out []string
	for _, d := range e.Dates {
		if d.Type != interdict.DateBirth || len(d.From) != 10 || len(d.To) != 10 || d.From[:4] != d.To[:4] {
			continue
		}
		if d.Precision != interdict.PrecisionDay && d.Precision != interdict.PrecisionYear {
			continue
		}
		if y := d.From[:4]; !slices.Contains(out, y) {
			out = append(out, y)
		}
	}
	return out
}

// sameBirth reports whether a and b, who share a birth year, do not
// contradict each other: when both give a day in that year (other than
// 1 January, the usual stand-in for the year alone), they share one.
func sameBirth(a, b []string, year string) bool {
	var da, db []string
	for _, d := range a {
		if strings.HasPrefix(d, year) && !strings.HasSuffix(d, "-01-01") {
			da = append(da, d)
		}
	}
	for _, d := range b {
		if strings.HasPrefix(d, year) && !strings.HasSuffix(d, "-01-01") {
			db = append(db, d)
		}
	}
	if len(da) == 0 || len(db) == 0 {
		return true
	}
	for _, d := range da {
		if slices.Contains(db, d) {
			return true
		}
	}
	return false
}

// countries returns every country code e is tied to.
func countries(e *interdict.Entity) []string {
	var out []string
	add := func(c string) {
		if len(c) == 2 && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, c := range e.Countries {
		add(c)
	}
	for _, a := range e.Addresses {
		add(a.Country)
	}
	for _, c := range e.Nationalities {
		add(c)
	}
	for _, c := range e.Citizenships {
		add(c)
	}
	return out
}

// compact keeps the letters and digits of s, upper-cased.
func compact(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// imoNumber returns the seven digits of an IMO number ("IMO 9187629"), or
// "" when v holds none.
func imoNumber(v string) string {
	var d strings.Builder
	for _, r := range v {
		if r >= '0' && r <= '9' {
			d.WriteRune(r)
		}
	}
	if d.Len() != 7 || d.String() == "0000000" {
		return ""
	}
	return d.String()
}
