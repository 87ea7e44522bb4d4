package screen

import (
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/link"
)

// parties is what a Screener needs to group hits by party: the parties of
// the index's entities and the linked entities by ID (for the listings of
// a party that did not match the query themselves).
type parties struct {
	set  *link.Parties
	byID map[string]*interdict.Entity
}

// newParties links entities into parties (see package link).
func newParties(entities []interdict.Entity) *parties {
	set := link.Build(entities)
	byID := make(map[string]*interdict.Entity)
	for i := range entities {
		e := &entities[i]
		if n, ok := set.PartyOf(e.ID); ok && set.Size(n) > 1 {
			byID[e.ID] = e
		}
	}
	return &parties{set: set, byID: byID}
}

// copyNote returns the note of an entity read from an unofficial copy of
// its list, or "".
func copyNote(e *interdict.Entity) string {
	if vs := e.Attributes[interdict.AttrUnofficialCopy]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// group fills res.Parties from res.Hits (sorted by score) and sets each
// hit's Party: one party per listed party, in the order of its best hit,
// its listings the hits on its records by score, then its other records
// (score 0) in list order. A party alerts when any of its hits does. A hit on an entity linked to none is a party of
// its own. With no parties (an index built without them) every hit is.
func (ps *parties) group(res *interdict.ScreenResult, filter func(*interdict.Entity) bool) {
	res.Parties = make([]interdict.ListedParty, 0, len(res.Hits))
	var at map[int]int // party number → position in res.Parties
	for i := range res.Hits {
		h := &res.Hits[i]
		n, linked := -1, false
		if ps != nil {
			if k, ok := ps.set.PartyOf(h.EntityID); ok && ps.set.Size(k) > 1 {
				n, linked = k, true
			}
		}
		l := interdict.Listing{EntityID: h.EntityID, List: h.List, Name: h.Name, Programs: h.Programs, Score: h.Score, Note: h.Note}
		if !linked {
			h.Party = h.EntityID
			res.Parties = append(res.Parties, interdict.ListedParty{ID: h.EntityID, Name: h.Name, Kind: h.Kind, Score: h.Score,
				Alert: h.Alert, Listings: []interdict.Listing{l}})
			continue
		}
		h.Party = ps.set.Lead(n)
		if at == nil {
			at = map[int]int{}
		}
		if j, ok := at[n]; ok {
			p := &res.Parties[j]
			p.Listings = append(p.Listings, l)
			p.Alert = p.Alert || h.Alert
			if p.Kind == interdict.KindUnknown && h.Kind != interdict.KindUnknown {
				p.Kind = h.Kind
			}
			continue
		}
		at[n] = len(res.Parties)
		res.Parties = append(res.Parties, interdict.ListedParty{ID: h.Party, Name: h.Name, Kind: h.Kind, Score: h.Score,
			Alert: h.Alert, Listings: []interdict.Listing{l}})
	}
	if len(at) == 0 {
		return
	}
	for n, j := range at {
		p := &res.Parties[j]
		if len(p.Listings) == ps.set.Size(n) {
			continue
		}
		for _, id := range ps.set.Members(n) {
			if hasListing(p.Listings, id) {
				continue
			}
			e := ps.byID[id]
			if e == nil || (filter != nil && !filter(e)) {
				continue
			}
			p.Listings = append(p.Listings, interdict.Listing{EntityID: e.ID, List: e.List, Name: e.PrimaryName(),
				Programs: e.Programs, Note: copyNote(e)})
			if p.Kind == interdict.KindUnknown && e.Kind != interdict.KindUnknown {
				p.Kind = e.Kind
			}
		}
	}
}

func hasListing(ls []interdict.Listing, id string) bool {
	for _, l := range ls {
		if l.EntityID == id {
			return true
		}
	}
	return false
}
