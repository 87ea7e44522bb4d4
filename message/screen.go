package message

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/interdict/interdict"
)

// Decision is the outcome for a whole message.
type Decision string

// Decisions. A held message waits for an analyst; a released one goes on.
const (
	Release Decision = "release"
	Hold    Decision = "hold"
)

// Check names what a field was screened for.
type Check string

// Checks.
const (
	CheckName    Check = "name"    // a party or vessel name against the lists
	CheckBIC     Check = "bic"     // a BIC against the listed banks' identifiers, and its country
	CheckID      Check = "id"      // an LEI, IMO number or other identifier against the lists
	CheckCountry Check = "country" // a country code against embargoed destinations
	CheckPlace   Check = "place"   // an address or port against embargoed places and regions
	CheckText    Check = "text"    // free text for listed names and embargoed places
	CheckGoods   Check = "goods"   // a goods description through goods classification
)

// Hit is one finding on one field.
type Hit struct {
	// Field is the path of the field ("CdtTrfTxInf[0]/Cdtr/Nm", ":59F:").
	Field string `json:"field"`
	// Value is the field's value, or the part of it that matched (a line
	// of free text, a place word).
	Value string `json:"value"`
	Check Check  `json:"check"`
	// EntityID, List, Name and Programs identify the listed entity for a
	// list hit; for a place or country hit EntityID is "place:CC" (or
	// "region:Crimea") and Name the country or region.
	EntityID string `json:"entity_id,omitempty"`
	List     string `json:"list,omitempty"`
	// Party is the listed party the entity belongs to (interdict.Hit.Party):
	// the records of one party on several lists share it.
	Party    string   `json:"party,omitempty"`
	Name     string   `json:"name,omitempty"`
	Programs []string `json:"programs,omitempty"`
	// Also are other listed entities the same words name (the same
	// party on other lists), for a free-text hit of the document scanner.
	Also []string `json:"also,omitempty"`
	// Score is in [0, 1]: the screening score of a list hit, 1 for an
	// embargoed place.
	Score float64 `json:"score"`
	// Alert is set when the hit holds the message: a list hit at or above
	// the policy threshold, an embargoed country, place or region, goods
	// whose classification is not no-licence-required.
	Alert bool `json:"alert"`
	// Explanation says why: the screening explanation of a list hit
	// (interdict.Explanation), the destination check of a place
	// (interdict.DestinationCheck), the goods classification.
	Explanation any `json:"explanation"`
}

// Field is one field that was screened, with how many hits it had.
type Field struct {
	Field string `json:"field"`
	Value string `json:"value"`
	Check Check  `json:"check"`
	Hits  int    `json:"hits"`
}

// Result is the outcome of screening one message.
type Result struct {
	MessageID string   `json:"message_id"`
	Format    string   `json:"format"`
	Syntax    Syntax   `json:"syntax"`
	Source    string   `json:"source,omitempty"`
	Decision  Decision `json:"decision"`
	// Reasons say, one line each, why a message is held; empty when it
	// is released.
	Reasons []string `json:"reasons"`
	// Hits are every finding, alerting or not, in field order.
	Hits []Hit `json:"hits"`
	// Fields are every field screened.
	Fields []Field `json:"fields"`
	// Policy and Lists are the screening policy hash and list versions of
	// the name and identifier screens.
	Policy string            `json:"policy,omitempty"`
	Lists  map[string]string `json:"lists,omitempty"`
}

// PartyScreener screens one party against the lists; interdict.Screener
// and screen.Service satisfy it.
type PartyScreener interface {
	Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error)
}

// Destinations checks a country (ISO code) and an address or place name
// against the destination rules; *classify.Classifier satisfies it. A
// check with Attention set holds the message.
type Destinations interface {
	Destination(country, address string) *interdict.DestinationCheck
}

// GoodsClassifier classifies a goods description; *classify.Classifier
// satisfies it.
type GoodsClassifier interface {
	Classify(ctx context.Context, item interdict.LineItem) (*interdict.Classification, error)
}

// TextScanner finds listed names and embargoed places in one free-text
// field. Screener uses LineScanner unless told otherwise; a document
// scanner (an automaton over every listed name) can take its place.
type TextScanner interface {
	ScanText(ctx context.Context, field, text string) ([]Hit, error)
}

// Options configure a Screener.
type Options struct {
	// Parties screens names and identifiers. Required.
	Parties PartyScreener
	// Threshold is the policy's alert threshold in (0, 1]: a list hit at
	// or above it holds the message. Required.
	Threshold float64
	// Destinations checks countries and places; nil checks none.
	Destinations Destinations
	// Goods classifies goods descriptions of trade documents; nil
	// classifies none.
	Goods GoodsClassifier
	// Text scans free-text fields; nil uses a LineScanner over Parties
	// and Destinations.
	Text TextScanner
}

// Screener screens messages field by field. It is safe for concurrent use.
type Screener struct {
	opt     Options
	embargo sync.Map // country code → *interdict.DestinationCheck with Attention, or nil
}

// NewScreener returns a Screener. It returns EINVALID without a party
// screener or with a threshold outside (0, 1].
func NewScreener(opt Options) (*Screener, error) {
	if opt.Parties == nil {
		return nil, interdict.Errorf(interdict.EINVALID, "message screening needs a party screener")
	}
	if opt.Threshold <= 0 || opt.Threshold > 1 {
		return nil, interdict.Errorf(interdict.EINVALID, "message screening threshold must be in (0, 1], not %v", opt.Threshold)
	}
	s := &Screener{opt: opt}
	if s.opt.Text == nil {
		s.opt.Text = &LineScanner{s: s}
	}
	return s, nil
}

// embargoed returns the destination check of a country when its rules
// hold a message (a comprehensive embargo), or nil. Results are cached.
func (s *Screener) embargoed(cc string) *interdict.DestinationCheck {
	if s.opt.Destinations == nil || cc == "" {
		return nil
	}
	if v, ok := s.embargo.Load(cc); ok {
		dc, _ := v.(*interdict.DestinationCheck)
		return dc
	}
	dc := s.opt.Destinations.Destination(cc, "")
	if dc == nil || !dc.Attention {
		dc = nil
	}
	s.embargo.Store(cc, dc)
	return dc
}

// run collects the hits and fields of one message.
type run struct {
	s      *Screener
	ctx    context.Context
	res    *Result
	policy string
	lists  map[string]string
	// memo holds the results of the queries already run for this
	// message: the same BIC is often the instructing agent, the debtor
	// agent and the header's sender.
	memo map[interdict.Query]*interdict.ScreenResult
	// places holds the place hits of the addresses already searched (the
	// same address is often the debtor's and the ultimate debtor's).
	places map[string][]Hit
}

func (r *run) field(path, value string, c Check, hits []Hit) {
	r.res.Fields = append(r.res.Fields, Field{Field: path, Value: value, Check: c, Hits: len(hits)})
	r.res.Hits = append(r.res.Hits, hits...)
}

// Screen screens every field of m and decides: a message is held when any
// hit alerts (see Hit.Alert), released otherwise. It returns the party
// screener's error when a query cannot be screened (EUNAVAILABLE before
// the lists are loaded), wrapped with the field path.
func (s *Screener) Screen(ctx context.Context, m *Message) (*Result, error) {
	res := &Result{MessageID: m.ID, Format: m.Format, Syntax: m.Syntax, Source: m.Source, Decision: Release,
		Reasons: []string{}, Hits: []Hit{}, Fields: []Field{}}
	r := &run{s: s, ctx: ctx, res: res}
	for i := range m.Parties {
		if err := r.party(&m.Parties[i]); err != nil {
			return nil, err
		}
	}
	for _, v := range m.Vessels {
		if err := r.vessel(v); err != nil {
			return nil, err
		}
	}
	for _, p := range m.Places {
		r.place(p)
	}
	for _, t := range m.Texts {
		hits, err := s.opt.Text.ScanText(ctx, t.Path, t.Value)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", t.Path, err)
		}
		r.field(t.Path, t.Value, CheckText, hits)
	}
	if err := r.goods(m); err != nil {
		return nil, err
	}
	res.Policy, res.Lists = r.policy, r.lists
	for _, h := range res.Hits {
		if h.Alert {
			res.Decision = Hold
			res.Reasons = append(res.Reasons, reason(h))
		}
	}
	return res, nil
}

func reason(h Hit) string {
	switch h.Check {
	case CheckName, CheckBIC, CheckID:
		if h.EntityID != "" && !strings.HasPrefix(h.EntityID, "place:") {
			return fmt.Sprintf("%s %q matches %s %q (%s, score %.2f)", h.Field, h.Value, h.EntityID, h.Name, h.List, h.Score)
		}
	case CheckText:
		if h.List != "" {
			return fmt.Sprintf("%s: %q names %s %q (%s, score %.2f)", h.Field, h.Value, h.EntityID, h.Name, h.List, h.Score)
		}
	case CheckGoods:
		return fmt.Sprintf("%s %q: goods classification %s", h.Field, h.Value, h.Name)
	}
	return fmt.Sprintf("%s %q: %s is under embargo", h.Field, h.Value, h.Name)
}

// screen runs one query and turns its hits into message hits on field.
func (r *run) screen(q interdict.Query, field, value string, c Check) ([]Hit, error) {
	res, ok := r.memo[q]
	if !ok {
		var err error
		res, err = r.s.opt.Parties.Screen(r.ctx, q)
		if err != nil {
			if interdict.ErrorCode(err) == interdict.EINVALID {
				return nil, nil // a value that names nothing (a lone legal form) is no error of the message
			}
			return nil, fmt.Errorf("screen field %s: %w", field, err)
		}
		if r.memo == nil {
			r.memo = map[interdict.Query]*interdict.ScreenResult{}
		}
		r.memo[q] = res
	}
	if r.policy == "" {
		r.policy, r.lists = res.Policy, res.Lists
	}
	var out []Hit
	for _, h := range res.Hits {
		if (c == CheckBIC || c == CheckID) && !identifierMatch(h) {
			continue // an identifier query reports only exact identifier matches
		}
		alert := h.Score >= r.s.opt.Threshold
		if alert && (c == CheckName || c == CheckText) && q.Kind != interdict.KindVessel && !oneWordAlerts(h.Explanation) {
			alert = false
		}
		if q.Kind != interdict.KindVessel && (h.Kind == interdict.KindVessel || h.Kind == interdict.KindAircraft) && c != CheckBIC && c != CheckID {
			// A party or free-text name is a person or an organization:
			// a vessel or aircraft of the same name is reported, not
			// alerted on (the vessels of a bill of lading are screened
			// as vessels).
			alert = false
		}
		out = append(out, Hit{Field: field, Value: value, Check: c, EntityID: h.EntityID, List: h.List, Party: h.Party, Name: h.Name,
			Programs: h.Programs, Score: h.Score, Alert: alert, Explanation: h.Explanation})
	}
	return out, nil
}

// oneWordAlerts decides whether a name hit that pairs a single word of
// the name with the listed name ("Citadel" and LIMITED LIABILITY COMPANY
// CITADEL, "Evli" and EVIL CORP) alerts: payment messages are full of
// short names of banks and companies (a Fedwire short name, "ABC Ltd"),
// and one word is thin evidence. It alerts when the word is spelled as
// listed (exactly or transliterated) and has at least 4 letters, or, when
// it is spelled differently, has at least 7 letters; and never when the
// party's country (its address, or the country of its BIC, IBAN or
// routing number) and the listed party's have no country in common. A
// hit pairing two or more words always alerts at the threshold.
func oneWordAlerts(ex interdict.Explanation) bool {
	if len(ex.Alignment) != 1 {
		return true
	}
	a := ex.Alignment[0]
	n := len([]rune(a.Query))
	if m := len([]rune(a.Entity)); m < n {
		n = m
	}
	spelled := (a.Kind == interdict.MatchExact || a.Kind == interdict.MatchTransliteration || a.Kind == interdict.MatchJoined) && a.Similarity >= 0.97
	switch {
	case n < 4:
		return false
	case !spelled && n < 7:
		return false
	}
	for _, e := range ex.Evidence {
		if e.Feature == "country" && e.Effect < 0 {
			return false
		}
	}
	return true
}

func identifierMatch(h interdict.Hit) bool {
	for _, e := range h.Explanation.Evidence {
		if e.Feature == "identifier" {
			return true
		}
	}
	return false
}

// countryHit checks a country code read from field.
func (r *run) countryHit(field, value, cc string) []Hit {
	dc := r.s.embargoed(cc)
	if dc == nil {
		return nil
	}
	name := dc.Name
	if name == "" {
		name = cc
	}
	return []Hit{{Field: field, Value: value, Check: CheckCountry, EntityID: "place:" + cc, Name: name, Score: 1, Alert: true, Explanation: dc}}
}

// placeHits checks an address or place name: the embargoed places and
// countries it names, and the sanctioned regions (Crimea, ...) of the
// destination rules.
func (r *run) placeHits(field, text string) []Hit {
	if r.s.opt.Destinations == nil || strings.TrimSpace(text) == "" {
		return nil
	}
	if hs, ok := r.places[text]; ok {
		out := make([]Hit, len(hs))
		for i, h := range hs {
			h.Field = field
			out[i] = h
		}
		return out
	}
	out := r.findPlaceHits(field, text)
	if r.places == nil {
		r.places = map[string][]Hit{}
	}
	r.places[text] = out
	return out
}

func (r *run) findPlaceHits(field, text string) []Hit {
	var out []Hit
	for _, pm := range findPlaces(text, func(cc string) bool { return r.s.embargoed(cc) != nil }) {
		dc := r.s.embargoed(pm.country)
		out = append(out, Hit{Field: field, Value: pm.word, Check: CheckPlace, EntityID: "place:" + pm.country, Name: dc.Name,
			Score: 1, Alert: true, Explanation: dc})
	}
	if dc := r.s.opt.Destinations.Destination("", text); dc != nil && dc.Region != "" && dc.Attention {
		out = append(out, Hit{Field: field, Value: text, Check: CheckPlace, EntityID: "region:" + dc.Region, Name: dc.Region,
			Score: 1, Alert: true, Explanation: dc})
	}
	return out
}

// bicCountry returns the country of a BIC: its letters 5 and 6.
func bicCountry(bic string) string {
	if len(bic) < 6 {
		return ""
	}
	return countryCode(bic[4:6])
}

// ibanCountry returns the country of an IBAN (two letters, two check
// digits), or "".
func ibanCountry(acct string) string {
	a := strings.TrimPrefix(strings.TrimSpace(acct), "/")
	if len(a) < 15 || !isDigits(a[2:4]) {
		return ""
	}
	return countryCode(a[:2])
}

// kindOf is the kind a party's name is screened as: an organization for
// a bank or a legal person, a person for a natural person or a party
// with a date of birth, any kind otherwise.
func kindOf(p *Party) interdict.Kind {
	switch {
	case p.Agent || p.Organization:
		return interdict.KindOrganization
	case p.Person || !p.DOB.IsZero():
		return interdict.KindPerson
	}
	return ""
}

func (r *run) party(p *Party) error {
	if !p.Name.IsZero() && letters(p.Name.Value) == 0 {
		// A name of digits and signs alone names no listed party.
		r.field(p.Name.Path, p.Name.Value, CheckName, nil)
	} else if !p.Name.IsZero() {
		q := interdict.Query{Name: cutName(p.Name.Value), Kind: kindOf(p), Country: r.partyCountry(p), Address: p.Address.Value}
		if !p.DOB.IsZero() && len(p.DOB.Value) >= 4 {
			q.DOB = p.DOB.Value
		}
		hits, err := r.screen(q, p.Name.Path, p.Name.Value, CheckName)
		if err != nil {
			return err
		}
		r.field(p.Name.Path, p.Name.Value, CheckName, hits)
	}
	if !p.BIC.IsZero() {
		bic := strings.ToUpper(p.BIC.Value)
		var hits []Hit
		// Lists give a bank's BIC as BIC8 (OFAC "SWIFT/BIC MELIGB2L") or
		// BIC11; a payment gives either: look up both forms.
		keys := []string{bic}
		if len(bic) == 11 {
			keys = []string{bic[:8]}
			if bic[8:] != "XXX" {
				keys = append(keys, bic)
			}
		}
		seen := map[string]bool{}
		for _, k := range keys {
			hs, err := r.screen(interdict.Query{IDNumber: k}, p.BIC.Path, p.BIC.Value, CheckBIC)
			if err != nil {
				return err
			}
			for _, h := range hs {
				if !seen[h.EntityID] {
					seen[h.EntityID] = true
					hits = append(hits, h)
				}
			}
		}
		hits = append(hits, r.countryHit(p.BIC.Path, p.BIC.Value, bicCountry(bic))...)
		r.field(p.BIC.Path, p.BIC.Value, CheckBIC, hits)
	}
	ids := p.IDs
	if !p.LEI.IsZero() {
		ids = append([]Value{p.LEI}, ids...)
	}
	for _, id := range ids {
		if len(id.Value) < 6 || len(id.Value) > 64 {
			continue
		}
		hits, err := r.screen(interdict.Query{IDNumber: id.Value}, id.Path, id.Value, CheckID)
		if err != nil {
			return err
		}
		r.field(id.Path, id.Value, CheckID, hits)
	}
	if !p.Account.IsZero() {
		if cc := ibanCountry(p.Account.Value); cc != "" {
			r.field(p.Account.Path, p.Account.Value, CheckCountry, r.countryHit(p.Account.Path, p.Account.Value, cc))
		}
	}
	if !p.Country.IsZero() {
		r.field(p.Country.Path, p.Country.Value, CheckCountry, r.countryHit(p.Country.Path, p.Country.Value, p.Country.Value))
	}
	if !p.Address.IsZero() {
		r.field(p.Address.Path, p.Address.Value, CheckPlace, r.placeHits(p.Address.Path, p.Address.Value))
	}
	return nil
}

// partyCountry is the country a party's name is screened with, as
// secondary evidence: its address's or residence's country, else that of
// its BIC, of a Fedwire routing number (the United States), of its IBAN.
func (r *run) partyCountry(p *Party) string {
	switch {
	case !p.Country.IsZero():
		return p.Country.Value
	case !p.BIC.IsZero():
		return bicCountry(strings.ToUpper(p.BIC.Value))
	case r.res.Syntax == Fedwire && p.Agent && len(p.IDs) > 0 && len(p.IDs[0].Value) == 9 && isDigits(p.IDs[0].Value):
		return "US"
	case !p.Account.IsZero():
		return ibanCountry(p.Account.Value)
	}
	return ""
}

// cutName bounds a name to what a query takes.
func cutName(s string) string {
	if len(s) <= 500 {
		return s
	}
	return s[:500]
}

func (r *run) vessel(v Vessel) error {
	if !v.Name.IsZero() {
		q := interdict.Query{Name: cutName(v.Name.Value), Kind: interdict.KindVessel}
		if !v.IMO.IsZero() {
			q.IDNumber = "IMO" + v.IMO.Value
		}
		hits, err := r.screen(q, v.Name.Path, v.Name.Value, CheckName)
		if err != nil {
			return err
		}
		r.field(v.Name.Path, v.Name.Value, CheckName, hits)
	}
	if !v.IMO.IsZero() {
		imo := strings.TrimPrefix(strings.ToUpper(strings.ReplaceAll(v.IMO.Value, " ", "")), "IMO")
		hits, err := r.screen(interdict.Query{IDNumber: "IMO" + imo}, v.IMO.Path, v.IMO.Value, CheckID)
		if err != nil {
			return err
		}
		r.field(v.IMO.Path, v.IMO.Value, CheckID, hits)
	}
	return nil
}

func (r *run) place(p Place) {
	if !p.LOCODE.IsZero() {
		r.field(p.LOCODE.Path, p.LOCODE.Value, CheckCountry, r.countryHit(p.LOCODE.Path, p.LOCODE.Value, countryCode(p.LOCODE.Value[:min(2, len(p.LOCODE.Value))])))
	}
	if !p.Country.IsZero() && p.Country.Path != p.LOCODE.Path {
		r.field(p.Country.Path, p.Country.Value, CheckCountry, r.countryHit(p.Country.Path, p.Country.Value, p.Country.Value))
	}
	if !p.Name.IsZero() {
		r.field(p.Name.Path, p.Name.Value, CheckPlace, r.placeHits(p.Name.Path, p.Name.Value))
	}
}

// goods classifies each goods description of a trade document, with the
// document's destination (place of delivery or port of discharge).
func (r *run) goods(m *Message) error {
	if r.s.opt.Goods == nil || len(m.Goods) == 0 {
		return nil
	}
	dest := ""
	for _, role := range []string{"placeOfDelivery", "portOfDischarge", "placeOfFinalDelivery"} {
		for _, p := range m.Places {
			if p.Role == role && !p.Country.IsZero() && dest == "" {
				dest = p.Country.Value
			}
		}
	}
	for _, g := range m.Goods {
		item := interdict.LineItem{Description: cutName(g.Description), Destination: dest}
		if len(g.HSCodes) > 0 {
			item.HSCode = g.HSCodes[0]
		}
		c, err := r.s.opt.Goods.Classify(r.ctx, item)
		if err != nil {
			if interdict.ErrorCode(err) == interdict.EINVALID {
				r.field(g.Path, g.Description, CheckGoods, nil)
				continue
			}
			return fmt.Errorf("classify field %s: %w", g.Path, err)
		}
		var hits []Hit
		if c.Decision != interdict.DecisionNoLicenceRequired {
			hits = append(hits, Hit{Field: g.Path, Value: g.Description, Check: CheckGoods, Name: string(c.Decision),
				Score: 1, Alert: c.Decision.Severity() >= interdict.DecisionLicenceRequired.Severity(), Explanation: c})
		}
		r.field(g.Path, g.Description, CheckGoods, hits)
	}
	return nil
}

// LineScanner is the bounded free-text scan: each line of a field is
// screened as a name, and so is each run of two and three words in it
// (a name inside "INV 123 SPARE PARTS KALAYE ELECTRIC CO"); a hit counts
// only when it reaches the threshold and the text spells the listed name
// (see verbatim). The text is also searched for embargoed places and
// regions. It stops after MaxQueries name queries per field.
type LineScanner struct {
	s *Screener
	// MaxQueries bounds the name queries of one field; 0 means 48.
	MaxQueries int
}

// ScanText implements TextScanner.
func (l *LineScanner) ScanText(ctx context.Context, field, text string) ([]Hit, error) {
	r := &run{s: l.s, ctx: ctx, res: &Result{}}
	limit := l.MaxQueries
	if limit <= 0 {
		limit = 48
	}
	var queries []string
	seen := map[string]bool{}
	add := func(q string) {
		q = strings.TrimSpace(q)
		k := strings.ToUpper(q)
		if len(queries) < limit && !seen[k] && letters(q) >= 4 {
			seen[k] = true
			queries = append(queries, q)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimLeft(line, "/"))
		if line == "" {
			continue
		}
		add(cutName(line))
		words := strings.FieldsFunc(line, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\'' && r != '.'
		})
		for n := 2; n <= 3; n++ {
			for i := 0; i+n <= len(words); i++ {
				add(strings.Join(words[i:i+n], " "))
			}
		}
	}
	var out []Hit
	best := map[string]int{} // entity → index in out
	for _, q := range queries {
		hits, err := r.screen(interdict.Query{Name: q}, field, q, CheckText)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			if !h.Alert || !verbatim(h) {
				continue
			}
			if i, ok := best[h.EntityID]; ok {
				if h.Score > out[i].Score {
					out[i] = h
				}
				continue
			}
			best[h.EntityID] = len(out)
			out = append(out, h)
		}
	}
	for _, h := range r.placeHits(field, text) {
		h.Check = CheckText
		out = append(out, h)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out, nil
}

// verbatim accepts a free-text hit only when the text spells the listed
// name: every aligned word is the same word (or the same after
// transliteration), the listed name leaves out no word but a legal form,
// particle or generic word, and the name is not a weak alias. Free text
// is full of ordinary words that a fuzzy name match would pair with
// listed names ("TRANSFER" with "Transsphere Oy"); a name in free text is
// screened by its spelling.
func verbatim(h Hit) bool {
	ex, ok := h.Explanation.(interdict.Explanation)
	if !ok || ex.NameQuality == interdict.NameWeak || len(ex.Alignment) == 0 {
		return false
	}
	long := false
	for _, a := range ex.Alignment {
		if a.Kind != interdict.MatchExact && a.Kind != interdict.MatchTransliteration && a.Kind != interdict.MatchJoined {
			return false
		}
		if len([]rune(a.Entity)) >= 4 {
			long = true
		}
	}
	for _, u := range ex.UnmatchedEntity {
		if !strings.HasSuffix(u, "(legal-form)") && !strings.HasSuffix(u, "(particle)") {
			return false
		}
	}
	return long
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
