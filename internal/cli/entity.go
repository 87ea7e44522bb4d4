package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/link"
	"github.com/spf13/cobra"
)

func (a *App) newEntityCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "entity",
		Short: "Show listed entities",
	}
	var asJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Print one entity (ID as <list>:<id>, e.g. ofac-sdn:36) with all its names, identifiers, addresses, dates, programs, remarks and relations",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.start(cmd.Context())
			if err != nil {
				return err
			}
			e, v, err := st.lists.FindEntityByID(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			ps, err := currentParties(cmd.Context(), st.lists)
			if err != nil {
				return err
			}
			also, links := ps.Same(e.ID), partyLinks(ps, e.ID)
			if asJSON {
				return writeJSON(a.Stdout, struct {
					*interdict.Entity
					ListVersion int         `json:"list_version"`
					Published   string      `json:"list_published,omitempty"`
					AlsoListed  []string    `json:"also_listed_as"`
					Links       []link.Link `json:"links"`
				}{e, v.Version, v.Published, nonNil(also), nonNil(links)})
			}
			printEntity(a.Stdout, e, v)
			printAlsoListed(a.Stdout, also, links)
			return nil
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.AddCommand(show)
	return cmd
}

func printEntity(w io.Writer, e *interdict.Entity, v *interdict.ListVersion) {
	p := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-15s %s\n", label+":", value)
		}
	}
	info, _ := interdict.LookupList(e.List)
	fmt.Fprintf(w, "%s\n%s\n", e.PrimaryName(), strings.Repeat("=", len([]rune(e.PrimaryName()))))
	p("ID", e.ID)
	p("Kind", string(e.Kind))
	p("List", fmt.Sprintf("%s (%s), version %d, published %s", info.Name, e.List, v.Version, orDash(v.Published)))
	p("Source record", e.SourceID)
	p("Source link", e.SourceURL)
	p("Programs", strings.Join(e.Programs, "; "))
	p("Listed on", e.ListedOn)
	p("Gender", e.Gender)
	p("Nationality", countries(e.Nationalities))
	p("Citizenship", countries(e.Citizenships))
	p("Countries", countries(e.Countries))
	p("Titles", strings.Join(e.Titles, "; "))
	if len(e.Names) > 0 {
		fmt.Fprintln(w, "\nNames:")
		for _, n := range e.Names {
			extra := []string{string(n.Quality)}
			if n.Script != "" {
				extra = append(extra, n.Script)
			}
			if n.Lang != "" {
				extra = append(extra, n.Lang)
			}
			fmt.Fprintf(w, "  %s  (%s)\n", n.Full, strings.Join(extra, ", "))
			for _, pt := range n.Parts {
				fmt.Fprintf(w, "      %s: %s\n", pt.Type, pt.Value)
			}
		}
	}
	if len(e.Identifiers) > 0 {
		fmt.Fprintln(w, "\nIdentifiers:")
		for _, id := range e.Identifiers {
			line := fmt.Sprintf("  %s: %s", id.Type, id.Value)
			if id.Label != "" && !strings.EqualFold(id.Label, string(id.Type)) {
				line += " (" + id.Label + ")"
			}
			if id.Country != "" {
				line += " [" + id.Country + "]"
			}
			if id.Note != "" {
				line += " " + id.Note
			}
			if id.KnownFalse {
				line += " KNOWN FALSE"
			}
			fmt.Fprintln(w, line)
		}
	}
	if len(e.Dates) > 0 {
		fmt.Fprintln(w, "\nDates:")
		for _, d := range e.Dates {
			span := d.From
			if d.To != d.From {
				span = d.From + " to " + d.To
			}
			if span == "" {
				span = "(unreadable)"
			}
			fmt.Fprintf(w, "  %s: %s (%s; as published: %q)\n", d.Type, span, orDash(string(d.Precision)), d.Raw)
		}
	}
	if len(e.BirthPlaces) > 0 {
		fmt.Fprintln(w, "\nPlaces of birth:")
		for _, pl := range e.BirthPlaces {
			fmt.Fprintf(w, "  %s %s\n", pl.Text, bracket(pl.Country))
		}
	}
	if len(e.Addresses) > 0 {
		fmt.Fprintln(w, "\nAddresses:")
		for _, ad := range e.Addresses {
			fmt.Fprintf(w, "  %s %s\n", ad.Line(), bracket(ad.Country))
		}
	}
	if len(e.Relations) > 0 {
		fmt.Fprintln(w, "\nRelations:")
		for _, r := range e.Relations {
			target := r.Target
			if target == "" {
				target = "(not resolved to a listed entity)"
			}
			fmt.Fprintf(w, "  %s %s %s %s\n", r.Type, r.TargetName, target, r.Note)
		}
	}
	if len(e.Remarks) > 0 {
		fmt.Fprintln(w, "\nRemarks:")
		for _, r := range e.Remarks {
			fmt.Fprintf(w, "  %s\n", r)
		}
	}
	if len(e.Attributes) > 0 {
		fmt.Fprintln(w, "\nOther details:")
		for _, k := range sortedKeys(e.Attributes) {
			fmt.Fprintf(w, "  %s: %s\n", k, strings.Join(e.Attributes[k], "; "))
		}
	}
}

// currentParties links the entities of the current version of every list
// into parties (package link).
func currentParties(ctx context.Context, lists interdict.ListStore) (*link.Parties, error) {
	vs, err := lists.FindCurrentVersions(ctx)
	if err != nil {
		return nil, err
	}
	var all []interdict.Entity
	for _, v := range vs {
		es, err := lists.FindEntities(ctx, v.List, v.Version)
		if err != nil {
			return nil, fmt.Errorf("read %s version %d: %w", v.List, v.Version, err)
		}
		all = append(all, es...)
	}
	return link.Build(all), nil
}

// partyLinks returns the links among the records of id's party.
func partyLinks(ps *link.Parties, id string) []link.Link {
	var out []link.Link
	seen := map[link.Link]bool{}
	for _, m := range append([]string{id}, ps.Same(id)...) {
		for _, l := range ps.LinksOf(m) {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

func printAlsoListed(w io.Writer, also []string, links []link.Link) {
	if len(also) == 0 {
		fmt.Fprintln(w, "\nAlso listed as: none (no record of another list is linked to this one)")
		return
	}
	fmt.Fprintln(w, "\nAlso listed as:")
	for _, id := range also {
		l, _, _ := interdict.SplitEntityID(id)
		info, _ := interdict.LookupList(l)
		fmt.Fprintf(w, "  %s  (%s)\n", id, info.Name)
	}
	fmt.Fprintln(w, "Linked because:")
	for _, l := range links {
		fmt.Fprintf(w, "  %s ~ %s: %s %s\n", l.A, l.B, l.Reason, l.Detail)
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func countries(codes []string) string {
	var out []string
	for _, c := range codes {
		if n := country.Name(c); n != "" {
			out = append(out, fmt.Sprintf("%s (%s)", n, c))
		} else {
			out = append(out, c)
		}
	}
	return strings.Join(out, "; ")
}

func bracket(s string) string {
	if s == "" {
		return ""
	}
	return "[" + s + "]"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
