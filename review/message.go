package review

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/message"
)

// RaiseHits records hits screened outside the book, such as the list hits
// that hold a payment message, as alerts on p, which is not put in the
// book (p.ID names what was screened: "message:<ID>"). The hits at or
// above the current threshold are grouped by listed party as a screening
// of the book groups them, and each group raises one alert unless an alert
// of p on that listed party is pending (then the pending one counts, so a
// message delivered twice raises its alerts once) or a good-guy entry on
// the same data and score keeps it quiet. Each alert is on the audit trail.
func (s *Service) RaiseHits(ctx context.Context, actor string, p *interdict.Party, policy string, hits []interdict.Hit) (*Screening, error) {
	if actor == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "Raising alerts needs an actor.")
	}
	if p == nil || p.ID == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "Raising alerts needs the ID of what was screened.")
	}
	ix, err := s.index()
	if err != nil {
		return nil, err
	}
	if p.Hash == "" {
		p.Hash = p.DataHash()
	}
	groups := map[string]*group{}
	for _, h := range hits {
		if h.Score < ix.Threshold || h.EntityID == "" {
			continue
		}
		k := s.groupKey(&h)
		g := groups[k]
		if g == nil {
			g = &group{key: k, best: h}
			groups[k] = g
		}
		if h.Score > g.best.Score {
			g.best = h
		}
		g.hits = append(g.hits, h)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sc := &Screening{PartyID: p.ID, PartyHash: p.Hash, Policy: policy}
	ents := newEntityCache(s.cfg.Lists)
	for _, k := range keys {
		sc.Hits++
		a, outcome, err := s.raise(ctx, actor, ix, p, groups[k], policy, ents)
		if err != nil {
			return nil, err
		}
		switch outcome {
		case raised:
			sc.Alerts = append(sc.Alerts, a)
		case suppressed:
			sc.Suppressed++
		case pending, escalated:
			sc.Pending++
		}
	}
	return sc, nil
}

// Finding is what holds a message other than a listed party: an embargoed
// country, place or region ("place:IR", "region:Crimea") or goods that
// need a licence ("goods:<field path>"). RaiseFindings raises an alert on
// it as on a listed entity of its own list ("embargo", "goods").
type Finding struct {
	// EntityID names the finding; it is the alert's EntityID.
	EntityID string
	// Name is its display name ("Iran", "Crimea", "licence-required").
	Name string
	// List is "embargo" for a place or "goods" for goods.
	List string
	// Field and Value are the message field and what it says.
	Field, Value string
	Score        float64
	// Explanation is the destination check or goods classification as
	// JSON.
	Explanation json.RawMessage
}

// RaiseFindings raises, as actor, one alert on p (p.ID names the message:
// "message:<ID>") for each finding, unless p already has an alert on the
// same finding, open or closed (a message does not change: a message
// delivered again raises its alerts once, and a decided finding stays
// decided). Each alert is on the audit trail with its creation. Returns
// the alerts raised, and the number already there as Pending.
func (s *Service) RaiseFindings(ctx context.Context, actor string, p *interdict.Party, policy string, fs []Finding) (*Screening, error) {
	if strings.TrimSpace(actor) == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "Raising alerts needs an actor.")
	}
	if p == nil || p.ID == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "Raising alerts needs the ID of what was screened.")
	}
	if p.Hash == "" {
		p.Hash = p.DataHash()
	}
	sc := &Screening{PartyID: p.ID, PartyHash: p.Hash, Policy: policy}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.EntityID == "" {
			return nil, interdict.Errorf(interdict.EINVALID, "Finding on field %s names nothing.", f.Field)
		}
		if seen[f.EntityID] {
			continue
		}
		seen[f.EntityID] = true
		sc.Hits++
		prev, _, err := s.cfg.Store.FindAlerts(ctx, interdict.AlertFilter{PartyID: p.ID, EntityID: f.EntityID, Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("find alerts of %s on %s: %w", p.ID, f.EntityID, err)
		}
		if len(prev) > 0 {
			sc.Pending++
			continue
		}
		expl := f.Explanation
		if len(expl) == 0 {
			expl = json.RawMessage("null")
		}
		a := &interdict.Alert{PartyID: p.ID, PartyHash: p.Hash, PartyName: p.Name, EntityID: f.EntityID, EntityName: f.Name,
			Listings: []interdict.AlertListing{{EntityID: f.EntityID, List: f.List, Score: f.Score}},
			Policy:   policy, Score: f.Score, Explanation: expl, State: interdict.AlertOpen}
		payload, err := json.Marshal(struct {
			PartyID   string  `json:"party_id"`
			PartyHash string  `json:"party_hash"`
			EntityID  string  `json:"entity_id"`
			Score     float64 `json:"score"`
			Policy    string  `json:"policy"`
			Reason    string  `json:"reason"`
		}{a.PartyID, a.PartyHash, a.EntityID, a.Score, a.Policy, fmt.Sprintf("%s %q: %s", f.Field, f.Value, f.Name)})
		if err != nil {
			return nil, fmt.Errorf("audit alert.create of %s: %w", a.PartyID, err)
		}
		// The alert and its audit record are stored in one transaction.
		a.Audit = &interdict.AuditRecord{Actor: actor, Action: "alert.create", Payload: payload}
		err = s.cfg.Store.CreateAlert(ctx, a)
		a.Audit = nil
		switch {
		case interdict.ErrorCode(err) == interdict.ECONFLICT:
			sc.Pending++ // raised meanwhile by another delivery of the message
		case err != nil:
			return nil, fmt.Errorf("alert.create: %w", err)
		default:
			sc.Alerts = append(sc.Alerts, a)
		}
	}
	return sc, nil
}

// RaiseMessage records a held message's hits as alerts, as actor, on the
// message ("message:<ID>", see message.AlertParty): its list hits grouped
// by listed party (RaiseHits), and the embargoed countries, places and
// regions and the controlled goods that hold it (RaiseFindings). A
// released message raises none; a message screened again raises its
// alerts once.
func (s *Service) RaiseMessage(ctx context.Context, actor string, r *message.Result) (*Screening, error) {
	p, ok := message.AlertParty(r)
	if !ok {
		return &Screening{}, nil
	}
	hits, err := message.ListHits(r)
	if err != nil {
		return nil, err
	}
	out := &Screening{PartyID: p.ID, PartyHash: p.Hash, Policy: r.Policy}
	if len(hits) > 0 {
		sc, err := s.RaiseHits(ctx, actor, p, r.Policy, hits)
		if err != nil {
			return nil, err
		}
		*out = *sc
	}
	fs, err := message.Findings(r)
	if err != nil || len(fs) == 0 {
		return out, err
	}
	rf := make([]Finding, len(fs))
	for i, f := range fs {
		rf[i] = Finding{EntityID: f.EntityID, Name: f.Name, List: f.List, Field: f.Field, Value: f.Value, Score: f.Score, Explanation: f.Explanation}
	}
	sc, err := s.RaiseFindings(ctx, actor, p, r.Policy, rf)
	if err != nil {
		return nil, err
	}
	out.Hits += sc.Hits
	out.Pending += sc.Pending
	out.Alerts = append(out.Alerts, sc.Alerts...)
	return out, nil
}
