package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/ingest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/custom"
	"github.com/interdict/interdict/source/ftm"
	"github.com/spf13/pflag"
)

// customFormats are the formats of a version of the institution's own
// list named list: FollowTheMoney files (PEP data), whose entities become
// "<list>:<FtM id>" and whose publisher is the title when one is given,
// and every other file read as a table of parties (package custom).
func customFormats(list string, opt custom.Options) []source.Format {
	var fs []source.Format
	for _, f := range ftm.Formats {
		detect, parse := f.Detect, f.Parse
		f.Detect = func(name string, head []byte) (string, bool) {
			if _, ok := detect(name, head); ok {
				return list, true
			}
			return "", false
		}
		f.Parse = func(l string, files []source.File) (*source.Result, error) {
			res, err := parse(l, files)
			if err == nil && res != nil && opt.Title != "" {
				res.Publisher = opt.Title
			}
			return res, err
		}
		fs = append(fs, f)
	}
	return append(fs, custom.Formats(list, opt)...)
}

// listImporter imports versions of the institution's own lists into a
// list store through the ingest pipeline (so with every check of
// source.Importer) and diffs them against the current version. It
// implements interdicthttp.ListImporter; `lists import --list` uses it too.
type listImporter struct {
	lists interdict.ListStore
	now   func() time.Time
	// strict refuses a version in which a row cannot be read.
	strict bool
	// columns maps fields to header names (--map).
	columns map[string]string
}

var _ interdicthttp.ListImporter = (*listImporter)(nil)

// ImportList implements interdicthttp.ListImporter.
func (li *listImporter) ImportList(ctx context.Context, u interdicthttp.ListUpload) (*interdicthttp.ListUploadResult, error) {
	if err := custom.ValidName(u.List); err != nil {
		return nil, err
	}
	files, err := source.Expand(u.FileName, u.Data)
	if err != nil {
		return nil, interdict.Errorf(interdict.EINVALID, "%v", err)
	}
	return li.importFiles(ctx, u, files)
}

func (li *listImporter) importFiles(ctx context.Context, u interdicthttp.ListUpload, files []source.File) (*interdicthttp.ListUploadResult, error) {
	if err := custom.ValidName(u.List); err != nil {
		return nil, err
	}
	vs, err := li.lists.FindListVersions(ctx, u.List)
	if err != nil {
		return nil, err
	}
	var cur *interdict.ListVersion
	for _, v := range vs {
		if v.Current {
			cur = v
		}
	}
	if u.Base != nil {
		have := 0
		if cur != nil {
			have = cur.Version
		}
		if have != *u.Base {
			return nil, interdict.Errorf(interdict.ECONFLICT, "List %s changed since the preview: its current version is %d, not %d. Preview the file again.", u.List, have, *u.Base)
		}
	}
	title := u.Title
	if title == "" && cur != nil {
		title = cur.Publisher
	}
	formats := customFormats(u.List, custom.Options{Title: title, Map: li.columns})
	// FtM files and tables given together would be two versions of one
	// list, the second replacing the first: refuse them before importing.
	var first string
	for _, f := range files {
		ft, _, err := source.Detect(formats, f)
		if err != nil {
			return nil, interdict.Errorf(interdict.EINVALID, "%v", err)
		}
		if first == "" {
			first = ft.Name
		} else if ft.Name != first {
			return nil, interdict.Errorf(interdict.EINVALID, "the files of list %s are in two formats (%s, %s); import one format at a time", u.List, first, ft.Name)
		}
	}
	store := &captureStore{ListStore: li.lists, dry: u.DryRun}
	p := &ingest.Pipeline{Lists: store, Formats: formats, Now: li.now}
	outcomes, err := p.Import(ctx, files, source.ImportOptions{Strict: li.strict, Force: u.Force})
	if err != nil {
		return nil, interdict.Errorf(interdict.EINVALID, "%v", err)
	}
	if len(outcomes) != 1 {
		return nil, fmt.Errorf("import of list %s gave %d outcomes, want 1", u.List, len(outcomes))
	}
	o := outcomes[0]
	res := &interdicthttp.ListUploadResult{List: u.List, Format: o.Format, Status: o.Status, DryRun: u.DryRun, Reason: o.Reason,
		Version: o.Version, Previous: o.Previous, Report: o.Report}
	if u.DryRun && o.Status == source.StatusImported {
		res.Status = interdicthttp.UploadPreview
	}
	if store.created != nil {
		var old []interdict.Entity
		from := 0
		if o.Previous != nil {
			from = o.Previous.Version
			if old, err = li.lists.FindEntities(ctx, u.List, from); err != nil {
				return nil, fmt.Errorf("load version %d of %s: %w", from, u.List, err)
			}
		}
		res.Diff = interdict.DiffEntities(u.List, from, store.created.Version, old, store.entities)
	}
	return res, nil
}

// captureStore passes a list store through and keeps the version the
// importer creates with its entities; when dry, it stores nothing and only
// numbers the version as the store would.
type captureStore struct {
	interdict.ListStore
	dry      bool
	created  *interdict.ListVersion
	entities []interdict.Entity
}

func (c *captureStore) CreateListVersion(ctx context.Context, v *interdict.ListVersion, entities []interdict.Entity) error {
	c.created, c.entities = v, entities
	if !c.dry {
		return c.ListStore.CreateListVersion(ctx, v, entities)
	}
	vs, err := c.ListStore.FindListVersions(ctx, v.List)
	if err != nil {
		return err
	}
	v.Version = 1
	for _, have := range vs {
		v.Version = max(v.Version, have.Version+1)
	}
	return nil
}

// customImportOptions are the flags of `lists import` for a list of the
// institution's own.
type customImportOptions struct {
	List   string
	Title  string
	Map    []string
	DryRun bool
}

func (o *customImportOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.List, "list", "", "import the files as a version of your own list NAME (lowercase letters, digits, hyphens)")
	fs.StringVar(&o.Title, "title", "", "with --list: the list's title (default: the current version's)")
	fs.StringArrayVar(&o.Map, "map", nil, "with --list: read a field from a column: field=\"Header Name\" (repeatable; fields id, name, type, dob, country, id_number, address, aliases, id_numbers, remarks, listed_since, reason, topics)")
	fs.BoolVar(&o.DryRun, "dry-run", false, "with --list: show what the import would change without storing it")
}

// runCustomImport imports files as a version of the institution's own list.
func (a *App) runCustomImport(ctx context.Context, files []source.File, opts importOptions) error {
	co := opts.Custom
	if err := custom.ValidName(co.List); err != nil {
		return usageError("--list: %s", interdict.ErrorMessage(err))
	}
	if len(files) == 0 {
		return source.ErrNoFiles
	}
	cols, err := parseMap(co.Map)
	if err != nil {
		return err
	}
	st, err := a.start(ctx)
	if err != nil {
		return err
	}
	li := &listImporter{lists: st.lists, now: a.Now, strict: opts.Strict, columns: cols}
	res, err := li.importFiles(ctx, interdicthttp.ListUpload{List: co.List, Title: co.Title, DryRun: co.DryRun, Force: opts.Force}, files)
	if err != nil {
		return err
	}
	if opts.JSON {
		if res.Diff != nil {
			res.Diff.Changes = nil // 'interdict lists diff' shows them
		}
		if err := writeJSON(a.Stdout, res); err != nil {
			return err
		}
	} else {
		a.printUpload(res)
	}
	if res.Status == source.StatusRefused {
		return fmt.Errorf("refused: %s; the current version stays in place", res.List)
	}
	return nil
}

func (a *App) printUpload(res *interdicthttp.ListUploadResult) {
	switch res.Status {
	case interdicthttp.UploadImported:
		fmt.Fprintf(a.Stdout, "%-10s imported version %d (%s): %d entities", res.List, res.Version.Version, res.Format, res.Version.Total)
	case interdicthttp.UploadPreview:
		fmt.Fprintf(a.Stdout, "%-10s would import version %d (%s): %d entities (dry run, nothing stored)", res.List, res.Version.Version, res.Format, res.Version.Total)
	case interdicthttp.UploadUnchanged:
		fmt.Fprintf(a.Stdout, "%-10s unchanged: identical to current version %d", res.List, res.Version.Version)
	default:
		fmt.Fprintf(a.Stdout, "%-10s REFUSED (%s): %s", res.List, res.Format, res.Reason)
	}
	if d := res.Diff; d != nil && d.From > 0 {
		fmt.Fprintf(a.Stdout, "; since version %d: %d added, %d removed, %d changed", d.From, d.Added, d.Removed, d.Changed)
	}
	if r := res.Report; r.Skipped > 0 || r.Warnings > 0 {
		fmt.Fprintf(a.Stdout, "; %d rows skipped, %d warnings", r.Skipped, r.Warnings)
	}
	fmt.Fprintln(a.Stdout)
	shown := 0
	for _, is := range res.Report.Issues {
		if shown == 10 {
			fmt.Fprintf(a.Stdout, "    ... see 'interdict lists report %s'\n", res.List)
			break
		}
		fmt.Fprintf(a.Stdout, "    %-7s %s\n", is.Severity, source.DescribeIssue(is))
		shown++
	}
}
