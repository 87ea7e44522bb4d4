package cli

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interdict/interdict/scan"
	"github.com/spf13/cobra"
)

// newEvalScanCmd is `interdict eval scan`.
func (a *App) newEvalScanCmd() *cobra.Command {
	var splits []string
	var errs, asJSON bool
	var pf policyFlags
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Evaluate document scanning on the labelled set (scan/evaldata)",
		Long: `Eval scan scans every document of the labelled set (news in several
languages, court and government press releases, and clean texts full of
list-like common words) against the bundled snapshot of the public lists, and
prints mention precision and recall by kind (party, place, goods) and, for
parties, by language, and the party mentions found in clean texts (the target
is none). The dev split was used for tuning; the test, test2 and test3 splits
are held out (test2 was written after test had been measured, test3, mostly
Arabic and Persian, after test2).`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := a.policy(pf)
			if err != nil {
				return err
			}
			start := time.Now()
			_, ix, err := a.bundledService(p)
			if err != nil {
				return err
			}
			sc, err := scan.New(ix.Listed, scan.Options{Screener: ix.Screener, Threshold: p.Threshold})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Stderr, "scanner over the bundled lists: %d entities, built in %s; threshold %.2f\n", sc.Entities(), time.Since(start).Round(time.Millisecond), p.Threshold)
			docs, err := scan.EvalSet()
			if err != nil {
				return err
			}
			var reports []*scan.EvalReport
			for _, split := range splits {
				if !slices.Contains(scan.Splits, split) {
					return usageError("--split %q: use one of %s", split, strings.Join(scan.Splits, ", "))
				}
				r, err := scan.Evaluate(cmd.Context(), sc, docs, split)
				if err != nil {
					return err
				}
				reports = append(reports, r)
				if asJSON {
					continue
				}
				r.Print(a.Stdout)
				if errs {
					for _, e := range r.Errors {
						fmt.Fprintf(a.Stdout, "  %s %s %s %q %s\n", e.Doc, e.What, e.Kind, e.Text, e.Listed)
					}
				}
				fmt.Fprintln(a.Stdout)
			}
			if asJSON {
				return writeJSON(a.Stdout, reports)
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&splits, "split", scan.Splits, "splits to run: dev, test, test2, test3")
	cmd.Flags().BoolVar(&errs, "errors", false, "list every missed and spurious mention")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the reports as JSON")
	pf.register(cmd.Flags())
	return cmd
}
