package cli

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
	"github.com/interdict/interdict/review"
	"github.com/spf13/cobra"
)

func init() {
	extraCommands = append(extraCommands, (*App).newBookCmd)
}

func (a *App) newBookCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "book",
		Short: "The book: the parties under watch, screened again whenever a list changes",
	}
	cmd.AddCommand(a.newBookImportCmd(), a.newBookListCmd())
	return cmd
}

func (a *App) newBookImportCmd() *cobra.Command {
	var rf reviewFlags
	var maps []string
	var sheet, format string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Put the parties of a file (CSV, XLSX or JSON lines) in the book and screen the new and changed ones",
		Long: `Put the parties of a file in the book and screen every party that is new or
whose data changed: each hit at or above the threshold becomes an alert.

The file is read as 'screen --input' reads it (package batch): the id column
(ID, Customer ID, Reference, ...) is the party's ID in the book, then name,
type, dob, country, id_number and address, with header aliases or --map; an
Aliases (or AKA, Other Names) column holds other names separated by ; or |.
A row without an ID or a name is refused and named by its line. Exit status
3 when new alerts were raised.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			who, err := a.actor(ctx, rf)
			if err != nil {
				return err
			}
			m := map[string]string{}
			for _, kv := range maps {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
					return usageError("--map %q: want field=\"Header Name\"", kv)
				}
				m[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			svc, err := a.reviewService(ctx, rf, true)
			if err != nil {
				return err
			}
			if err := a.recordPolicy(ctx, svc, who, "book import"); err != nil {
				return err
			}
			rep, err := svc.ImportBook(ctx, who, f, args[0], review.ImportOptions{Read: batch.ReadOptions{Map: m, Sheet: sheet, Format: format}})
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSON(a.Stdout, rep); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(a.Stdout, "%s: %d rows: %d added, %d changed, %d unchanged, %d refused; %d alerts raised, %d suppressed by the good-guy list, %d already open (%s)\n",
					args[0], rep.Rows, rep.Added, rep.Changed, rep.Unchanged, rep.Errors, rep.Alerts, rep.Suppressed, rep.Pending, rep.Took.Round(time.Millisecond))
				for _, w := range rep.Warnings {
					fmt.Fprintf(a.Stderr, "interdict: warning: %s %s: %s\n", w.Field, w.Value, w.Message)
				}
				for _, e := range rep.RowErrors {
					fmt.Fprintf(a.Stderr, "interdict: refused: %s\n", e.Message)
				}
				if rep.Errors > len(rep.RowErrors) {
					fmt.Fprintf(a.Stderr, "interdict: refused: %d more rows\n", rep.Errors-len(rep.RowErrors))
				}
			}
			if rep.Alerts > 0 {
				return &exitError{code: ExitMatch}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, true)
	fl.StringArrayVar(&maps, "map", nil, "read a field from a column: field=\"Header Name\" (repeatable; fields id, name, type, dob, country, id_number, address, first_name, middle_name, last_name)")
	fl.StringVar(&sheet, "sheet", "", "the XLSX sheet to read (default: the first)")
	fl.StringVar(&format, "format", "", "the file's format: csv, tsv, xlsx or jsonl (default: detected)")
	fl.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func (a *App) newBookListCmd() *cobra.Command {
	var rf reviewFlags
	var f interdict.PartyFilter
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the parties of the book by ID",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openReview(cmd.Context(), rf)
			if err != nil {
				return err
			}
			ps, n, err := st.review.FindParties(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				if ps == nil {
					ps = []*interdict.Party{}
				}
				return writeJSON(a.Stdout, struct {
					Total   int                `json:"total"`
					Parties []*interdict.Party `json:"parties"`
				}{n, ps})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tTYPE\tDOB\tCOUNTRY\tVERSION\tUPDATED")
			for _, p := range ps {
				name := p.Name
				if p.Removed {
					name += " (removed)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", p.ID, name, orDash(string(p.Kind)), orDash(p.DOB), orDash(p.Country), p.Version, p.UpdatedAt.Format(time.DateTime))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.Stdout, "%d of %d parties shown\n", len(ps), n)
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, false)
	fl.BoolVar(&f.Removed, "removed", false, "include the parties taken off the book")
	fl.IntVar(&f.Limit, "limit", 100, "show at most this many (0 for all)")
	fl.IntVar(&f.Offset, "offset", 0, "skip this many first")
	fl.BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}
