package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/match"
)

// Checkpoint names in the review store.
const (
	// CheckpointBook holds the list versions the whole book was last
	// screened against.
	CheckpointBook = "rescreen.book"
	// CheckpointRun holds the progress of a re-screening run not yet
	// finished.
	CheckpointRun = "rescreen.run"
)

// DefaultPageSize is how many parties a re-screening run reads, screens
// and checkpoints at a time.
const DefaultPageSize = 1000

// RescreenOptions tune Rescreen.
type RescreenOptions struct {
	// Full screens every party against every entity, not only against the
	// entities changed since the last run.
	Full bool
	// Actor is recorded on the audit trail; "" means interdict.ActorSystem.
	Actor string
	// PageSize is how many parties are done between checkpoints; 0 means
	// DefaultPageSize.
	PageSize int
	// Progress, when set, is called after each page with the parties done
	// and the parties in the book.
	Progress func(done, total int)
}

// RescreenReport is what a re-screening run did.
type RescreenReport struct {
	// Full is true for a run against every entity (the first run, or
	// --full); Resumed when the run went on from a checkpoint.
	Full    bool `json:"full"`
	Resumed bool `json:"resumed,omitempty"`
	// From and To are the list versions before and after.
	From map[string]int `json:"from,omitempty"`
	To   map[string]int `json:"to"`
	// Added, Changed and Removed count the entities that differ between
	// From and To.
	Added   int `json:"added"`
	Changed int `json:"changed"`
	Removed int `json:"removed"`
	// Parties counts the parties of the book, Done those gone through,
	// Screened those that could match a changed entity and were screened.
	Parties  int `json:"parties"`
	Done     int `json:"done"`
	Screened int `json:"screened"`
	// Alerts, Suppressed and Pending are as in ImportReport; Annotated
	// counts the open alerts marked delisted.
	Alerts     int `json:"alerts"`
	Suppressed int `json:"suppressed"`
	Pending    int `json:"pending"`
	Annotated  int `json:"annotated"`
	// Digest chains the SHA-256 of "party-id result-hash" lines of the
	// parties screened, page by page.
	Digest string `json:"digest"`
	// DiffTook is the time spent reading the versions and finding what
	// changed; Took the whole run's.
	DiffTook time.Duration `json:"diff_ns"`
	Took     time.Duration `json:"took_ns"`
}

// rescreenRun is the checkpoint of a run.
type rescreenRun struct {
	Full   bool           `json:"full"`
	From   map[string]int `json:"from"`
	To     map[string]int `json:"to"`
	After  string         `json:"after"`
	Report RescreenReport `json:"report"`
}

type bookState struct {
	Versions map[string]int `json:"versions"`
}

// prefilterMargin is how far below the threshold a party may score
// against the changed entities alone and still be screened against the
// whole index (token weights differ between the two indexes).
const prefilterMargin = 0.3

// Rescreen screens the book again after the lists changed. Against the list
// versions the book was last screened on, it screens only the parties
// that could match an entity added or changed since (found through an
// index of those entities), and only against those entities, on the
// current index; each hit at or above the threshold is raised as
// ScreenParty would. The open alerts on entities no longer listed are
// annotated. The first run, and a run with Full, screens every party
// against everything. A run checkpoints after each page of parties: a run
// cut off (a cancelled context, a crash) goes on where it stopped when
// Rescreen is called again with the lists unchanged, and raises exactly
// the alerts an uninterrupted run would.
func (s *Service) Rescreen(ctx context.Context, opt RescreenOptions) (*RescreenReport, error) {
	start := time.Now()
	actor := opt.Actor
	if actor == "" {
		actor = interdict.ActorSystem
	}
	if opt.PageSize <= 0 {
		opt.PageSize = DefaultPageSize
	}
	ix, err := s.index()
	if err != nil {
		return nil, err
	}
	to := map[string]int{}
	for _, v := range ix.Versions {
		to[v.List] = v.Version
	}
	store := s.cfg.Store

	var run *rescreenRun
	var prev rescreenRun
	switch b, err := store.FindCheckpoint(ctx, CheckpointRun); {
	case err == nil:
		if err := json.Unmarshal(b, &prev); err != nil {
			return nil, fmt.Errorf("read checkpoint %s: %w", CheckpointRun, err)
		}
		if maps.Equal(prev.To, to) && (prev.Full || !opt.Full) {
			run = &prev
			run.Report.Resumed = true
		}
	case interdict.ErrorCode(err) != interdict.ENOTFOUND:
		return nil, err
	}
	if run == nil {
		run = &rescreenRun{Full: opt.Full, To: to}
		if prev.To != nil {
			// A run cut off before the lists changed again: start over
			// from where that run started.
			run.From, run.Full = prev.From, prev.Full || opt.Full
		} else {
			var st bookState
			switch b, err := store.FindCheckpoint(ctx, CheckpointBook); {
			case err == nil:
				if err := json.Unmarshal(b, &st); err != nil {
					return nil, fmt.Errorf("read checkpoint %s: %w", CheckpointBook, err)
				}
				run.From = st.Versions
			case interdict.ErrorCode(err) == interdict.ENOTFOUND:
				run.Full = true // never screened: everything
			default:
				return nil, err
			}
		}
		run.Report = RescreenReport{Full: run.Full, From: run.From, To: to}
	}
	rep := &run.Report

	// What changed between the versions.
	ents := newEntityCache(s.cfg.Lists)
	var changed []interdict.Entity
	var removed []interdict.EntityChange
	if !run.Full || run.From != nil {
		lists := slices.Sorted(maps.Keys(to))
		for l := range run.From {
			if _, ok := to[l]; !ok {
				lists = append(lists, l)
			}
		}
		rep.Added, rep.Changed, rep.Removed = 0, 0, 0
		// Read the two versions of every changed list, on the workers.
		type pair struct {
			list      string
			from, cur int
			old, now  []interdict.Entity
		}
		var pairs []*pair
		for _, l := range lists {
			if run.From[l] != to[l] {
				pairs = append(pairs, &pair{list: l, from: run.From[l], cur: to[l]})
			}
		}
		err := s.parallel(ctx, 2*len(pairs), func(i int) error {
			p := pairs[i/2]
			ver, dst := p.from, &p.old
			if i%2 == 1 {
				ver, dst = p.cur, &p.now
			}
			if ver == 0 {
				return nil
			}
			es, err := s.cfg.Lists.FindEntities(ctx, p.list, ver)
			if err != nil {
				return fmt.Errorf("read %s version %d: %w", p.list, ver, err)
			}
			*dst = es
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, p := range pairs {
			d := interdict.DiffEntities(p.list, p.from, p.cur, p.old, p.now)
			rep.Added, rep.Changed, rep.Removed = rep.Added+d.Added, rep.Changed+d.Changed, rep.Removed+d.Removed
			for _, c := range d.Changes {
				switch c.Type {
				case interdict.ChangeAdded, interdict.ChangeChanged:
					changed = append(changed, *c.New)
				case interdict.ChangeRemoved:
					removed = append(removed, c)
				}
			}
		}
		ents.add(changed)
	}
	rep.DiffTook = time.Since(start)

	// The parties that could match a changed entity, screened against
	// the changed entities only.
	var keep func(*interdict.Entity) bool
	var pre *match.Index
	if !run.Full {
		ids := make(map[string]bool, len(changed))
		for i := range changed {
			ids[changed[i].ID] = true
		}
		keep = func(e *interdict.Entity) bool { return ids[e.ID] }
		if len(changed) > 0 {
			pre = match.NewIndex(changed)
		}
	}
	policy := s.cfg.Screen.Policy()
	preOpt := match.Options{Weights: policy.Weights, Limit: 1, MinScore: max(0.05, min(policy.MinScore, ix.Threshold-prefilterMargin))}
	candidate := func(p *interdict.Party) bool {
		if run.Full {
			return true
		}
		if pre == nil {
			return false
		}
		for _, q := range p.Queries() {
			cq, _, err := s.cfg.Screen.Check(q, false)
			if err != nil {
				continue
			}
			if len(pre.Search(cq, preOpt)) > 0 {
				return true
			}
		}
		return false
	}

	_, total, err := store.FindParties(ctx, interdict.PartyFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	rep.Parties = total
	if !rep.Resumed {
		if err := s.saveRun(ctx, run); err != nil {
			return nil, err
		}
	}
	if run.Full || pre != nil {
		for {
			ps, _, err := store.FindParties(ctx, interdict.PartyFilter{AfterID: run.After, Limit: opt.PageSize})
			if err != nil {
				return nil, err
			}
			if len(ps) == 0 {
				break
			}
			scs := make([]*Screening, len(ps))
			err = s.parallel(ctx, len(ps), func(i int) error {
				if !candidate(ps[i]) {
					return nil
				}
				sc, err := s.screenParty(ctx, actor, ix, ps[i], keep, ents)
				if err != nil {
					return err
				}
				scs[i] = sc
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("re-screen the book after party %q: %w", run.After, err)
			}
			h := sha256.New()
			h.Write([]byte(rep.Digest))
			for i, sc := range scs {
				rep.Done++
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
			run.After = ps[len(ps)-1].ID
			if err := s.saveRun(ctx, run); err != nil {
				return nil, err
			}
			if opt.Progress != nil {
				opt.Progress(rep.Done, total)
			}
		}
	}

	// Open alerts on entities no longer listed.
	n, err := s.annotateDelisted(ctx, actor, removed, to)
	if err != nil {
		return nil, err
	}
	rep.Annotated = n
	rep.Took = time.Since(start)
	b, err := json.Marshal(bookState{Versions: to})
	if err != nil {
		return nil, err
	}
	if err := store.SetCheckpoint(ctx, CheckpointBook, b); err != nil {
		return nil, err
	}
	if err := store.DeleteCheckpoint(ctx, CheckpointRun); err != nil {
		return nil, err
	}
	if err := s.audit(ctx, actor, "book.rescreen", "book", rep); err != nil {
		return nil, err
	}
	return rep, nil
}

func (s *Service) saveRun(ctx context.Context, run *rescreenRun) error {
	b, err := json.Marshal(run)
	if err != nil {
		return err
	}
	return s.cfg.Store.SetCheckpoint(ctx, CheckpointRun, b)
}

// annotateDelisted marks the listings of removed entities on alerts that
// are not closed, and notes it on the alert.
func (s *Service) annotateDelisted(ctx context.Context, actor string, removed []interdict.EntityChange, to map[string]int) (int, error) {
	n := 0
	for _, c := range removed {
		as, _, err := s.cfg.Store.FindAlerts(ctx, interdict.AlertFilter{EntityID: c.ID})
		if err != nil {
			return n, err
		}
		for _, a := range as {
			for try := 0; ; try++ {
				if a.State.Closed() {
					break
				}
				upd := *a
				upd.Listings = slices.Clone(a.Listings)
				marked := false
				for i := range upd.Listings {
					if upd.Listings[i].EntityID == c.ID && !upd.Listings[i].Delisted {
						upd.Listings[i].Delisted = true
						marked = true
					}
				}
				if !marked {
					break
				}
				list, _, _ := interdict.SplitEntityID(c.ID)
				ver := "no longer loaded"
				if v := to[list]; v > 0 {
					ver = "version " + strconv.Itoa(v)
				}
				upd.Notes = append(slices.Clone(a.Notes), fmt.Sprintf("Delisted: %s (%s) is not on %s %s.", c.ID, c.Name, list, ver))
				_, err := s.cfg.Store.UpdateAlert(ctx, interdict.AlertUpdate{Alert: &upd})
				if interdict.ErrorCode(err) == interdict.ECONFLICT && try < 3 {
					if a, err = s.cfg.Store.FindAlert(ctx, a.ID); err != nil {
						return n, err
					}
					continue
				} else if err != nil {
					return n, err
				}
				n++
				if err := s.audit(ctx, actor, "alert.delisted", "alert:"+a.ID, map[string]any{"entity_id": c.ID, "list": list, "version": to[list]}); err != nil {
					return n, err
				}
				break
			}
		}
	}
	return n, nil
}
