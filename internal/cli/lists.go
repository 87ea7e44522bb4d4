package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/link"
	"github.com/interdict/interdict/source"
	"github.com/spf13/cobra"
)

func (a *App) newListsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lists",
		Short: "Import, update, inspect and compare sanctions list versions",
	}
	cmd.AddCommand(a.newListsImportCmd(), a.newListsStatusCmd(), a.newListsDiffCmd(),
		a.newListsUpdateCmd(), a.newListsReportCmd(), a.newListsVersionsCmd())
	return cmd
}

// importOptions are the flags of `lists import` and `lists update`.
type importOptions struct {
	Strict bool
	Force  bool
	JSON   bool
	// Custom is set for a list of the institution's own (--list).
	Custom customImportOptions
}

func (a *App) newListsImportCmd() *cobra.Command {
	var opts importOptions
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import list files in their published formats (plain, .gz or .zip; directories are walked)",
		Long: `Import reads official list files, detects each one's format, and stores each
list as a new version. Files of one list given together (the OFAC CSV set:
sdn.csv, add.csv, alt.csv, sdn_comments.csv) are read as one version.

A record that cannot be read is reported with its list, file, line or record
ID and field, counted in the import report kept with the version, and left
out; --strict refuses the whole version instead. A file cut short (a CSV or
text file ending mid-record, a JSON lines file ending in half an object) is
refused whatever the flags. Unless --force is given, a version is refused when
it holds fewer than 80% of the current version's entities, names, identifiers
or addresses; when the file set lacks a member the current version was read
from (add.csv, alt.csv, sdn_comments.csv); or when its records are another
list's (SDN data named cons_prim.csv). A refused version leaves the current
one in place. Each file's encoding is decided on its own (and each line's,
where a file mixes them), with a warning in the report.

With --list NAME, the files are a version of a list of the institution's
own (an internal watch list, PEP data): CSV, XLSX or JSON lines with a name
column and optional id, aliases (separated by ";"), type, dob, country, id
numbers, address, remarks, listed since and reason columns, or
FollowTheMoney JSON lines. Its entity IDs are NAME:<the row's id, or a
stable hash of the row>; it is versioned, diffed and guarded like any list.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("lists import needs at least one PATH (see 'interdict lists import --help')")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := source.ReadPaths(args)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("list") {
				return a.runCustomImport(cmd.Context(), files, opts)
			}
			if opts.Custom.Title != "" || len(opts.Custom.Map) > 0 || opts.Custom.DryRun {
				return usageError("--title, --map and --dry-run go with --list NAME")
			}
			return a.runImport(cmd.Context(), a.dropUnknown(files), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "refuse a version in which any record cannot be read")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "accept a version that shrank by more than 20%, lacks a member of its file set or looks like another list's")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the outcome as JSON")
	opts.Custom.register(cmd.Flags())
	return cmd
}

// dropUnknown drops the files found by walking a directory that are in no
// known list format (a README, a data dictionary), saying so on stderr.
// Files named on the command line are kept, so that an unknown one is an
// error.
func (a *App) dropUnknown(files []source.File) []source.File {
	fs := formats()
	out := files[:0]
	for _, f := range files {
		if f.Walked {
			if _, _, err := source.Detect(fs, f); err != nil {
				fmt.Fprintf(a.Stderr, "interdict: skipped %s: not a file of a known list format\n", f.Path)
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

func (a *App) runImport(ctx context.Context, files []source.File, opts importOptions) error {
	if len(files) == 0 {
		return source.ErrNoFiles
	}
	if _, err := a.start(ctx); err != nil {
		return err
	}
	outcomes, err := a.pipeline().Import(ctx, files, source.ImportOptions{Strict: opts.Strict, Force: opts.Force})
	if err != nil {
		// Interrupted: say what was done; the error names the lists
		// committed and those not reached.
		if len(outcomes) > 0 {
			_ = a.printOutcomes(outcomes, opts.JSON)
		}
		return err
	}
	if err := a.auditListImports(ctx, outcomes); err != nil {
		return err
	}
	if err := a.printOutcomes(outcomes, opts.JSON); err != nil {
		return err
	}
	var refused []string
	for _, o := range outcomes {
		if o.Status == source.StatusRefused {
			refused = append(refused, o.List)
		}
	}
	if len(refused) > 0 {
		return fmt.Errorf("refused: %s; the current version of each stays in place", strings.Join(refused, ", "))
	}
	return nil
}

func (a *App) printOutcomes(outcomes []source.Outcome, asJSON bool) error {
	if asJSON {
		type out struct {
			List     string `json:"list"`
			Format   string `json:"format"`
			Status   string `json:"status"`
			Reason   string `json:"reason,omitempty"`
			Version  int    `json:"version,omitempty"`
			Previous int    `json:"previous,omitempty"`
			Entities int    `json:"entities"`
			Records  int    `json:"records"`
			Skipped  int    `json:"skipped"`
			Errors   int    `json:"errors"`
			Warnings int    `json:"warnings"`
		}
		var rows []out
		for _, o := range outcomes {
			r := out{List: o.List, Format: o.Format, Status: o.Status, Reason: o.Reason, Entities: o.Report.Entities,
				Records: o.Report.Records, Skipped: o.Report.Skipped, Errors: o.Report.Errors, Warnings: o.Report.Warnings}
			if o.Version != nil {
				r.Version = o.Version.Version
			}
			if o.Previous != nil {
				r.Previous = o.Previous.Version
			}
			rows = append(rows, r)
		}
		return writeJSON(a.Stdout, map[string]any{"imports": rows})
	}
	for _, o := range outcomes {
		switch o.Status {
		case source.StatusImported:
			fmt.Fprintf(a.Stdout, "%-10s imported version %d (%s): %d entities", o.List, o.Version.Version, o.Format, o.Version.Total)
		case source.StatusUnchanged:
			fmt.Fprintf(a.Stdout, "%-10s unchanged: identical to current version %d", o.List, o.Version.Version)
		case source.StatusRefused:
			fmt.Fprintf(a.Stdout, "%-10s REFUSED (%s): %s", o.List, o.Format, o.Reason)
		}
		if o.Report.Skipped > 0 || o.Report.Warnings > 0 {
			fmt.Fprintf(a.Stdout, "; %d records skipped, %d warnings (see 'interdict lists report %s')", o.Report.Skipped, o.Report.Warnings, o.List)
		}
		fmt.Fprintln(a.Stdout)
		shown := 0
		for _, is := range o.Report.Issues {
			if is.Severity == interdict.SeverityError && shown < 5 {
				fmt.Fprintf(a.Stdout, "    %s\n", source.DescribeIssue(is))
				shown++
			}
		}
	}
	return nil
}

func (a *App) newListsStatusCmd() *cobra.Command {
	var asJSON, parties bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each list's current version: publisher, publication date, entity counts, import time, checksum",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.start(cmd.Context())
			if err != nil {
				return err
			}
			vs, err := st.lists.FindCurrentVersions(cmd.Context())
			if err != nil {
				return err
			}
			// Linking reads every entity of every list: done for --json
			// and --parties only, so that the plain status stays instant.
			var stats *link.Stats
			if asJSON || parties {
				ps, err := currentParties(cmd.Context(), st.lists)
				if err != nil {
					return err
				}
				s := ps.Stats()
				stats = &s
			}
			return a.printStatus(vs, stats, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON (with the parties and links)")
	cmd.Flags().BoolVar(&parties, "parties", false, "count the listed parties the lists form and the links between their records, by reason")
	return cmd
}

// statusRow is the JSON form of one list in `lists status --json`.
type statusRow struct {
	List       string                 `json:"list"`
	Name       string                 `json:"name"`
	Publisher  string                 `json:"publisher"`
	Published  string                 `json:"published,omitempty"`
	Version    int                    `json:"version"`
	Format     string                 `json:"format"`
	Records    int                    `json:"records"`
	ImportedAt time.Time              `json:"imported_at"`
	Checksum   string                 `json:"checksum"`
	Total      int                    `json:"total"`
	Counts     map[interdict.Kind]int `json:"counts"`
	Skipped    int                    `json:"skipped"`
	Errors     int                    `json:"errors"`
	Warnings   int                    `json:"warnings"`
	Sources    []interdict.SourceFile `json:"sources"`
	// Derived is true for a version read from a third party's copy of the
	// list (Note says so), not the publisher's file.
	Derived bool   `json:"derived"`
	Note    string `json:"note,omitempty"`
	// AgeDays is the age of the version (from its publication date, or its
	// import); Stale is true past MaxAgeDays.
	AgeDays    int  `json:"age_days"`
	MaxAgeDays int  `json:"max_age_days"`
	Stale      bool `json:"stale"`
}

func (a *App) printStatus(vs []*interdict.ListVersion, parties *link.Stats, asJSON bool) error {
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	now := a.Now()
	rows := make([]statusRow, 0, len(vs))
	for _, v := range vs {
		info, official := interdict.LookupList(v.List)
		if !official {
			info.Name = v.Publisher // a list of the institution's own: its title
		}
		counts := map[interdict.Kind]int{}
		for _, k := range interdict.Kinds {
			counts[k] = v.Counts[k]
		}
		age, maxAge := v.Age(now), cfg.MaxAge(v.List)
		r := statusRow{List: v.List, Name: info.Name, Publisher: v.Publisher, Published: v.Published,
			Version: v.Version, Format: v.Format, Records: v.Report.Records, ImportedAt: v.ImportedAt.UTC(), Checksum: v.Checksum, Total: v.Total,
			Counts: counts, Skipped: v.Report.Skipped, Errors: v.Report.Errors, Warnings: v.Report.Warnings, Sources: v.Sources,
			AgeDays: int(age.Hours() / 24), MaxAgeDays: int(maxAge.Hours() / 24), Stale: age > maxAge}
		if source.IsDerived(formats(), v.Format) {
			r.Derived = true
			r.Note = fmt.Sprintf("%s list, from an unofficial copy dated %s (format %s); an official file replaces it", strings.ToUpper(v.List), orDash(v.Published), v.Format)
		}
		rows = append(rows, r)
	}
	if asJSON {
		return writeJSON(a.Stdout, map[string]any{"lists": rows, "parties": parties})
	}
	if len(rows) == 0 {
		fmt.Fprintln(a.Stdout, "No lists imported. Run 'interdict lists import PATH' or 'interdict lists update'.")
		return nil
	}
	tw := tabwriter.NewWriter(a.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LIST\tVERSION\tPUBLISHED\tAGE\tENTITIES\tPERSON\tORG\tVESSEL\tAIRCRAFT\tUNKNOWN\tSKIPPED\tIMPORTED\tCHECKSUM\tPUBLISHER")
	var notes, stale []string
	for _, r := range rows {
		pub := r.Published
		if pub == "" {
			pub = "-"
		}
		age := fmt.Sprintf("%dd", r.AgeDays)
		if r.Stale {
			age += " STALE"
			stale = append(stale, fmt.Sprintf("%s (%d days, limit %d)", r.List, r.AgeDays, r.MaxAgeDays))
		}
		if r.Derived {
			pub += " (unofficial copy)"
			notes = append(notes, "note: "+r.Note)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", r.List, r.Version, pub, age, r.Total,
			r.Counts[interdict.KindPerson], r.Counts[interdict.KindOrganization], r.Counts[interdict.KindVessel],
			r.Counts[interdict.KindAircraft], r.Counts[interdict.KindUnknown], r.Skipped,
			r.ImportedAt.Local().Format("2006-01-02 15:04"), r.Checksum[:12], r.Publisher)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if parties != nil {
		var reasons []string
		for _, rs := range link.Reasons {
			if n := parties.Links[rs]; n > 0 {
				reasons = append(reasons, fmt.Sprintf("%s %d", rs, n))
			}
		}
		fmt.Fprintf(a.Stdout, "\n%d entities form %d listed parties, %d of them on several lists; links: %s.\n",
			parties.Entities, parties.Parties, parties.Linked, strings.Join(reasons, ", "))
	}
	if len(stale) > 0 {
		fmt.Fprintf(a.Stdout, "warning: stale, past their age limit (config max_age_days): %s; run 'interdict lists update'.\n", strings.Join(stale, ", "))
	}
	for _, n := range notes {
		fmt.Fprintln(a.Stdout, n)
	}
	return nil
}

func (a *App) newListsVersionsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "versions LIST",
		Short: "List the stored versions of a list, newest first",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.start(cmd.Context())
			if err != nil {
				return err
			}
			vs, err := st.lists.FindListVersions(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if len(vs) == 0 {
				return interdict.Errorf(interdict.ENOTFOUND, "List %s has no versions.", args[0])
			}
			if asJSON {
				for _, v := range vs {
					v.Report.Issues = nil
				}
				return writeJSON(a.Stdout, map[string]any{"versions": vs})
			}
			tw := tabwriter.NewWriter(a.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tCURRENT\tPUBLISHED\tENTITIES\tSKIPPED\tIMPORTED\tFORMAT\tCHECKSUM")
			for _, v := range vs {
				cur := ""
				if v.Current {
					cur = "*"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", v.Version, cur, v.Published, v.Total, v.Report.Skipped,
					v.ImportedAt.Local().Format("2006-01-02 15:04:05"), v.Format, v.Checksum[:12])
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func (a *App) newListsReportCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "report LIST [VERSION]",
		Short: "Show the import report of a list version: records read, skipped, and every issue with where it is",
		Args:  rangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if _, err := a.start(ctx); err != nil {
				return err
			}
			v, err := a.resolveVersion(ctx, args[0], args[1:])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Stdout, v.Report)
			}
			r := v.Report
			fmt.Fprintf(a.Stdout, "%s version %d: %d records read, %d entities, %d skipped, %d errors, %d warnings\n",
				v.List, v.Version, r.Records, r.Entities, r.Skipped, r.Errors, r.Warnings)
			for _, is := range r.Issues {
				fmt.Fprintf(a.Stdout, "%-7s %s\n", is.Severity, source.DescribeIssue(is))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

// resolveVersion returns the version named by args (a number), or the
// current version when args is empty.
func (a *App) resolveVersion(ctx context.Context, list string, args []string) (*interdict.ListVersion, error) {
	st := a.store
	if len(args) == 0 {
		vs, err := st.lists.FindCurrentVersions(ctx)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if v.List == list {
				return v, nil
			}
		}
		return nil, interdict.Errorf(interdict.ENOTFOUND, "List %s has no current version.", list)
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return nil, usageError("version %q is not a number", args[0])
	}
	return st.lists.FindListVersion(ctx, list, n)
}

func (a *App) newListsDiffCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "diff LIST [V1 V2]",
		Short: "Show the entities added, removed and changed between two versions (default: previous and current)",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 && len(args) != 3 {
				return usageError("lists diff takes LIST or LIST V1 V2 (see 'interdict lists diff --help')")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			list := args[0]
			var from, to int
			var err error
			if len(args) == 3 {
				if from, err = strconv.Atoi(args[1]); err != nil {
					return usageError("version %q is not a number", args[1])
				}
				if to, err = strconv.Atoi(args[2]); err != nil {
					return usageError("version %q is not a number", args[2])
				}
			}
			st, err := a.start(ctx)
			if err != nil {
				return err
			}
			if len(args) == 1 {
				cur, err := a.resolveVersion(ctx, list, nil)
				if err != nil {
					return err
				}
				vs, err := st.lists.FindListVersions(ctx, list)
				if err != nil {
					return err
				}
				to = cur.Version
				for _, v := range vs {
					if v.Version < to && v.Version > from {
						from = v.Version
					}
				}
				if from == 0 {
					return interdict.Errorf(interdict.ENOTFOUND, "List %s has only one version (%d); nothing to compare.", list, to)
				}
			}
			d, err := diffVersions(ctx, st, list, from, to)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Stdout, d)
			}
			printDiff(a.Stdout, d)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func diffVersions(ctx context.Context, st *stores, list string, from, to int) (*interdict.ListDiff, error) {
	old, err := st.lists.FindEntities(ctx, list, from)
	if err != nil {
		return nil, err
	}
	new, err := st.lists.FindEntities(ctx, list, to)
	if err != nil {
		return nil, err
	}
	return interdict.DiffEntities(list, from, to, old, new), nil
}

func printDiff(w io.Writer, d *interdict.ListDiff) {
	fmt.Fprintf(w, "%s: version %d -> %d: %d added, %d removed, %d changed\n", d.List, d.From, d.To, d.Added, d.Removed, d.Changed)
	for _, c := range d.Changes {
		switch c.Type {
		case interdict.ChangeAdded:
			fmt.Fprintf(w, "+ %s  %s  [%s]\n", c.ID, c.Name, strings.Join(c.New.Programs, ", "))
		case interdict.ChangeRemoved:
			fmt.Fprintf(w, "- %s  %s  [%s]\n", c.ID, c.Name, strings.Join(c.Old.Programs, ", "))
		case interdict.ChangeChanged:
			fmt.Fprintf(w, "~ %s  %s  changed: %s\n", c.ID, c.Name, strings.Join(c.Fields, ", "))
			for _, f := range c.Fields {
				before, after := fieldJSON(c.Old, f), fieldJSON(c.New, f)
				fmt.Fprintf(w, "    %s: %s\n    %s  %s\n", f, before, strings.Repeat(" ", len(f)), after)
			}
		}
	}
}

// fieldJSON returns the JSON of one top-level field of e, for diff output.
func fieldJSON(e *interdict.Entity, field string) string {
	b, _ := json.Marshal(e)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	if v, ok := m[field]; ok {
		s := string(v)
		if len(s) > 300 {
			s = s[:300] + "..."
		}
		return s
	}
	return "(none)"
}

func (a *App) newListsUpdateCmd() *cobra.Command {
	var opts importOptions
	var lenient bool
	cmd := &cobra.Command{
		Use:   "update [LIST...]",
		Short: "Download the current lists from the publishers' official URLs, verify and import them",
		Long: `Update downloads each configured list (all, or the LISTs named) from its
publisher's URL (set in the config file's "sources"), checks that the download
is complete and readable, and imports it in strict mode: a failed, partial or
garbled download, a record that cannot be read, or a version that lost more than
20% of its entities leaves the current version in place.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Strict = !lenient
			return a.runUpdate(cmd.Context(), args, opts)
		},
	}
	cmd.Flags().BoolVar(&lenient, "lenient", false, "accept a version in which some records cannot be read (they are counted in its report)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "accept a version with fewer than 80% of the current version's entities")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the outcome as JSON")
	return cmd
}

func (a *App) runUpdate(ctx context.Context, lists []string, opts importOptions) error {
	c, err := a.loadConfig()
	if err != nil {
		return err
	}
	for _, l := range lists {
		if _, known := interdict.LookupList(l); !known {
			return usageError("unknown list %q", l)
		}
	}
	if _, err := a.start(ctx); err != nil {
		return err
	}
	res, err := a.pipeline().Update(ctx, c.Sources, lists, source.ImportOptions{Strict: opts.Strict, Force: opts.Force})
	if err != nil {
		return err
	}
	if err := a.auditListImports(ctx, res.Outcomes); err != nil {
		return err
	}
	if err := a.printOutcomes(res.Outcomes, opts.JSON); err != nil {
		return err
	}
	if len(res.Failed) > 0 {
		return fmt.Errorf("not updated: %s; the current version of each stays in place", strings.Join(res.Failed, ", "))
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
