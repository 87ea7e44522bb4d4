package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/match"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
)

// bookList is the list name of the book's parties in the book scanner;
// their entity IDs are "book:<party ID>".
const bookList = "book"

// bookScanner finds the parties of the book in articles. It is the
// document scanner of package scan over the book's parties, each made an
// entity (its name and aliases) and verified by a screener over those
// entities alone: the same anchors, alignment and name-likeness checks
// (capitalisation, not a lone common word, not a place, not part of a
// longer name) that keep listed names quiet in ordinary prose keep the
// book's names quiet too, and a mention must score at or above the
// policy's threshold against the party's own names.
type bookScanner struct {
	mu     sync.Mutex
	readAt time.Time // when the book was last read
	digest string
	sc     *scan.Scanner
	names  map[string]string // party ID -> name
}

// partyEntity turns a party of the book into the entity the book scanner
// finds.
func partyEntity(p *interdict.Party) interdict.Entity {
	kind := p.Kind
	if kind == "" {
		kind = interdict.KindUnknown
	}
	e := interdict.Entity{ID: bookList + ":" + p.ID, List: bookList, SourceID: p.ID, Kind: kind,
		Names: []interdict.Name{{Full: p.Name, Quality: interdict.NamePrimary, Script: interdict.Script(p.Name)}}}
	for _, a := range p.Aliases {
		if a = strings.TrimSpace(a); a != "" && a != p.Name {
			e.Names = append(e.Names, interdict.Name{Full: a, Quality: interdict.NameStrong, Script: interdict.Script(a)})
		}
	}
	if p.Country != "" {
		e.Countries = []string{p.Country}
	}
	return e
}

// scanner returns the scanner of the book as it is now: it reads the
// parties not removed and rebuilds the scanner when their IDs or data
// hashes changed since the last build.
//
// Within refresh of the last read (refresh > 0), the last scanner is used
// without reading the book again.
func (b *bookScanner) scanner(ctx context.Context, book interdict.ReviewStore, policy screen.Policy, refresh time.Duration) (*scan.Scanner, map[string]string, error) {
	b.mu.Lock()
	if b.sc != nil && refresh > 0 && time.Since(b.readAt) < refresh {
		sc, names := b.sc, b.names
		b.mu.Unlock()
		return sc, names, nil
	}
	b.mu.Unlock()
	start := time.Now()
	var parties []*interdict.Party
	after := ""
	h := sha256.New()
	for {
		ps, _, err := book.FindParties(ctx, interdict.PartyFilter{AfterID: after, Limit: 5000})
		if err != nil {
			return nil, nil, fmt.Errorf("read the book: %w", err)
		}
		for _, p := range ps {
			fmt.Fprintf(h, "%s\x00%s\x00", p.ID, p.Hash)
		}
		parties = append(parties, ps...)
		if len(ps) < 5000 {
			break
		}
		after = ps[len(ps)-1].ID
	}
	digest := hex.EncodeToString(h.Sum(nil))
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sc != nil && b.digest == digest {
		b.readAt = start
		return b.sc, b.names, nil
	}
	ents := make([]interdict.Entity, 0, len(parties))
	names := make(map[string]string, len(parties))
	for _, p := range parties {
		ents = append(ents, partyEntity(p))
		names[p.ID] = p.Name
	}
	policy.Lists = nil // the book is the only list here
	scr, err := screen.NewScreener(match.NewIndex(ents), policy, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("book screener: %w", err)
	}
	sc, err := scan.New(ents, scan.Options{Screener: scr, Threshold: policy.Threshold})
	if err != nil {
		return nil, nil, fmt.Errorf("book scanner: %w", err)
	}
	b.digest, b.sc, b.names, b.readAt = digest, sc, names, start
	return sc, names, nil
}
