package source

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/interdict/interdict"
)

// The checks below run before a version replaces the current one, and
// Force skips them all. Each refusal names what it found and leaves the
// current version, with its checksum, in place.

// contentShare is the least share of a new version's records that must be
// another list's, by the publisher's own record ids, for the files to count
// as that list's data under the wrong name.
const contentShare = 0.5

// guard returns why a new version of g.list should not replace prev, or ""
// when it may: a file set missing a member prev was read from, a shrink of
// names, identifiers or addresses below MinShare, or files whose records are
// another list's of the same publisher.
func (im *Importer) guard(ctx context.Context, g *group, res *Result, prev *interdict.ListVersion, current []*interdict.ListVersion, entities []interdict.Entity) (string, error) {
	if prev != nil && prev.Format == g.format.Name && g.format.Member != nil {
		if missing := missingMembers(g.format, prev.Sources, g.files); len(missing) > 0 {
			return fmt.Sprintf("the file set lacks the %s file(s) %s that current version %d of %s was read from; without them the names, addresses or remarks they hold would be dropped: import the whole set, or use --force",
				strings.Join(missingRoles(g.format, missing), ", "), strings.Join(missing, ", "), prev.Version, g.list), nil
		}
	}
	var prevEntities []interdict.Entity
	if prev != nil {
		var err error
		prevEntities, err = im.Store.FindEntities(ctx, g.list, prev.Version)
		if err != nil {
			return "", fmt.Errorf("load version %d of %s: %w", prev.Version, g.list, err)
		}
		was, now := countParts(prevEntities), countParts(entities)
		for i, what := range partNames {
			if was[i] > 0 && float64(now[i]) < MinShare*float64(was[i]) {
				return fmt.Sprintf("new version holds %d %s, fewer than %.0f%% of the %d in current version %d; use --force to accept it",
					now[i], what, MinShare*100, was[i], prev.Version), nil
			}
		}
	}
	if res.Delta {
		return "", nil
	}
	return im.otherList(ctx, g, res, prevEntities, current, entities)
}

// partNames names the parts of a list countParts counts.
var partNames = []string{"names", "identifiers", "addresses"}

func countParts(es []interdict.Entity) [3]int {
	var n [3]int
	for i := range es {
		n[0] += len(es[i].Names)
		n[1] += len(es[i].Identifiers)
		n[2] += len(es[i].Addresses)
	}
	return n
}

// otherList refuses files whose records are, by the publisher's own ids,
// mostly those of another list the same publisher publishes (OFAC SDN data
// in a file named cons_prim.csv): the name chose the list, the content says
// otherwise. It looks only when the new records are not mostly the current
// version's own.
func (im *Importer) otherList(ctx context.Context, g *group, res *Result, prevEntities []interdict.Entity, current []*interdict.ListVersion, entities []interdict.Entity) (string, error) {
	if len(entities) == 0 {
		return "", nil
	}
	own := share(entities, prevEntities)
	if len(prevEntities) > 0 && own >= contentShare {
		return "", nil
	}
	publisher := res.Publisher
	if info, ok := interdict.LookupList(g.list); ok && publisher == "" {
		publisher = info.Publisher
	}
	for _, v := range current {
		if v.List == g.list || publisher == "" || v.Publisher != publisher {
			continue
		}
		theirs, err := im.Store.FindEntities(ctx, v.List, v.Version)
		if err != nil {
			return "", fmt.Errorf("load version %d of %s: %w", v.Version, v.List, err)
		}
		if s := share(entities, theirs); s >= contentShare && s > own {
			return fmt.Sprintf("the files %s are named as list %s but hold list %s: %.0f%% of their %d records are records of %s (current version %d); rename the files, or use --force",
				fileNames(g.files), g.list, v.List, 100*s, len(entities), v.List, v.Version), nil
		}
	}
	return "", nil
}

// share returns the fraction of es whose SourceID is also one of of's.
func share(es, of []interdict.Entity) float64 {
	if len(es) == 0 || len(of) == 0 {
		return 0
	}
	ids := make(map[string]bool, len(of))
	for i := range of {
		ids[of[i].SourceID] = true
	}
	n := 0
	for i := range es {
		if ids[es[i].SourceID] {
			n++
		}
	}
	return float64(n) / float64(len(es))
}

// missingMembers returns the base names of the files prev was read from
// whose part of the set (by ft.Member) no file of files plays.
func missingMembers(ft Format, prev []interdict.SourceFile, files []File) []string {
	have := map[string]bool{}
	for _, f := range files {
		have[ft.Member(memberName(f.Name))] = true
	}
	var missing []string
	for _, sf := range prev {
		name := memberName(sf.Name)
		if role := ft.Member(name); role != "" && !have[role] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return missing
}

func missingRoles(ft Format, names []string) []string {
	var roles []string
	for _, n := range names {
		roles = AppendUnique(roles, ft.Member(n))
	}
	return roles
}

// memberName returns the lower-case base name of a source file as stored
// in a version ("/lists/alt.csv.gz", "https://host/alt.csv",
// "set.zip!alt.csv"), without a compression suffix.
func memberName(name string) string {
	if i := strings.LastIndexByte(name, '!'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.IndexAny(name, "?#"); i >= 0 && strings.Contains(name, "://") {
		name = name[:i]
	}
	name = strings.ToLower(path.Base(name))
	return strings.TrimSuffix(name, ".gz")
}
