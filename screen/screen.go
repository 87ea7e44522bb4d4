// Package screen implements interdict.Screener over a match.Index and an
// explicit Policy, and Service, the one screening entry point of interdict.
// A Policy (threshold, lists, kinds, weights) is a value with a stable
// version hash, the SHA-256 of its canonical JSON; every result records the
// hash so that a decision can be reproduced. A Service checks each query
// (interdict.Query.Check), screens it on the live Index it builds from an
// interdict.ListStore, and swaps that Index atomically when the lists
// change; it reads the store only through the root's interfaces.
package screen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/link"
	"github.com/interdict/interdict/match"
)

// Policy is the configuration a screening decision depends on.
type Policy struct {
	// Threshold is the score, in [0, 1], at or above which a hit alerts.
	Threshold float64 `json:"threshold"`
	// MinScore is the lowest score a hit must have to be reported at all.
	MinScore float64 `json:"min_score"`
	// Limit is the most hits reported per query.
	Limit int `json:"limit"`
	// Lists restricts screening to these list identifiers; empty means all.
	Lists []string `json:"lists,omitempty"`
	// Kinds restricts screening to entities of these kinds; empty means all.
	// Entities of unknown kind are always screened.
	Kinds   []interdict.Kind `json:"kinds,omitempty"`
	Weights match.Weights    `json:"weights"`
	// PerList sets, by list identifier, whether that list's hits alert and
	// at which threshold, and the kind of hit they are. Lists not named
	// follow Threshold.
	PerList map[string]ListPolicy `json:"per_list,omitempty"`
}

// ListPolicy is how a policy treats the hits on one list.
type ListPolicy struct {
	// Alert set to false reports the list's hits without alerting on
	// them (a PEP hit calls for enhanced due diligence, not a sanctions
	// alert); nil or true alerts.
	Alert *bool `json:"alert,omitempty"`
	// Threshold, when not 0, is the alert threshold of the list's hits, in
	// [MinScore, 1], instead of Policy.Threshold.
	Threshold float64 `json:"threshold,omitempty"`
	// HitKind, when set, is the kind of every hit on the list (a PEP list
	// kept as a spreadsheet: "pep"); otherwise it follows from the entity
	// and the list (see HitKind).
	HitKind interdict.HitKind `json:"hit_kind,omitempty"`
}

// The FollowTheMoney topics that mark a politically exposed person
// ("role.pep") and a relative or close associate of one ("role.rca"),
// kept in an entity's Attributes under TopicsAttribute.
const (
	TopicsAttribute = "topics"
	TopicPEP        = "role.pep"
	TopicRCA        = "role.rca"
)

// HitKind returns the kind of a hit on e under p: the list's HitKind when
// the policy sets one; HitPEP for an entity with the topic TopicPEP or
// TopicRCA; HitSanction for an entity of a list a public authority
// publishes (interdict.Lists); HitInternal for the institution's own lists.
func (p Policy) HitKind(e *interdict.Entity) interdict.HitKind {
	if k := p.PerList[e.List].HitKind; k != "" {
		return k
	}
	for _, t := range e.Attributes[TopicsAttribute] {
		if t == TopicPEP || t == TopicRCA {
			return interdict.HitPEP
		}
	}
	if _, official := interdict.LookupList(e.List); official {
		return interdict.HitSanction
	}
	return interdict.HitInternal
}

// Alerts reports whether a hit on list with score alerts under p: the
// list's own setting and threshold when it has them, Threshold otherwise.
func (p Policy) Alerts(list string, score float64) bool {
	lp, ok := p.PerList[list]
	if !ok {
		return score >= p.Threshold
	}
	if lp.Alert != nil && !*lp.Alert {
		return false
	}
	if lp.Threshold != 0 {
		return score >= lp.Threshold
	}
	return score >= p.Threshold
}

// DefaultPolicy returns the policy interdict ships with. Its threshold was
// tuned on the development split of the evaluation sets (package eval).
func DefaultPolicy() Policy {
	return Policy{
		Threshold: 0.80,
		MinScore:  0.55,
		Limit:     10,
		Weights:   match.DefaultWeights(),
	}
}

// Validate reports the first invalid field as an EINVALID error.
func (p Policy) Validate() error {
	switch {
	case p.Threshold <= 0 || p.Threshold > 1:
		return interdict.Errorf(interdict.EINVALID, "policy threshold must be in (0, 1], not %v", p.Threshold)
	case p.MinScore < 0 || p.MinScore > p.Threshold:
		return interdict.Errorf(interdict.EINVALID, "policy min_score must be in [0, threshold], not %v", p.MinScore)
	case p.Limit < 1:
		return interdict.Errorf(interdict.EINVALID, "policy limit must be at least 1, not %d", p.Limit)
	}
	for _, k := range p.Kinds {
		if !slices.Contains(interdict.Kinds, k) {
			return interdict.Errorf(interdict.EINVALID, "policy kind %q is unknown", k)
		}
	}
	for _, l := range slices.Sorted(maps.Keys(p.PerList)) {
		lp := p.PerList[l]
		switch {
		case strings.TrimSpace(l) == "":
			return interdict.Errorf(interdict.EINVALID, "policy per_list: a list identifier is empty")
		case lp.Threshold != 0 && (lp.Threshold < p.MinScore || lp.Threshold > 1):
			return interdict.Errorf(interdict.EINVALID, "policy per_list.%s.threshold must be in [min_score, 1] ([%v, 1]), not %v", l, p.MinScore, lp.Threshold)
		case lp.HitKind != "" && lp.HitKind != interdict.HitSanction && lp.HitKind != interdict.HitPEP && lp.HitKind != interdict.HitInternal:
			return interdict.Errorf(interdict.EINVALID, "policy per_list.%s.hit_kind %q is unknown (sanction, pep, internal)", l, lp.HitKind)
		}
	}
	return nil
}

// Hash returns the policy's version: the hex SHA-256 of its canonical JSON
// (fields in declaration order, lists and kinds sorted).
func (p Policy) Hash() string {
	c := p
	c.Lists = slices.Sorted(slices.Values(p.Lists))
	c.Kinds = slices.Sorted(slices.Values(p.Kinds))
	b, err := json.Marshal(c)
	if err != nil {
		panic("screen: policy not encodable: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Screener screens queries against one immutable index with one policy. It
// is safe for concurrent use.
type Screener struct {
	ix     *match.Index
	policy Policy
	hash   string
	lists  map[string]string
	filter func(e *interdict.Entity) bool
	// parties groups the hits by listed party; nil makes each hit a party
	// of its own.
	parties *parties
}

var _ interdict.Screener = (*Screener)(nil)

// NewScreener returns a screener over ix. lists maps each list in the index
// to its version, recorded in every result; it may be nil. The policy must
// be valid (see Policy.Validate).
func NewScreener(ix *match.Index, p Policy, lists map[string]string) (*Screener, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	s := &Screener{ix: ix, policy: p, hash: p.Hash(), lists: lists}
	if len(p.Lists) > 0 || len(p.Kinds) > 0 {
		s.filter = func(e *interdict.Entity) bool {
			if len(p.Lists) > 0 && !slices.Contains(p.Lists, e.List) {
				return false
			}
			if len(p.Kinds) > 0 && e.Kind != interdict.KindUnknown && e.Kind != "" && !slices.Contains(p.Kinds, e.Kind) {
				return false
			}
			return true
		}
	}
	return s, nil
}

// LinkParties links entities (those of the screener's index) into parties
// (package link) and makes the screener group its hits by party in
// ScreenResult.Parties. Without it every hit is a party of its own. Call it
// before the screener is shared.
func (s *Screener) LinkParties(entities []interdict.Entity) *link.Parties {
	s.parties = newParties(entities)
	return s.parties.set
}

// Policy returns the screener's policy.
func (s *Screener) Policy() Policy { return s.policy }

// Screen implements interdict.Screener. Returns EINVALID when q has neither
// a name nor an identifier.
func (s *Screener) Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	return s.ScreenFilter(ctx, q, nil)
}

// ScreenFilter is Screen on only the entities for which keep returns true
// (all when keep is nil), besides the policy's own restrictions: each
// entity kept scores as in Screen, and no other entity takes a place among
// the hits (re-screening against the entities a list version changed).
func (s *Screener) ScreenFilter(ctx context.Context, q interdict.Query, keep func(e *interdict.Entity) bool) (*interdict.ScreenResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(q.Name) == "" && strings.TrimSpace(q.IDNumber) == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "a query needs a name or an identifier")
	}
	warns := []interdict.Warning{}
	sq := q
	if why, number, _ := match.Contentless(q.Name); q.Name != "" && why != "" && !s.ix.ListedName(q.Name) {
		// A name that names no party is not matched as a name (it would
		// pair with the same word in listed names, and alert on nothing);
		// a number is looked up as an identifier.
		warns = append(warns, interdict.Warning{Field: "name", Value: q.Name, Message: why})
		sq.Name = ""
		if number && sq.IDNumber == "" {
			sq.IDNumber = q.Name
		}
	}
	var ms []match.Match
	var total int
	if sq.Name != "" || sq.IDNumber != "" {
		filter := s.filter
		switch {
		case keep != nil && filter != nil:
			filter = func(e *interdict.Entity) bool { return keep(e) && s.filter(e) }
		case keep != nil:
			filter = keep
		}
		ms, total = s.ix.SearchTotal(sq, match.Options{Weights: s.policy.Weights, Limit: s.policy.Limit, MinScore: s.policy.MinScore, Filter: filter})
	}
	res := &interdict.ScreenResult{Query: q, Policy: s.hash, Lists: s.lists, Warnings: warns, TotalHits: total, Hits: make([]interdict.Hit, 0, len(ms))}
	for i := range ms {
		m := &ms[i]
		alert := s.policy.Alerts(m.Entity.List, m.Score)
		res.Hits = append(res.Hits, interdict.Hit{
			EntityID:    m.Entity.ID,
			List:        m.Entity.List,
			Kind:        m.Entity.Kind,
			HitKind:     s.policy.HitKind(m.Entity),
			Name:        m.Entity.PrimaryName(),
			MatchedName: m.MatchedName(),
			Score:       m.Score,
			Alert:       alert,
			Programs:    m.Entity.Programs,
			Note:        copyNote(m.Entity),
			Explanation: m.Explanation,
		})
		res.Alert = res.Alert || alert
	}
	s.parties.group(res, s.filter)
	return res, nil
}

// Comparison is the outcome of comparing two parties.
type Comparison struct {
	Score       float64               `json:"score"`
	Alert       bool                  `json:"alert"`
	Policy      string                `json:"policy"`
	Explanation interdict.Explanation `json:"explanation"`
	// Warnings say why a name was not compared (it names no party).
	Warnings []interdict.Warning `json:"warnings,omitempty"`
}

// Compare scores party a (the query) against party b (standing for a listed
// entity with one name) under policy p, with no list: every name token
// weighs the same. It is the pairwise building block of `interdict compare`
// and of the evaluation. A name that lists several names separated by
// semicolons ("Ali Akber Tabatabaei; Ali Akbar Tahmaesebi"), as alias
// fields and customer records often do, is compared name by name, and the
// closest pair counts.
func Compare(p Policy, a, b interdict.Query) Comparison {
	var m match.Match
	first := true
	for _, an := range splitNames(a.Name) {
		for _, bn := range splitNames(b.Name) {
			qa, qb := a, b
			qa.Name, qb.Name = an, bn
			if mm := match.Compare(qa, qb, p.Weights); first || mm.Score > m.Score {
				m, first = mm, false
			}
		}
	}
	c := Comparison{Score: m.Score, Alert: m.Score >= p.Threshold, Policy: p.Hash(), Explanation: m.Explanation}
	for _, side := range []struct{ field, name string }{{"name1", a.Name}, {"name2", b.Name}} {
		// Pairwise there is no list to say that the name is listed as it
		// is (see Index.ListedName): only a name that is nothing but legal
		// forms or connectives, or one or two letters and digits in all,
		// is not compared.
		if why, _, hard := match.Contentless(side.name); why != "" && !strings.Contains(side.name, ";") && (hard || alnum(side.name) <= 2) {
			// A name that names no party never alerts (see Screen).
			c.Warnings = append(c.Warnings, interdict.Warning{Field: side.field, Value: side.name, Message: why})
			c.Score, c.Alert, c.Explanation = 0, false, interdict.Explanation{}
		}
	}
	return c
}

// splitNames splits a name field on semicolons into its non-blank names;
// a field with one name, or none, is returned whole.
func splitNames(s string) []string {
	if !strings.Contains(s, ";") {
		return []string{s}
	}
	var out []string
	for _, n := range strings.Split(s, ";") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return []string{s}
	}
	return out
}

// String describes a comparison in one line.
func (c Comparison) String() string {
	return fmt.Sprintf("score %.3f alert %v", c.Score, c.Alert)
}

// alnum counts the letters and digits of s.
func alnum(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}
