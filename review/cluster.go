package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/match"
)

// A re-screening run split into pages, for a cluster: one replica plans
// the run (PlanRescreen) and cuts the book into pages of party IDs; every
// replica screens pages (RescreenPage) as they come off a work queue; the
// planner finishes the run (FinishRescreen) once every page is done. A
// page screened twice (redelivered after a replica died) raises no alert
// twice: an alert pending for a party and listed party is not raised
// again, and the store refuses a second pending alert.

// RescreenPlan is what a distributed re-screening run screens: the list
// versions before and after, and whether every party is screened against
// everything (Full) or only the parties that could match an entity added
// or changed between From and To, against those entities. It is plain
// JSON, carried with the run; the changes are found again from the list
// store by each replica that screens a page.
type RescreenPlan struct {
	Full bool           `json:"full"`
	From map[string]int `json:"from,omitempty"`
	To   map[string]int `json:"to"`

	once    sync.Once
	err     error
	changed []interdict.Entity
	removed []interdict.EntityChange
	added   int
	nchange int
	pre     *match.Index
	ents    *entityCache
}

// PlanRescreen plans a re-screening run against the versions of the
// current index: a delta run from the versions the book was last screened
// on, or a full run with full or when the book was never screened.
func (s *Service) PlanRescreen(ctx context.Context, full bool) (*RescreenPlan, error) {
	ix, err := s.index()
	if err != nil {
		return nil, err
	}
	p := &RescreenPlan{Full: full, To: map[string]int{}}
	for _, v := range ix.Versions {
		p.To[v.List] = v.Version
	}
	var st bookState
	switch b, err := s.cfg.Store.FindCheckpoint(ctx, CheckpointBook); {
	case err == nil:
		if err := json.Unmarshal(b, &st); err != nil {
			return nil, fmt.Errorf("read checkpoint %s: %w", CheckpointBook, err)
		}
		p.From = st.Versions
	case interdict.ErrorCode(err) == interdict.ENOTFOUND:
		p.Full = true // never screened: everything
	default:
		return nil, err
	}
	return p, nil
}

// Unchanged reports whether a delta plan has nothing to screen: the lists
// are the versions the book was last screened on.
func (p *RescreenPlan) Unchanged() bool {
	return !p.Full && maps.Equal(p.From, p.To)
}

// changes reads, once per plan and replica, the entities added, changed
// and removed between From and To.
func (s *Service) changes(ctx context.Context, p *RescreenPlan) error {
	p.once.Do(func() {
		p.ents = newEntityCache(s.cfg.Lists)
		if p.From == nil {
			return
		}
		lists := slices.Sorted(maps.Keys(p.To))
		for l := range p.From {
			if _, ok := p.To[l]; !ok {
				lists = append(lists, l)
			}
		}
		for _, l := range lists {
			from, to := p.From[l], p.To[l]
			if from == to {
				continue
			}
			var old, now []interdict.Entity
			var err error
			if from > 0 {
				if old, err = s.cfg.Lists.FindEntities(ctx, l, from); err != nil {
					p.err = fmt.Errorf("read %s version %d: %w", l, from, err)
					return
				}
			}
			if to > 0 {
				if now, err = s.cfg.Lists.FindEntities(ctx, l, to); err != nil {
					p.err = fmt.Errorf("read %s version %d: %w", l, to, err)
					return
				}
			}
			d := interdict.DiffEntities(l, from, to, old, now)
			p.added, p.nchange = p.added+d.Added, p.nchange+d.Changed
			for _, c := range d.Changes {
				switch c.Type {
				case interdict.ChangeAdded, interdict.ChangeChanged:
					p.changed = append(p.changed, *c.New)
				case interdict.ChangeRemoved:
					p.removed = append(p.removed, c)
				}
			}
		}
		p.ents.add(p.changed)
		if !p.Full && len(p.changed) > 0 {
			p.pre = match.NewIndex(p.changed)
		}
	})
	if p.err != nil {
		// Let a later call try again (the store may have been away).
		err := p.err
		p.once, p.err = sync.Once{}, nil
		return err
	}
	return nil
}

// PageReport is what screening one page of the book did.
type PageReport struct {
	// Parties counts the parties of the page, Screened those that could
	// match a changed entity and were screened.
	Parties    int `json:"parties"`
	Screened   int `json:"screened"`
	Alerts     int `json:"alerts"`
	Suppressed int `json:"suppressed"`
	Pending    int `json:"pending"`
	// Digest is the SHA-256 of the "party-id result-hash" lines of the
	// parties screened.
	Digest string        `json:"digest"`
	Took   time.Duration `json:"took_ns"`
}

// ErrIndexBehind is returned by RescreenPage when this replica's index is
// not yet on the plan's versions: the page should be tried again once it
// has reloaded.
var ErrIndexBehind = interdict.Errorf(interdict.EUNAVAILABLE, "The screening index is not on the versions of the re-screening run yet.")

// RescreenPage screens the parties of the book whose IDs sort after after
// and up to through ("" for no bound), as Rescreen does with a page: in a
// delta plan only those that could match a changed entity, against those
// entities. The index must be on the plan's versions: otherwise it
// reloads once and returns ErrIndexBehind if still behind.
func (s *Service) RescreenPage(ctx context.Context, p *RescreenPlan, actor, after, through string) (*PageReport, error) {
	start := time.Now()
	if actor == "" {
		actor = interdict.ActorSystem
	}
	ix, err := s.index()
	if err != nil {
		return nil, err
	}
	if !onVersions(ix.Versions, p.To) {
		if _, err := s.cfg.Screen.Reload(ctx); err != nil {
			return nil, err
		}
		if ix, err = s.index(); err != nil {
			return nil, err
		}
		if !onVersions(ix.Versions, p.To) {
			return nil, ErrIndexBehind
		}
	}
	if err := s.changes(ctx, p); err != nil {
		return nil, err
	}
	rep := &PageReport{}
	if !p.Full && p.pre == nil {
		rep.Took = time.Since(start)
		return rep, nil // nothing added or changed: nothing to screen
	}
	var keep func(*interdict.Entity) bool
	if !p.Full {
		ids := make(map[string]bool, len(p.changed))
		for i := range p.changed {
			ids[p.changed[i].ID] = true
		}
		keep = func(e *interdict.Entity) bool { return ids[e.ID] }
	}
	policy := s.cfg.Screen.Policy()
	preOpt := match.Options{Weights: policy.Weights, Limit: 1, MinScore: max(0.05, min(policy.MinScore, ix.Threshold-prefilterMargin))}
	candidate := func(party *interdict.Party) bool {
		if p.Full {
			return true
		}
		for _, q := range party.Queries() {
			cq, _, err := s.cfg.Screen.Check(q, false)
			if err != nil {
				continue
			}
			if len(p.pre.Search(cq, preOpt)) > 0 {
				return true
			}
		}
		return false
	}
	var ps []*interdict.Party
	for cursor := after; ; {
		page, _, err := s.cfg.Store.FindParties(ctx, interdict.PartyFilter{AfterID: cursor, Limit: DefaultPageSize})
		if err != nil {
			return nil, err
		}
		stop := len(page) < DefaultPageSize
		for _, party := range page {
			if through != "" && party.ID > through {
				stop = true
				break
			}
			ps = append(ps, party)
		}
		if stop || len(page) == 0 {
			break
		}
		cursor = page[len(page)-1].ID
	}
	scs := make([]*Screening, len(ps))
	err = s.parallel(ctx, len(ps), func(i int) error {
		if !candidate(ps[i]) {
			return nil
		}
		sc, err := s.screenParty(ctx, actor, ix, ps[i], keep, p.ents)
		if err != nil {
			return err
		}
		scs[i] = sc
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("re-screen the book after party %q: %w", after, err)
	}
	h := sha256.New()
	for i, sc := range scs {
		rep.Parties++
		if sc == nil {
			continue
		}
		rep.Screened++
		rep.Alerts += len(sc.Alerts)
		rep.Suppressed += sc.Suppressed
		rep.Pending += sc.Pending
		fmt.Fprintf(h, "%s %s\n", ps[i].ID, sc.ResultHash)
	}
	rep.Digest = hex.EncodeToString(h.Sum(nil))
	rep.Took = time.Since(start)
	return rep, nil
}

// onVersions reports whether the index's versions are exactly want.
func onVersions(vs []*interdict.ListVersion, want map[string]int) bool {
	if len(vs) != len(want) {
		return false
	}
	for _, v := range vs {
		if want[v.List] != v.Version {
			return false
		}
	}
	return true
}

// FinishRescreen ends a distributed run whose pages are all done: it
// annotates the open alerts on entities no longer listed, records the
// versions the book is now screened on, and writes rep (the pages'
// totals) to the audit trail as Rescreen does.
func (s *Service) FinishRescreen(ctx context.Context, p *RescreenPlan, actor string, rep *RescreenReport) error {
	if actor == "" {
		actor = interdict.ActorSystem
	}
	if err := s.changes(ctx, p); err != nil {
		return err
	}
	n, err := s.annotateDelisted(ctx, actor, p.removed, p.To)
	if err != nil {
		return err
	}
	rep.Annotated = n
	rep.Full, rep.From, rep.To = p.Full, p.From, p.To
	rep.Added, rep.Changed = p.added, p.nchange
	rep.Removed = len(p.removed)
	b, err := json.Marshal(bookState{Versions: p.To})
	if err != nil {
		return err
	}
	if err := s.cfg.Store.SetCheckpoint(ctx, CheckpointBook, b); err != nil {
		return err
	}
	return s.audit(ctx, actor, "book.rescreen", "book", rep)
}
