package screen

import (
	"unsafe"

	"github.com/interdict/interdict"
)

// CompactEntities rewrites entities in place so that they hold the same
// values in less memory: every string is interned (a list's name, kind,
// country codes, programs and the text the EU and UK copies share are held
// once) and the bytes of the strings held once are packed into large
// blocks; each slice of every entity is cut from one shared backing array
// of its type, at its exact length, instead of the oversized arrays a
// decoder grows. The entities compare
// equal, field by field, before and after. The memory the decoded
// entities held becomes garbage for the collector.
func CompactEntities(entities []interdict.Entity) {
	c := compactor{seen: make(map[string]string, len(entities)*4)}
	var nNames, nParts, nIDs, nAddrs, nDates, nPlaces, nRels, nStrs int
	for i := range entities {
		e := &entities[i]
		nNames += len(e.Names)
		for _, n := range e.Names {
			nParts += len(n.Parts)
		}
		nIDs += len(e.Identifiers)
		nAddrs += len(e.Addresses)
		nDates += len(e.Dates)
		nPlaces += len(e.BirthPlaces)
		nRels += len(e.Relations)
		nStrs += len(e.Nationalities) + len(e.Citizenships) + len(e.Countries) + len(e.Titles) + len(e.Programs) + len(e.Remarks)
		for _, v := range e.Attributes {
			nStrs += len(v)
		}
	}
	names := make([]interdict.Name, 0, nNames)
	parts := make([]interdict.NamePart, 0, nParts)
	ids := make([]interdict.Identifier, 0, nIDs)
	addrs := make([]interdict.Address, 0, nAddrs)
	dates := make([]interdict.Date, 0, nDates)
	places := make([]interdict.Place, 0, nPlaces)
	rels := make([]interdict.Relation, 0, nRels)
	strs := make([]string, 0, nStrs)
	str := func(l []string) []string {
		if l == nil {
			return nil
		}
		off := len(strs)
		for _, s := range l {
			strs = append(strs, c.s(s))
		}
		return strs[off:len(strs):len(strs)]
	}
	for i := range entities {
		e := &entities[i]
		e.ID, e.List, e.SourceID, e.SourceURL = c.s(e.ID), c.s(e.List), c.s(e.SourceID), c.s(e.SourceURL)
		e.Kind = interdict.Kind(c.s(string(e.Kind)))
		if e.Names != nil {
			off := len(names)
			for _, n := range e.Names {
				n.Full, n.Script, n.Lang = c.s(n.Full), c.s(n.Script), c.s(n.Lang)
				n.Quality = interdict.NameQuality(c.s(string(n.Quality)))
				if n.Parts != nil {
					po := len(parts)
					for _, p := range n.Parts {
						p.Value = c.s(p.Value)
						p.Type = interdict.NamePartType(c.s(string(p.Type)))
						parts = append(parts, p)
					}
					n.Parts = parts[po:len(parts):len(parts)]
				}
				names = append(names, n)
			}
			e.Names = names[off:len(names):len(names)]
		}
		if e.Identifiers != nil {
			off := len(ids)
			for _, d := range e.Identifiers {
				d.Type = interdict.IdentifierType(c.s(string(d.Type)))
				d.Label, d.Value, d.Country, d.Note = c.s(d.Label), c.s(d.Value), c.s(d.Country), c.s(d.Note)
				ids = append(ids, d)
			}
			e.Identifiers = ids[off:len(ids):len(ids)]
		}
		if e.Addresses != nil {
			off := len(addrs)
			for _, a := range e.Addresses {
				a.Street, a.City, a.Region, a.PostalCode = c.s(a.Street), c.s(a.City), c.s(a.Region), c.s(a.PostalCode)
				a.Country, a.CountryName, a.Full = c.s(a.Country), c.s(a.CountryName), c.s(a.Full)
				addrs = append(addrs, a)
			}
			e.Addresses = addrs[off:len(addrs):len(addrs)]
		}
		if e.Dates != nil {
			off := len(dates)
			for _, d := range e.Dates {
				d.Type = interdict.DateType(c.s(string(d.Type)))
				d.From, d.To, d.Raw = c.s(d.From), c.s(d.To), c.s(d.Raw)
				d.Precision = interdict.DatePrecision(c.s(string(d.Precision)))
				dates = append(dates, d)
			}
			e.Dates = dates[off:len(dates):len(dates)]
		}
		if e.BirthPlaces != nil {
			off := len(places)
			for _, p := range e.BirthPlaces {
				p.Text, p.Country = c.s(p.Text), c.s(p.Country)
				places = append(places, p)
			}
			e.BirthPlaces = places[off:len(places):len(places)]
		}
		if e.Relations != nil {
			off := len(rels)
			for _, r := range e.Relations {
				r.Type = interdict.RelationType(c.s(string(r.Type)))
				r.Target, r.TargetName, r.Note = c.s(r.Target), c.s(r.TargetName), c.s(r.Note)
				rels = append(rels, r)
			}
			e.Relations = rels[off:len(rels):len(rels)]
		}
		e.Nationalities, e.Citizenships, e.Countries = str(e.Nationalities), str(e.Citizenships), str(e.Countries)
		e.Titles, e.Programs, e.Remarks = str(e.Titles), str(e.Programs), str(e.Remarks)
		e.Gender, e.ListedOn = c.s(e.Gender), c.s(e.ListedOn)
		if e.Attributes != nil {
			m := make(map[string][]string, len(e.Attributes))
			for k, v := range e.Attributes {
				m[c.s(k)] = str(v)
			}
			e.Attributes = m
		}
	}
}

// compactor interns strings and packs the bytes of each new one into
// large blocks.
type compactor struct {
	seen  map[string]string
	block []byte
}

// blockSize is the size of a block of packed string bytes; a longer string
// is copied on its own.
const blockSize = 256 << 10

func (c *compactor) s(s string) string {
	if s == "" {
		return ""
	}
	if t, ok := c.seen[s]; ok {
		return t
	}
	var t string
	if len(s) > blockSize/8 {
		t = string([]byte(s))
	} else {
		if len(c.block)+len(s) > cap(c.block) {
			c.block = make([]byte, 0, blockSize)
		}
		off := len(c.block)
		c.block = append(c.block, s...)
		// The block's bytes are written once and never changed: a string
		// over them is immutable like any other.
		t = unsafe.String(&c.block[off], len(s))
	}
	c.seen[t] = t
	return t
}
