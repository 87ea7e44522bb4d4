package message

import (
	"encoding/json"
	"fmt"

	"github.com/interdict/interdict"
)

// AlertParty is what a held message's alerts are raised on: the message
// (ID "message:<message ID>"), named after its first alerting hit, a list
// hit if there is one ("message M1 :59F: ACME LTD"); ok is false when no
// hit holds the message.
func AlertParty(r *Result) (p *interdict.Party, ok bool) {
	first := -1
	for i, h := range r.Hits {
		if h.Alert && (first < 0 || h.List != "" && r.Hits[first].List == "") {
			first = i
		}
	}
	if first < 0 {
		return nil, false
	}
	h := r.Hits[first]
	name := fmt.Sprintf("message %s %s %s", r.MessageID, h.Field, h.Value)
	if len(name) > 500 {
		name = name[:500]
	}
	p = &interdict.Party{ID: "message:" + r.MessageID, Name: name}
	p.Hash = p.DataHash()
	return p, true
}

// Finding is an alerting hit of r on something other than a listed
// entity: an embargoed country, place or region, or goods that need a
// licence. EntityID names it ("place:IR", "region:Crimea", "goods:<field
// path>") and List is "embargo" or "goods".
type Finding struct {
	Hit
	Explanation []byte
}

// Findings returns the alerting hits of r that are not list hits, each
// once per thing found (an embargoed country named by three fields is one
// finding), with its explanation as JSON.
func Findings(r *Result) ([]Finding, error) {
	var out []Finding
	seen := map[string]bool{}
	for _, h := range r.Hits {
		if !h.Alert || h.List != "" {
			continue
		}
		switch {
		case h.Check == CheckGoods:
			h.EntityID, h.List = "goods:"+h.Field, "goods"
		case h.EntityID != "":
			h.List = "embargo"
		default:
			continue
		}
		if seen[h.EntityID] {
			continue
		}
		seen[h.EntityID] = true
		b, err := json.Marshal(h.Explanation)
		if err != nil {
			return nil, fmt.Errorf("finding %s of message %s: %w", h.EntityID, r.MessageID, err)
		}
		out = append(out, Finding{Hit: h, Explanation: b})
	}
	return out, nil
}

// ListHits returns the alerting hits of r on listed entities as screening
// hits, each with its explanation (read back from JSON when r was), for
// raising alerts.
func ListHits(r *Result) ([]interdict.Hit, error) {
	var out []interdict.Hit
	for _, h := range r.Hits {
		if !h.Alert || h.List == "" || h.EntityID == "" {
			continue
		}
		ih := interdict.Hit{EntityID: h.EntityID, List: h.List, Party: h.Party, Name: h.Name, MatchedName: h.Value,
			Score: h.Score, Programs: h.Programs}
		switch ex := h.Explanation.(type) {
		case interdict.Explanation:
			ih.Explanation = ex
		case nil:
		default:
			b, err := json.Marshal(ex)
			if err != nil {
				return nil, fmt.Errorf("hit on %s of message %s: %w", h.EntityID, r.MessageID, err)
			}
			if err := json.Unmarshal(b, &ih.Explanation); err != nil {
				return nil, fmt.Errorf("hit on %s of message %s: explanation: %w", h.EntityID, r.MessageID, err)
			}
		}
		out = append(out, ih)
	}
	return out, nil
}
