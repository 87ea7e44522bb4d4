package message

import (
	"encoding/json"
	"fmt"

	"github.com/interdict/interdict"
)

// AlertParty is what a held message's alerts are raised on: the message
// (ID "message:<message ID>"), named after its first alerting list hit
// ("message M1 :59F: ACME LTD"); ok is false when no list hit holds the
// message (an embargoed place or controlled goods hold it).
func AlertParty(r *Result) (p *interdict.Party, ok bool) {
	for _, h := range r.Hits {
		if h.Alert && h.List != "" {
			name := fmt.Sprintf("message %s %s %s", r.MessageID, h.Field, h.Value)
			if len(name) > 500 {
				name = name[:500]
			}
			p = &interdict.Party{ID: "message:" + r.MessageID, Name: name}
			p.Hash = p.DataHash()
			return p, true
		}
	}
	return nil, false
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
