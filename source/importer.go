package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/interdict/interdict"
	"golang.org/x/sync/errgroup"
)

// MinShare is the least share of the current version's entities a new version
// must hold to be accepted without Force: a list that shrinks by more than a
// fifth at once is far more likely a broken feed than a mass delisting.
const MinShare = 0.8

// ImportOptions control how a version is accepted.
type ImportOptions struct {
	// Strict refuses a version in which any record could not be read.
	Strict bool
	// Force accepts a version that the guards would refuse: one holding
	// fewer than MinShare of the current version's entities, names,
	// identifiers or addresses, one whose file set lacks a member the
	// current version was read from, or one whose records are another
	// list's. A file cut short is refused even so.
	Force bool
	// Published gives, by list, the publication date to record when the
	// files do not state one (the OFAC and CSL CSV files carry no date).
	Published map[string]string
}

// Outcome statuses.
const (
	StatusImported  = "imported"
	StatusUnchanged = "unchanged"
	StatusRefused   = "refused"
)

// Outcome is what happened to one list in an import.
type Outcome struct {
	List   string `json:"list"`
	Format string `json:"format"`
	// Status is StatusImported, StatusUnchanged or StatusRefused.
	Status string `json:"status"`
	// Reason explains a refusal.
	Reason  string                 `json:"reason,omitempty"`
	Version *interdict.ListVersion `json:"version,omitempty"`
	// Previous is the version that was current before, if any.
	Previous *interdict.ListVersion `json:"previous,omitempty"`
	Report   interdict.ImportReport `json:"report"`
	Files    []string               `json:"files"`
}

// Importer reads list files with the registered formats and stores each
// list's entities as a new version, refusing versions that fail its checks:
// the current version stays in place whenever a new one is refused.
type Importer struct {
	Store   interdict.ListStore
	Formats []Format
	// Now returns the import time; defaults to time.Now.
	Now func() time.Time
}

type group struct {
	format Format
	list   string
	files  []File
}

// Import detects the format of each file, groups files by format and list,
// and imports each group as one version. It returns an error, and imports
// nothing, when a file's format is unknown. Refusals are reported in the
// outcomes, not as errors; the caller decides the exit status.
func (im *Importer) Import(ctx context.Context, files []File, opts ImportOptions) ([]Outcome, error) {
	groups, err := groupFiles(im.Formats, files)
	if err != nil {
		return nil, err
	}
	// Parsing is independent per group and dominates the time: run it in
	// parallel, then check and store each group in order.
	parsed := parseGroups(groups)
	var out []Outcome
	for i, g := range groups {
		if err := ctx.Err(); err != nil {
			return out, interrupted(out, groups[i:], err)
		}
		o, err := im.importGroup(ctx, g, parsed[i], opts)
		if err != nil {
			return out, interrupted(out, groups[i:], err)
		}
		out = append(out, o)
	}
	return out, nil
}

// interrupted wraps the error that stopped an import with what it had
// committed by then and what it had not reached, so that an operator knows
// which lists are on their new version: each list's version is committed
// on its own, in order.
func interrupted(done []Outcome, left []*group, err error) error {
	var committed, rest []string
	for _, o := range done {
		if o.Status == StatusImported && o.Version != nil {
			committed = append(committed, fmt.Sprintf("%s version %d", o.List, o.Version.Version))
		}
	}
	for _, g := range left {
		rest = append(rest, g.list)
	}
	c := "none"
	if len(committed) > 0 {
		c = strings.Join(committed, ", ")
	}
	return fmt.Errorf("import stopped (committed: %s; not imported: %s): %w", c, strings.Join(rest, ", "), err)
}

// groupFiles detects each file's format and list and groups the files by
// both, in the order they were given. It fails on a file in no known format.
func groupFiles(formats []Format, files []File) ([]*group, error) {
	var groups []*group
	for _, f := range files {
		ft, list, err := Detect(formats, f)
		if err != nil {
			return nil, err
		}
		var g *group
		for _, have := range groups {
			if have.format.Name == ft.Name && have.list == list {
				g = have
			}
		}
		if g == nil {
			g = &group{format: ft, list: list}
			groups = append(groups, g)
		}
		g.files = append(g.files, f)
	}
	return groups, nil
}

// parseGroups parses the groups in parallel, up to GOMAXPROCS at a time.
func parseGroups(groups []*group) []parseResult {
	parsed := make([]parseResult, len(groups))
	var eg errgroup.Group
	eg.SetLimit(runtime.GOMAXPROCS(0))
	for i, g := range groups {
		eg.Go(func() error {
			parsed[i] = parseGroup(g)
			return nil
		})
	}
	_ = eg.Wait()
	return parsed
}

// ParseAll reads files without storing them: it detects each file's format
// and list, parses each group of files of one format and list (in
// parallel), and returns the finished results in file order. It fails on a
// file in no known format or a group that cannot be read; records that
// cannot be read are in each Result's Report.
func ParseAll(formats []Format, files []File) ([]*Result, error) {
	groups, err := groupFiles(formats, files)
	if err != nil {
		return nil, err
	}
	var out []*Result
	for i, pr := range parseGroups(groups) {
		if pr.err != nil {
			return nil, fmt.Errorf("%s (%s): %w", groups[i].list, groups[i].format.Name, pr.err)
		}
		out = append(out, pr.res)
	}
	return out, nil
}

// parseResult is a group's parsed, finished result and its checksum.
type parseResult struct {
	res      *Result
	checksum string
	err      error
}

func parseGroup(g *group) parseResult {
	res, err := Parse(g.format, g.list, g.files)
	if err != nil {
		return parseResult{err: err}
	}
	res.Finish()
	ResolveRelations(res.Entities)
	pr := parseResult{res: res}
	if !res.Delta {
		pr.checksum = Checksum(res.Entities)
	}
	return pr
}

// Parse runs one format over files, recovering from a panic in the parser so
// that a bug on hostile input refuses the file instead of crashing the
// process.
func Parse(ft Format, list string, files []File) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%s parser failed on %s: %v", ft.Name, fileNames(files), r)
		}
	}()
	res, err = ft.Parse(list, files)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, fmt.Errorf("%s parser returned no result for %s", ft.Name, fileNames(files))
	}
	res.List, res.Format = list, ft.Name
	return res, nil
}

func fileNames(files []File) string {
	var names []string
	for _, f := range files {
		names = append(names, f.Path)
	}
	return strings.Join(names, ", ")
}

func (im *Importer) importGroup(ctx context.Context, g *group, pr parseResult, opts ImportOptions) (Outcome, error) {
	o := Outcome{List: g.list, Format: g.format.Name}
	for _, f := range g.files {
		o.Files = append(o.Files, f.Path)
	}
	refuse := func(format string, args ...any) (Outcome, error) {
		o.Status = StatusRefused
		o.Reason = fmt.Sprintf(format, args...)
		return o, nil
	}
	if pr.err != nil {
		return refuse("%s", Cut(pr.err.Error(), MaxMessageLen))
	}
	res := pr.res
	o.Report = res.Report

	var prev *interdict.ListVersion
	current, err := im.Store.FindCurrentVersions(ctx)
	if err != nil {
		return o, fmt.Errorf("find current version of %s: %w", g.list, err)
	}
	for _, v := range current {
		if v.List == g.list {
			prev = v
		}
	}
	o.Previous = prev

	entities := res.Entities
	if res.Delta {
		if prev == nil {
			return refuse("%s is a delta file but list %s has no version to apply it to", fileNames(g.files), g.list)
		}
		base, err := im.Store.FindEntities(ctx, g.list, prev.Version)
		if err != nil {
			return o, fmt.Errorf("load version %d of %s: %w", prev.Version, g.list, err)
		}
		entities = ApplyDelta(base, res.Entities, res.Deleted)
		o.Report.Entities = len(entities)
		pr.checksum = Checksum(entities)
	}

	if opts.Strict && o.Report.Errors > 0 {
		first := ""
		for _, is := range o.Report.Issues {
			if is.Severity == interdict.SeverityError {
				first = describe(is)
				break
			}
		}
		return refuse("strict mode: %d records could not be read (first: %s)", o.Report.Errors, first)
	}
	if len(entities) == 0 {
		return refuse("%s holds no entities", fileNames(g.files))
	}
	if prev != nil && !opts.Force && float64(len(entities)) < MinShare*float64(prev.Total) {
		return refuse("new version holds %d entities, fewer than %.0f%% of the %d in current version %d; use --force to accept it",
			len(entities), MinShare*100, prev.Total, prev.Version)
	}
	if !opts.Force && (prev == nil || prev.Checksum != pr.checksum) {
		if reason, err := im.guard(ctx, g, res, prev, current, entities); err != nil {
			return o, err
		} else if reason != "" {
			return refuse("%s", reason)
		}
	}

	v := &interdict.ListVersion{
		List:      g.list,
		Publisher: res.Publisher,
		Format:    g.format.Name,
		Published: res.Published,
		Checksum:  pr.checksum,
		Counts:    map[interdict.Kind]int{},
		Total:     len(entities),
		Current:   true,
		Report:    o.Report,
	}
	if v.Published == "" {
		v.Published = opts.Published[g.list]
	}
	if v.Publisher == "" {
		if info, ok := interdict.LookupList(g.list); ok {
			v.Publisher = info.Publisher
		}
	}
	if im.Now != nil {
		v.ImportedAt = im.Now()
	} else {
		v.ImportedAt = time.Now()
	}
	for _, e := range entities {
		v.Counts[e.Kind]++
	}
	for _, f := range g.files {
		name, size, sum := f.Info()
		v.Sources = append(v.Sources, interdict.SourceFile{Name: name, Size: size, SHA256: sum})
	}
	if prev != nil && prev.Checksum == v.Checksum {
		o.Status = StatusUnchanged
		o.Version = prev
		return o, nil
	}
	if err := im.Store.CreateListVersion(ctx, v, entities); err != nil {
		return o, fmt.Errorf("store version of %s: %w", g.list, err)
	}
	o.Status = StatusImported
	o.Version = v
	return o, nil
}

func describe(is interdict.ImportIssue) string {
	var loc []string
	if is.File != "" {
		if is.Line > 0 {
			loc = append(loc, fmt.Sprintf("%s:%d", is.File, is.Line))
		} else {
			loc = append(loc, is.File)
		}
	} else if is.Line > 0 {
		loc = append(loc, fmt.Sprintf("line %d", is.Line))
	}
	if is.Record != "" {
		loc = append(loc, "record "+is.Record)
	}
	if is.Field != "" {
		loc = append(loc, "field "+is.Field)
	}
	loc = append(loc, is.Message)
	return strings.Join(loc, ": ")
}

// DescribeIssue formats an import issue as one line naming where it is.
func DescribeIssue(is interdict.ImportIssue) string { return describe(is) }

// Checksum returns a hex SHA-256 over the entities' IDs and hashes in ID
// order. Two versions with equal checksums hold the same data.
func Checksum(entities []interdict.Entity) string {
	ids := make([]string, len(entities))
	hashes := make(map[string]string, len(entities))
	for i := range entities {
		ids[i] = entities[i].ID
		hashes[entities[i].ID] = entities[i].Hash()
	}
	sort.Strings(ids)
	h := sha256.New()
	for _, id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{0})
		h.Write([]byte(hashes[id]))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ApplyDelta returns base with upserts added or replaced and the deleted IDs
// removed, in ID order.
func ApplyDelta(base, upserts []interdict.Entity, deleted []string) []interdict.Entity {
	byID := make(map[string]interdict.Entity, len(base)+len(upserts))
	for _, e := range base {
		byID[e.ID] = e
	}
	for _, e := range upserts {
		byID[e.ID] = e
	}
	for _, id := range deleted {
		delete(byID, id)
	}
	out := make([]interdict.Entity, 0, len(byID))
	for _, e := range byID {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ResolveRelations fills Relation.Target for relations that name their
// target only (as OFAC's "Linked To: NAME." does) when exactly one entity
// of the same list has that name as its primary or alias name.
func ResolveRelations(entities []interdict.Entity) {
	var byName map[string][]string
	for i := range entities {
		for j := range entities[i].Relations {
			r := &entities[i].Relations[j]
			if r.Target != "" || r.TargetName == "" {
				continue
			}
			if byName == nil {
				byName = map[string][]string{}
				for _, e := range entities {
					for _, n := range e.Names {
						k := nameKey(n.Full)
						if ids := byName[k]; len(ids) == 0 || ids[len(ids)-1] != e.ID {
							byName[k] = append(byName[k], e.ID)
						}
					}
				}
			}
			if ids := byName[nameKey(r.TargetName)]; len(ids) == 1 && ids[0] != entities[i].ID {
				r.Target = ids[0]
			}
		}
	}
}

func nameKey(s string) string {
	s = strings.ToUpper(s)
	s = strings.TrimRight(s, ".; ")
	return strings.Join(strings.Fields(s), " ")
}

// ErrNoFiles is returned when an import is given nothing to read.
var ErrNoFiles = errors.New("no list files given")
