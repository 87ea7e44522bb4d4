package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/custom"
	"github.com/spf13/pflag"
)

// policyFlags are the flags that shape the screening policy.
type policyFlags struct {
	File      string
	Threshold float64
	Lists     []string
	Kinds     []string
}

func (pf *policyFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&pf.File, "policy", "", "screening policy file (JSON: threshold, min_score, limit, lists, kinds, weights, per_list)")
	fs.Float64Var(&pf.Threshold, "threshold", 0, "alert threshold in (0, 1] (default: the policy's)")
	fs.StringSliceVar(&pf.Lists, "lists", nil, "screen only these lists (e.g. ofac-sdn,un)")
	fs.StringSliceVar(&pf.Kinds, "kinds", nil, "screen only entities of these kinds")
}

// policy returns the screening policy: the default, then the config
// file's "policy", then --policy, then the flags. It is validated.
func (a *App) policy(pf policyFlags) (screen.Policy, error) {
	p := screen.DefaultPolicy()
	c, err := a.loadConfig()
	if err != nil {
		return p, err
	}
	if len(c.Policy) > 0 {
		if err := json.Unmarshal(c.Policy, &p); err != nil {
			return p, &ConfigError{Field: "policy", Err: err}
		}
	}
	if pf.File != "" {
		b, err := os.ReadFile(pf.File)
		if err != nil {
			return p, fmt.Errorf("policy: %w", err)
		}
		if err := json.Unmarshal(b, &p); err != nil {
			return p, fmt.Errorf("policy %s: %w", pf.File, err)
		}
	}
	if pf.Threshold != 0 {
		p.Threshold = pf.Threshold
		if p.MinScore > p.Threshold {
			p.MinScore = p.Threshold
		}
	}
	if len(pf.Lists) > 0 {
		for _, l := range pf.Lists {
			if _, ok := interdict.LookupList(l); !ok && custom.ValidName(l) != nil {
				return p, usageError("unknown list %q", l)
			}
		}
		p.Lists = pf.Lists
	}
	for _, k := range pf.Kinds {
		kind, ok := interdict.ParseKind(k)
		if !ok {
			return p, usageError("unknown kind %q (person, organization, vessel, aircraft)", k)
		}
		p.Kinds = append(p.Kinds, kind)
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	return p, nil
}

// service returns the screening service over the current version of
// every list in the store, loaded. Every command screens through it.
func (a *App) service(ctx context.Context, p screen.Policy) (*screen.Service, error) {
	st, err := a.start(ctx)
	if err != nil {
		return nil, err
	}
	// A list of the institution's own named in --lists must be in the
	// store: a misspelt name would screen against nothing.
	for _, l := range p.Lists {
		if _, official := interdict.LookupList(l); official {
			continue
		}
		vs, err := st.lists.FindListVersions(ctx, l)
		if err != nil {
			return nil, err
		}
		if len(vs) == 0 {
			return nil, usageError("unknown list %q: not an official list, and no list of that name was imported", l)
		}
	}
	svc, err := screen.NewService(screen.ServiceConfig{Lists: st.lists, Events: st.events, Policy: p, Logger: a.logger()})
	if err != nil {
		return nil, err
	}
	key, err := a.cachedIndex(ctx, st.lists, svc, p)
	if err != nil {
		return nil, err
	}
	if _, err := svc.Reload(ctx); err != nil {
		return nil, err
	}
	a.keepIndex(svc, p, key)
	return svc, nil
}

// cachedIndex swaps into svc the index of a.Indexes built from the store's
// current list versions with policy p, if there is one, and returns the
// key to keep the index under once loaded. Without a cache it does
// nothing.
func (a *App) cachedIndex(ctx context.Context, lists interdict.ListStore, svc *screen.Service, p screen.Policy) (string, error) {
	if a.Indexes == nil {
		return "", nil
	}
	vs, err := lists.FindCurrentVersions(ctx)
	if err != nil {
		return "", fmt.Errorf("find current list versions: %w", err)
	}
	key := indexKey(vs, p)
	if ix := a.Indexes.get(key); ix != nil {
		svc.Swap(ix)
	}
	return key, nil
}

// keepIndex keeps svc's current index in a.Indexes under key when it is
// the index of those list versions.
func (a *App) keepIndex(svc *screen.Service, p screen.Policy, key string) {
	if a.Indexes == nil {
		return
	}
	if ix := svc.Current(); ix != nil && indexKey(ix.Versions, p) == key {
		a.Indexes.put(key, ix)
	}
}

// IndexCache keeps the indexes that earlier commands of one process built,
// by list versions and policy, so that a program running many commands in
// one process (an embedding program, the tests) builds each index once.
// The command line runs one command per process and has none. An index
// is read-only once built, so commands may share it.
type IndexCache struct {
	// Max is how many indexes are kept, the most recently used; 0 keeps 2.
	Max int

	mu      sync.Mutex
	entries []cachedIndex // least recently used first
}

type cachedIndex struct {
	key string
	ix  *screen.Index
}

func (c *IndexCache) get(key string) *screen.Index {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == key {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			return e.ix
		}
	}
	return nil
}

func (c *IndexCache) put(key string, ix *screen.Index) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == key {
			c.entries = append(c.entries[:i], c.entries[i+1:]...)
			break
		}
	}
	c.entries = append(c.entries, cachedIndex{key, ix})
	limit := c.Max
	if limit <= 0 {
		limit = 2
	}
	if n := len(c.entries) - limit; n > 0 {
		c.entries = append(c.entries[:0:0], c.entries[n:]...)
	}
}

// indexKey names an index by the list versions it was built from (with
// their checksums) and the policy it screens with.
func indexKey(vs []*interdict.ListVersion, p screen.Policy) string {
	var b strings.Builder
	b.WriteString(p.Hash())
	for _, v := range vs {
		fmt.Fprintf(&b, "|%s:%d:%s", v.List, v.Version, v.Checksum)
	}
	return b.String()
}

// bundledService returns a screening service over the bundled snapshot of
// the public lists (the fixed data of the evaluation and the benchmarks),
// with the index it loaded.
func (a *App) bundledService(p screen.Policy) (*screen.Service, *screen.Index, error) {
	ents, err := bundledEntities()
	if err != nil {
		return nil, nil, err
	}
	svc, err := screen.NewService(screen.ServiceConfig{Policy: p})
	if err != nil {
		return nil, nil, err
	}
	ix, err := svc.Load(ents, nil)
	if err != nil {
		return nil, nil, err
	}
	return svc, ix, nil
}

// bundledEntities parses the embedded snapshot of the public lists: the
// fixed data the evaluation sets and benchmarks are measured against.
func bundledEntities() ([]interdict.Entity, error) {
	files, _, err := snapshot.Files()
	if err != nil {
		return nil, err
	}
	results, err := source.ParseAll(formats(), files)
	if err != nil {
		return nil, fmt.Errorf("parse bundled snapshot: %w", err)
	}
	var all []interdict.Entity
	for _, r := range results {
		all = append(all, r.Entities...)
	}
	return all, nil
}
