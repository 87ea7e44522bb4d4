package review

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/interdict/interdict"
)

// RaiseAlert raises, as actor, an alert that another part of interdict
// found for a party of the book (adverse media: the party named in an
// article with a risk topic). a names the party (PartyID) and what was
// found (EntityID, such as "media:<article>", EntityName, Listings, Score,
// Explanation, Policy); RaiseAlert fills in the party's current data hash
// and name, opens the alert and records it on the audit trail. Returns
// ENOTFOUND when the book has no such party (or it was removed), EINVALID
// without a party, an entity or an actor, and ECONFLICT when the party and
// entity have an alert that is not closed.
func (s *Service) RaiseAlert(ctx context.Context, actor string, a *interdict.Alert) error {
	if strings.TrimSpace(actor) == "" {
		return interdict.Errorf(interdict.EINVALID, "Raising an alert needs an actor.")
	}
	if a.PartyID == "" || a.EntityID == "" {
		return interdict.Errorf(interdict.EINVALID, "An alert needs a party and what it is about.")
	}
	p, err := s.cfg.Store.FindParty(ctx, a.PartyID)
	if err != nil {
		return err
	}
	if p.Removed {
		return interdict.Errorf(interdict.ENOTFOUND, "Party %s was taken off the book.", a.PartyID)
	}
	a.ID, a.PartyHash, a.PartyName, a.State = "", p.Hash, p.Name, interdict.AlertOpen
	payload, err := json.Marshal(struct {
		PartyID   string  `json:"party_id"`
		PartyHash string  `json:"party_hash"`
		EntityID  string  `json:"entity_id"`
		Score     float64 `json:"score"`
		Policy    string  `json:"policy"`
		Reason    string  `json:"reason"`
	}{a.PartyID, a.PartyHash, a.EntityID, a.Score, a.Policy, fmt.Sprintf("%s: %s", a.EntityID, a.EntityName)})
	if err != nil {
		return fmt.Errorf("audit alert.create of party %s: %w", a.PartyID, err)
	}
	// The alert and its audit record are stored in one transaction.
	a.Audit = &interdict.AuditRecord{Actor: actor, Action: "alert.create", Payload: payload}
	defer func() { a.Audit = nil }()
	return s.cfg.Store.CreateAlert(ctx, a)
}
