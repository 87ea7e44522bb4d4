package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

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
	if _, err := svc.Reload(ctx); err != nil {
		return nil, err
	}
	return svc, nil
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
