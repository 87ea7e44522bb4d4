// Package review keeps a book of parties under watch and turns what
// screening finds into alerts that people decide: Service screens the
// parties of the book through screen.Service, raises one alert per party
// and listed party at or above the threshold, applies the good-guy list
// (an approved false positive stays quiet until the party's data, the
// entity's record or the score changes), enforces four-eyes decisions,
// re-screens the book after a list changes (only against the entities
// added or changed, resumably), and records everything on the hash-chained
// audit trail, which it verifies and exports. It reads and writes only
// through the root's store contracts (interdict.ReviewStore,
// interdict.ListStore).
package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
)

// RoleApprover is the role a user needs to approve another's decision.
const RoleApprover = "approver"

// Roles tells whether a user holds a role (the user store).
type Roles interface {
	HasRole(ctx context.Context, user, role string) (bool, error)
}

// DefaultScoreMargin is how far a score may move from the one of an
// approved false positive before the alert is raised again.
const DefaultScoreMargin = 0.05

// Config configures a Service.
type Config struct {
	// Store keeps the book, alerts, decisions and the audit trail.
	Store interdict.ReviewStore
	// Lists is where entity records and list versions are read (hashes of
	// alerted entities, the entities a new version changed).
	Lists interdict.ListStore
	// Screen screens the parties; its current index is the lists screened
	// against.
	Screen *screen.Service
	// Roles answers whether an approver holds RoleApprover.
	Roles Roles
	// ScoreMargin is how far a score may move from an approved false
	// positive's and stay suppressed; 0 means DefaultScoreMargin.
	ScoreMargin float64
	// Workers screen parties in parallel; 0 means GOMAXPROCS.
	Workers int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Service is the review workflow over a ReviewStore. It is safe for
// concurrent use.
type Service struct {
	cfg Config

	// groupKey names the listed party a hit is for: hits of one party that
	// share it become one alert.
	groupKey func(h *interdict.Hit) string
}

// NewService returns a service. Store, Lists, Screen and Roles are
// required.
func NewService(cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("review: no review store")
	case cfg.Lists == nil:
		return nil, errors.New("review: no list store")
	case cfg.Screen == nil:
		return nil, errors.New("review: no screening service")
	case cfg.Roles == nil:
		return nil, errors.New("review: no user roles")
	}
	if cfg.ScoreMargin <= 0 {
		cfg.ScoreMargin = DefaultScoreMargin
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, groupKey: entityGroup}, nil
}

// entityGroup groups hits by listed party: the records of one party on
// several lists (Hit.Party, set by the screening service from the links
// between lists) make one alert, on the best-scoring record. A hit with no
// party (a screener that does not group) stands for its entity alone.
func entityGroup(h *interdict.Hit) string {
	if h.Party != "" {
		return h.Party
	}
	return h.EntityID
}

// Store returns the review store.
func (s *Service) Store() interdict.ReviewStore { return s.cfg.Store }

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// audit appends one record to the audit trail.
func (s *Service) audit(ctx context.Context, actor, action, object string, payload any) error {
	var raw json.RawMessage
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("audit %s %s: %w", action, object, err)
		}
		raw = b
	}
	if err := s.cfg.Store.AppendAudit(ctx, &interdict.AuditRecord{Actor: actor, Action: action, Object: object, Payload: raw}); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, object, err)
	}
	return nil
}

// Audit records an event of another part of interdict (a list import, a
// policy or configuration change) on the audit trail.
func (s *Service) Audit(ctx context.Context, actor, action, object string, payload any) error {
	if actor == "" {
		return interdict.Errorf(interdict.EINVALID, "An audited action needs an actor.")
	}
	return s.audit(ctx, actor, action, object, payload)
}

// index returns the current screening index.
func (s *Service) index() (*screen.Index, error) {
	ix := s.cfg.Screen.Current()
	if ix == nil {
		return nil, interdict.Errorf(interdict.EUNAVAILABLE, "The lists are still being loaded; try again in a few seconds.")
	}
	return ix, nil
}

// PartyResult is what putting a party in the book did.
type PartyResult struct {
	Party *interdict.Party `json:"party"`
	// Changed is false when the book had the party with the same data; an
	// unchanged party is not screened again.
	Changed bool `json:"changed"`
	// Screening is the party's screening, when it was screened.
	Screening *Screening `json:"screening,omitempty"`
}

// PutParty stores a party in the book as actor and, when its data is new
// or changed, screens it: hits at or above the threshold become alerts.
func (s *Service) PutParty(ctx context.Context, actor string, p *interdict.Party) (*PartyResult, error) {
	if actor == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "Putting a party needs an actor.")
	}
	ix, err := s.index()
	if err != nil {
		return nil, err
	}
	changed, err := s.cfg.Store.PutParty(ctx, p)
	if err != nil {
		return nil, err
	}
	res := &PartyResult{Party: p, Changed: changed}
	if !changed {
		return res, nil
	}
	if err := s.audit(ctx, actor, "party.put", "party:"+p.ID, p); err != nil {
		return nil, err
	}
	sc, err := s.screenParty(ctx, actor, ix, p, nil, newEntityCache(s.cfg.Lists))
	if err != nil {
		return nil, err
	}
	res.Screening = sc
	if err := s.audit(ctx, actor, "party.screen", "party:"+p.ID, sc.record()); err != nil {
		return nil, err
	}
	return res, nil
}

// DeleteParty takes a party off the book as actor; its alerts stay.
func (s *Service) DeleteParty(ctx context.Context, actor, id string) error {
	if actor == "" {
		return interdict.Errorf(interdict.EINVALID, "Removing a party needs an actor.")
	}
	if err := s.cfg.Store.DeleteParty(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, actor, "party.delete", "party:"+id, nil)
}

// Screening is the outcome of screening one party of the book.
type Screening struct {
	PartyID   string `json:"party_id"`
	PartyHash string `json:"party_hash"`
	// ResultHash is the hex SHA-256 of the JSON of the screening results
	// (one per name of the party).
	ResultHash string            `json:"result_hash"`
	Policy     string            `json:"policy"`
	Lists      map[string]string `json:"lists,omitempty"`
	// Hits counts the hits at or above the threshold; Alerts are the
	// alerts raised; Suppressed counts the listed parties kept quiet by
	// the good-guy list; Pending counts those with an alert already
	// pending.
	Hits       int                `json:"hits"`
	Alerts     []*interdict.Alert `json:"alerts,omitempty"`
	Suppressed int                `json:"suppressed"`
	Pending    int                `json:"pending"`
}

// record is the screening as the audit trail keeps it.
func (sc *Screening) record() any {
	ids := make([]string, len(sc.Alerts))
	for i, a := range sc.Alerts {
		ids[i] = a.ID
	}
	return struct {
		PartyHash  string            `json:"party_hash"`
		ResultHash string            `json:"result_hash"`
		Policy     string            `json:"policy"`
		Lists      map[string]string `json:"lists,omitempty"`
		Hits       int               `json:"hits"`
		Alerts     []string          `json:"alerts,omitempty"`
		Suppressed int               `json:"suppressed,omitempty"`
	}{sc.PartyHash, sc.ResultHash, sc.Policy, sc.Lists, sc.Hits, ids, sc.Suppressed}
}

// group is the hits of one party on one listed party.
type group struct {
	key  string
	best interdict.Hit
	hits []interdict.Hit
}

// screenParty screens every name of p on ix (only the entities keep
// selects, when not nil) and raises the alerts.
func (s *Service) screenParty(ctx context.Context, actor string, ix *screen.Index, p *interdict.Party, keep func(*interdict.Entity) bool, ents *entityCache) (*Screening, error) {
	var results []*interdict.ScreenResult
	groups := map[string]*group{}
	sc := &Screening{PartyID: p.ID, PartyHash: p.Hash}
	for _, q := range p.Queries() {
		r, err := s.cfg.Screen.ScreenWith(ctx, q, screen.ScreenOptions{Index: ix, Filter: keep})
		if interdict.ErrorCode(err) == interdict.EINVALID {
			// An alias or identifier that cannot be screened (a name of one
			// letter) is in the result hash as its error; the other names
			// are screened.
			results = append(results, &interdict.ScreenResult{Query: q, Warnings: interdict.Warnings{{Field: "name", Value: q.Name, Message: interdict.ErrorMessage(err)}}})
			continue
		} else if err != nil {
			return nil, fmt.Errorf("screen party %s: %w", p.ID, err)
		}
		results = append(results, r)
		sc.Policy, sc.Lists = r.Policy, r.Lists
		for _, h := range r.Hits {
			if !h.Alert {
				// Under the threshold of its list, or on a list whose
				// hits the policy does not alert on (Policy.PerList).
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
	}
	b, err := json.Marshal(results)
	if err != nil {
		return nil, fmt.Errorf("encode the screening of party %s: %w", p.ID, err)
	}
	sum := sha256.Sum256(b)
	sc.ResultHash = hex.EncodeToString(sum[:])
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sc.Hits++
		a, outcome, err := s.raise(ctx, actor, ix, p, groups[k], sc.Policy, ents)
		if err != nil {
			return nil, err
		}
		switch outcome {
		case raised:
			sc.Alerts = append(sc.Alerts, a)
		case suppressed:
			sc.Suppressed++
		case pending:
			sc.Pending++
		}
	}
	return sc, nil
}

type outcome int

const (
	raised outcome = iota
	suppressed
	pending
	escalated
)

// raise turns a group of hits into an alert unless the party and listed
// party have an alert pending, an escalated alert on the same data, or a
// good-guy entry on the same data and score.
func (s *Service) raise(ctx context.Context, actor string, ix *screen.Index, p *interdict.Party, g *group, policy string, ents *entityCache) (*interdict.Alert, outcome, error) {
	best := &g.best
	e, err := ents.find(ctx, best.EntityID)
	if err != nil {
		return nil, 0, err
	}
	entityHash := e.Hash()
	prev, _, err := s.cfg.Store.FindAlerts(ctx, interdict.AlertFilter{PartyID: p.ID, EntityID: best.EntityID, Limit: 1})
	if err != nil {
		return nil, 0, fmt.Errorf("find alerts of party %s on %s: %w", p.ID, best.EntityID, err)
	}
	if len(prev) > 0 {
		last := prev[0]
		if !last.State.Closed() {
			return last, pending, nil
		}
		if last.State == interdict.AlertTrueMatch && last.PartyHash == p.Hash && last.EntityHash == entityHash {
			return last, escalated, nil
		}
	}
	var changes []string
	gg, err := s.cfg.Store.FindGoodGuy(ctx, p.ID, best.EntityID)
	switch {
	case err == nil:
		if gg.PartyHash != p.Hash {
			changes = append(changes, fmt.Sprintf("party data changed (now version %d)", p.Version))
		}
		if gg.EntityHash != entityHash {
			changes = append(changes, "entity record changed")
		}
		if math.Abs(best.Score-gg.Score) > s.cfg.ScoreMargin {
			changes = append(changes, fmt.Sprintf("score changed from %.3f to %.3f", gg.Score, best.Score))
		}
		if len(changes) == 0 {
			return nil, suppressed, nil
		}
	case interdict.ErrorCode(err) != interdict.ENOTFOUND:
		return nil, 0, fmt.Errorf("find good-guy entry of party %s on %s: %w", p.ID, best.EntityID, err)
	}
	expl, err := json.Marshal(best.Explanation)
	if err != nil {
		return nil, 0, fmt.Errorf("encode explanation: %w", err)
	}
	a := &interdict.Alert{PartyID: p.ID, PartyHash: p.Hash, PartyName: p.Name, EntityID: best.EntityID, EntityHash: entityHash,
		EntityName: best.Name, Policy: policy, Score: best.Score, Explanation: expl, State: interdict.AlertOpen, Changes: changes}
	seen := map[string]bool{}
	for _, h := range g.hits {
		if seen[h.EntityID] {
			continue
		}
		seen[h.EntityID] = true
		a.Listings = append(a.Listings, interdict.AlertListing{EntityID: h.EntityID, List: h.List, Version: ix.Version(h.List), Score: h.Score})
	}
	// The alert and its audit record are stored in one transaction: a
	// crash between the two can leave neither half alone.
	payload, err := json.Marshal(struct {
		PartyID    string   `json:"party_id"`
		PartyHash  string   `json:"party_hash"`
		EntityID   string   `json:"entity_id"`
		EntityHash string   `json:"entity_hash"`
		Score      float64  `json:"score"`
		Policy     string   `json:"policy"`
		Changes    []string `json:"changes,omitempty"`
	}{a.PartyID, a.PartyHash, a.EntityID, a.EntityHash, a.Score, a.Policy, a.Changes})
	if err != nil {
		return nil, 0, fmt.Errorf("audit alert.create of party %s: %w", a.PartyID, err)
	}
	a.Audit = &interdict.AuditRecord{Actor: actor, Action: "alert.create", Payload: payload}
	if err := s.cfg.Store.CreateAlert(ctx, a); interdict.ErrorCode(err) == interdict.ECONFLICT {
		// Raised meanwhile by another screening of the same party.
		return nil, pending, nil
	} else if err != nil {
		return nil, 0, fmt.Errorf("alert.create: %w", err)
	}
	a.Audit = nil
	return a, raised, nil
}

// entityCache reads entity records once per run.
type entityCache struct {
	lists interdict.ListStore
	mu    sync.Mutex
	m     map[string]*interdict.Entity
}

func newEntityCache(lists interdict.ListStore) *entityCache {
	return &entityCache{lists: lists, m: map[string]*interdict.Entity{}}
}

func (c *entityCache) add(es []interdict.Entity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range es {
		c.m[es[i].ID] = &es[i]
	}
}

func (c *entityCache) find(ctx context.Context, id string) (*interdict.Entity, error) {
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if ok {
		return e, nil
	}
	e, _, err := c.lists.FindEntityByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("read entity %s: %w", id, err)
	}
	c.mu.Lock()
	c.m[id] = e
	c.mu.Unlock()
	return e, nil
}

// FindAlert returns an alert with its decisions.
func (s *Service) FindAlert(ctx context.Context, id string) (*interdict.Alert, []*interdict.Decision, error) {
	a, err := s.cfg.Store.FindAlert(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ds, err := s.cfg.Store.FindDecisions(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return a, ds, nil
}

func trim(s string) string { return strings.TrimSpace(s) }
