package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/match"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
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
	fs.StringVar(&pf.File, "policy", "", "screening policy file (JSON: threshold, min_score, limit, lists, kinds, weights)")
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
			if _, ok := interdict.LookupList(l); !ok {
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

// screener builds a screener over the current version of every list in
// the store, recording those versions in each result.
func (a *App) screener(ctx context.Context, p screen.Policy) (*screen.Screener, *match.Index, error) {
	st, err := a.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	vs, err := st.lists.FindCurrentVersions(ctx)
	if err != nil {
		return nil, nil, err
	}
	if len(vs) == 0 {
		return nil, nil, interdict.Errorf(interdict.EUNAVAILABLE, "No lists are loaded. Run 'interdict lists import PATH' or 'interdict lists update'.")
	}
	var all []interdict.Entity
	lists := map[string]string{}
	for _, v := range vs {
		es, err := st.lists.FindEntities(ctx, v.List, v.Version)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s version %d: %w", v.List, v.Version, err)
		}
		all = append(all, es...)
		lists[v.List] = strconv.Itoa(v.Version)
	}
	ix := match.NewIndex(all)
	s, err := screen.NewScreener(ix, p, lists)
	if err != nil {
		return nil, nil, err
	}
	return s, ix, nil
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
