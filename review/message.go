package review

import (
	"context"
	"sort"

	"github.com/interdict/interdict"
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
