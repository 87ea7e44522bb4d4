package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, (*App).newScreenCmd) }

// screenOptions are the flags of `interdict screen`.
type screenOptions struct {
	Query     interdict.Query
	Kind      string
	JSON      bool
	Explain   bool
	Input     string
	Output    string
	Format    string
	Strict    bool
	Map       []string
	Sheet     string
	DateOrder string
	Resume    bool
	Policy    policyFlags
}

func (a *App) newScreenCmd() *cobra.Command {
	var opts screenOptions
	cmd := &cobra.Command{
		Use:   "screen [flags] NAME",
		Short: "Screen a party (or a file of parties) against the loaded lists",
		Long: `Screen finds the listed entities a party may be, ranked by a calibrated score
with an explanation of each. The exit status is 3 when a hit reaches the alert
threshold, 0 when none does, 1 on error and 2 on a usage error.

Batch: --input FILE --output FILE screens every record of a CSV (any
delimiter, UTF-8, UTF-16 or Windows-1252), XLSX or JSON lines file; "-" means
stdin or stdout. Columns are found by their header (Name, Full Name or First
Name + Last Name; ID or Customer ID; Type; DOB or Date of Birth; Nationality or
Country; Passport or ID Number; Address; Gender or Sex) or named with --map; other columns
are carried through to the output. The output (CSV, XLSX or JSON lines, by the
output file's extension) has one row per input record with the results and a
warnings column naming the fields screened without; a record with no usable
name is an error row, reported with its line. The exit status is 3 when any
row alerts, 0 when none does and 1 only when the run itself failed. A file
output is checkpointed beside it (OUTPUT.checkpoint): --resume continues a
run that was killed, with no row lost or written twice.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Input != "" {
				if len(args) != 0 {
					return usageError("screen takes NAME or --input, not both")
				}
				return nil
			}
			if len(args) != 1 {
				return usageError("screen takes one NAME (quote it: interdict screen \"Majid Kakavand\") or --input FILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Input != "" {
				return a.runScreenBatch(cmd.Context(), opts)
			}
			opts.Query.Name = args[0]
			return a.runScreen(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Kind, "type", "t", "", "kind of party: person, organization, vessel or aircraft")
	f.StringVar(&opts.Query.DOB, "dob", "", "birth date: YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY")
	f.StringVar(&opts.Query.Gender, "gender", "", "the person's gender: male or female (weighs against a listed person of the other)")
	f.StringVar(&opts.Query.Country, "country", "", "nationality or country (ISO code or name)")
	f.StringVar(&opts.Query.IDNumber, "id", "", "passport, national ID, IMO, BIC, LEI or registration number")
	f.StringVar(&opts.Query.Address, "address", "", "address")
	f.BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	f.BoolVar(&opts.Strict, "strict", false, "refuse a party with a field that cannot be read, instead of screening it without the field")
	f.BoolVar(&opts.Explain, "explain", true, "show each hit's explanation")
	f.StringVarP(&opts.Input, "input", "i", "", "batch: file of parties to screen (CSV, XLSX or JSON lines; - for stdin)")
	f.StringVarP(&opts.Output, "output", "o", "-", "batch: where to write results (CSV, XLSX or JSON lines; - for stdout)")
	f.StringVar(&opts.Format, "format", "", "batch: input format when it cannot be told from the file (csv, tsv, xlsx, jsonl)")
	f.StringArrayVar(&opts.Map, "map", nil, "batch: read a query field from a column: field=\"Header Name\" (repeatable; fields id, name, type, dob, country, id_number, address, gender, first_name, middle_name, last_name)")
	f.StringVar(&opts.Sheet, "sheet", "", "batch: the XLSX sheet to read (default: the first)")
	f.StringVar(&opts.DateOrder, "date-order", "", "batch: read ambiguous numeric birth dates as dmy, mdy or ymd (default: both readings)")
	f.BoolVar(&opts.Resume, "resume", false, "batch: continue a run that was cut off, from OUTPUT.checkpoint")
	opts.Policy.register(f)
	return cmd
}

// queryFromFlags completes a query from the flags: --type must name a
// kind. The screening service checks the rest.
func queryFromFlags(q interdict.Query, kind string) (interdict.Query, error) {
	if kind != "" {
		k, ok := interdict.ParseKind(kind)
		if !ok {
			return q, usageError("--type %q: use person, organization, vessel or aircraft", kind)
		}
		q.Kind = k
	}
	return q, nil
}

func (a *App) runScreen(ctx context.Context, opts screenOptions) error {
	q, err := queryFromFlags(opts.Query, opts.Kind)
	if err != nil {
		return err
	}
	p, err := a.policy(opts.Policy)
	if err != nil {
		return err
	}
	s, err := a.service(ctx, p)
	if err != nil {
		return err
	}
	res, err := s.ScreenWith(ctx, q, screen.ScreenOptions{Strict: opts.Strict})
	if err != nil {
		return err
	}
	if err := a.auditScreen(ctx, res); err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(a.Stderr, "interdict: warning: field %s: %q: %s\n", w.Field, w.Value, w.Message)
	}
	if opts.JSON {
		if err := writeJSON(a.Stdout, res); err != nil {
			return err
		}
	} else {
		printScreenResult(a.Stdout, res, opts.Explain)
	}
	if res.Alert {
		return &exitError{code: ExitMatch}
	}
	return nil
}

func printScreenResult(w io.Writer, res *interdict.ScreenResult, explain bool) {
	if len(res.Hits) == 0 {
		fmt.Fprintf(w, "No hits for %q.\n", res.Query.Name)
	}
	// One row per listed party, with every list that carries it: the
	// best-matching listing's entity, and the others under LISTED AS.
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	if len(res.Parties) > 0 {
		fmt.Fprintln(tw, "#\tSCORE\tALERT\tENTITY\tKIND\tNAME\tMATCHED NAME\tPROGRAMS\tALSO LISTED AS")
	}
	hits := make(map[string]*interdict.Hit, len(res.Hits))
	for i := range res.Hits {
		hits[res.Hits[i].EntityID] = &res.Hits[i]
	}
	var notes []string
	for i, p := range res.Parties {
		alert := ""
		if p.Alert {
			alert = "ALERT"
		}
		best := p.Listings[0]
		matched := ""
		if h := hits[best.EntityID]; h != nil {
			matched = h.MatchedName
			if matched == h.Name {
				matched = "="
			}
		}
		var also []string
		for _, l := range p.Listings[1:] {
			also = append(also, l.EntityID)
		}
		fmt.Fprintf(tw, "%d\t%.3f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1, p.Score, alert, best.EntityID, p.Kind, p.Name, matched,
			strings.Join(best.Programs, ", "), strings.Join(also, " "))
		for _, l := range p.Listings {
			if l.Note != "" && !slices.Contains(notes, l.Note) {
				notes = append(notes, l.Note)
			}
		}
	}
	tw.Flush()
	if n := len(res.Hits) - len(res.Parties); n > 0 {
		fmt.Fprintf(w, "%d hits on %d listed parties: the records of one party on several lists are one row.\n", len(res.Hits), len(res.Parties))
	}
	for _, n := range notes {
		fmt.Fprintf(w, "Note: %s.\n", n)
	}
	if res.TotalHits > len(res.Hits) {
		fmt.Fprintf(w, "%d of %d hits shown (the policy's limit, with every hit tied with the last).\n", len(res.Hits), res.TotalHits)
	}
	if explain {
		for i, h := range res.Hits {
			if !h.Alert && i > 0 {
				break
			}
			ex := h.Explanation
			fmt.Fprintf(w, "\n%d. %s (%s) %.3f: name %.3f on %q (%s", i+1, h.EntityID, h.Name, h.Score, ex.NameScore, h.MatchedName, ex.NameQuality)
			if ex.NameScript != "" {
				fmt.Fprintf(w, ", %s", ex.NameScript)
			}
			fmt.Fprintln(w, ")")
			for _, t := range ex.Alignment {
				fmt.Fprintf(w, "     %-18s ~ %-18s %-15s %.2f (weight %.2f)\n", t.Query, t.Entity, t.Kind, t.Similarity, t.Weight)
			}
			if len(ex.UnmatchedQuery) > 0 {
				fmt.Fprintf(w, "     unmatched in query:  %s\n", strings.Join(ex.UnmatchedQuery, ", "))
			}
			if len(ex.UnmatchedEntity) > 0 {
				fmt.Fprintf(w, "     unmatched in entity: %s\n", strings.Join(ex.UnmatchedEntity, ", "))
			}
			for _, e := range ex.Evidence {
				fmt.Fprintf(w, "     %-10s %+.3f  query %q, entity %q %s\n", e.Feature, e.Effect, e.Query, e.Entity, e.Note)
			}
		}
	}
	fmt.Fprintf(w, "\npolicy %s", res.Policy[:12])
	if len(res.Lists) > 0 {
		var vs []string
		for _, l := range interdict.Lists {
			if v, ok := res.Lists[l.ID]; ok {
				vs = append(vs, l.ID+"@"+v)
			}
		}
		fmt.Fprintf(w, "; lists %s", strings.Join(vs, " "))
	}
	fmt.Fprintln(w)
}
