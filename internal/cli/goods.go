package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
	"github.com/interdict/interdict/country"
	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"
)

func init() { extraCommands = append(extraCommands, (*App).newGoodsCmd) }

// goodsOptions are the flags of `goods classify`.
type goodsOptions struct {
	HS          string
	Destination string
	Address     string
	EndUser     string
	JSON        bool
	Input       string
	Output      string
}

func (a *App) newGoodsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "goods",
		Short: "Classify goods line items against dual-use and export-control lists",
	}
	cmd.AddCommand(a.newGoodsClassifyCmd())
	return cmd
}

func (a *App) newGoodsClassifyCmd() *cobra.Command {
	var opts goodsOptions
	cmd := &cobra.Command{
		Use:   "classify [--hs CODE] [--destination CC] [--end-user NAME] [--json] DESCRIPTION | --input FILE [--output FILE]",
		Short: "Propose control entries for a line item or a whole order or invoice",
		Long: `Classify proposes EU Annex I (Reg. 2021/821, incl. Category 0) and US CCL entries
for a goods description, with three signals: the tariff code (CHPL tier and
related entries), the technical terms matched in the entry text, and the
parameters that decide control but are not stated. The verdict is listed,
candidate or not-listed. With --destination the embargoes, dual-use bans and a
simplified country-chart licence summary are added; with --end-user the end
user goes through party screening when a screener is configured.

Batch: --input reads CSV or XLSX with the columns description, hs, quantity,
value, destination, end_user (address optional); --output writes CSV, XLSX or
JSON (by extension; CSV for "-", the default).

Each line gets one decision first: prohibited, licence-required, review or
no-licence-required, with its reasons (the end user's listing, the destination
rule, the control entry). A listed end user or an embargoed destination
decides the line whatever the goods are. The verdict, candidates, destination
and end-user sections follow as the evidence. An unknown --destination is an
error; leave it out to judge the goods alone.

Exit codes: 0 every line is no-licence-required, 1 error (including an
unknown destination), 2 usage, 3 a line's decision is prohibited,
licence-required or review.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Input != "" && len(args) > 0 {
				return usageError("give either DESCRIPTION or --input, not both (see 'interdict goods classify --help')")
			}
			if opts.Input == "" && len(args) != 1 {
				return usageError("goods classify takes one DESCRIPTION or --input FILE (see 'interdict goods classify --help')")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Input != "" {
				return a.runGoodsBatch(cmd.Context(), opts)
			}
			return a.runGoodsClassify(cmd.Context(), args[0], opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.HS, "hs", "", "tariff code (HS-6, CN-8, TARIC or HTS)")
	f.StringVar(&opts.Destination, "destination", "", "destination country (ISO code or name)")
	f.StringVar(&opts.Address, "address", "", "delivery address (searched for sanctioned regions such as Crimea)")
	f.StringVar(&opts.EndUser, "end-user", "", "end user name (screened against the party lists when a screener is configured)")
	f.BoolVar(&opts.JSON, "json", false, "print JSON")
	f.StringVar(&opts.Input, "input", "", "batch input: CSV or XLSX file, - for CSV on stdin")
	f.StringVar(&opts.Output, "output", "-", "batch output: .csv, .xlsx or .json file, - for CSV on stdout")
	return cmd
}

// goodsClassifier builds the classifier. When endUsers is true, end users
// are screened against the current lists with the default policy (building
// the index takes a second or two, so it is done only then).
func (a *App) goodsClassifier(ctx context.Context, endUsers bool) (*classify.Classifier, error) {
	opts := classify.Options{CountryCode: country.Code, CountryName: country.Name}
	if endUsers {
		p, err := a.policy(policyFlags{})
		if err != nil {
			return nil, err
		}
		s, err := a.service(ctx, p)
		if err != nil {
			return nil, err
		}
		opts.Screener = s
	}
	return classify.New(opts)
}

func (a *App) runGoodsClassify(ctx context.Context, desc string, opts goodsOptions) error {
	c, err := a.goodsClassifier(ctx, opts.EndUser != "")
	if err != nil {
		return err
	}
	item := interdict.LineItem{Description: desc, HSCode: opts.HS, Destination: opts.Destination, Address: opts.Address, EndUser: opts.EndUser}
	res, err := c.Classify(ctx, item)
	if err != nil {
		return err
	}
	if opts.JSON {
		if err := writeJSON(a.Stdout, res); err != nil {
			return err
		}
	} else {
		printClassification(a.Stdout, res)
	}
	if res.Decision != interdict.DecisionNoLicenceRequired {
		return &exitError{code: ExitMatch}
	}
	return nil
}

func printClassification(w io.Writer, res *interdict.Classification) {
	fmt.Fprintf(w, "DECISION: %s\n", strings.ToUpper(string(res.Decision)))
	for _, r := range res.Reasons {
		fmt.Fprintf(w, "  %-19s %-11s %s", r.Decision, r.Source, r.Text)
		if r.LegalBasis != "" && r.Source == interdict.ReasonDestination {
			fmt.Fprintf(w, " [%s]", r.LegalBasis)
		}
		fmt.Fprintln(w)
		if len(r.Missing) > 0 {
			fmt.Fprintf(w, "  %-19s %-11s still needed: %s\n", "", "", strings.Join(r.Missing, "; "))
		}
	}
	fmt.Fprintln(w, "\nEvidence")
	fmt.Fprintf(w, "verdict: %s\n", strings.ToUpper(string(res.Verdict)))
	fmt.Fprintf(w, "basis:   %s\n", res.Basis)
	if t := res.Tariff; t != nil {
		fmt.Fprintf(w, "tariff:  HS %s %s", t.HS6, t.Description)
		if t.CHPLTier != "" {
			fmt.Fprintf(w, " [CHPL tier %s]", t.CHPLTier)
		}
		if len(t.Related) > 0 {
			fmt.Fprintf(w, "; related entries %s", strings.Join(t.Related, ", "))
		}
		fmt.Fprintln(w)
	}
	if len(res.Candidates) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "\nENTRY\tREGIME\tSCORE\tSTATUS\tMATCHED TERMS")
		for _, c := range res.Candidates {
			fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s\t%s\n", c.Entry, c.Regime, c.Score, c.Status, strings.Join(c.MatchedTerms, ", "))
		}
		tw.Flush()
		for _, c := range res.Candidates {
			if c.Status == "excluded" && len(c.Parameters) == 0 {
				continue
			}
			fmt.Fprintf(w, "\n%s: %s\n", c.Entry, clipText(c.Text, 300))
			for _, p := range c.Parameters {
				mark := "met"
				if !p.Met {
					mark = "NOT met"
				}
				fmt.Fprintf(w, "  stated  %s: %s (%s: %s)\n", p.Name, p.Stated, mark, p.Threshold)
			}
			for _, m := range c.MissingParameters {
				fmt.Fprintf(w, "  missing %s\n", m)
			}
		}
	}
	if d := res.Destination; d != nil {
		fmt.Fprintf(w, "\ndestination: %s %s", d.Country, d.Name)
		if d.Region != "" {
			fmt.Fprintf(w, " (region %s)", d.Region)
		}
		if d.Attention {
			fmt.Fprint(w, " — ATTENTION")
		}
		fmt.Fprintln(w)
		for _, m := range d.Measures {
			fmt.Fprintf(w, "  %s %s (%s): %s [%s]\n", m.Authority, m.Kind, m.Applies, m.Summary, m.LegalBasis)
		}
		for _, l := range d.Licence {
			req := "no licence"
			if l.Required {
				req = "LICENCE REQUIRED"
			}
			fmt.Fprintf(w, "  %s %s %s: %s (%s)\n", l.Entry, l.Reason, l.Column, req, l.Basis)
		}
		for _, n := range d.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
	}
	if e := res.EndUser; e != nil {
		fmt.Fprintf(w, "\nend user: %s", e.Name)
		switch {
		case !e.Screened:
			fmt.Fprintf(w, " (not screened: %s)\n", e.Note)
		case e.Attention:
			fmt.Fprintf(w, " — ATTENTION: %d hit(s)\n", len(e.Hits))
		default:
			fmt.Fprintln(w, " — no alerting hit")
		}
	}
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

var batchColumns = []string{"description", "hs", "quantity", "value", "destination", "end_user", "address"}

func (a *App) readBatch(path string) ([]interdict.LineItem, error) {
	var rows [][]string
	switch {
	case path == "-":
		r, err := csv.NewReader(a.Stdin).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("read stdin: %w", err)
		}
		rows = r
	case strings.EqualFold(filepath.Ext(path), ".xlsx"):
		f, err := excelize.OpenFile(path)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, interdict.Errorf(interdict.EINVALID, "%s has no sheet", path)
		}
		if rows, err = f.GetRows(sheets[0]); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	default:
		fh, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		r := csv.NewReader(fh)
		r.FieldsPerRecord = -1
		if rows, err = r.ReadAll(); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	if len(rows) == 0 {
		return nil, interdict.Errorf(interdict.EINVALID, "%s is empty", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		k := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(h, " ", "_")))
		k = strings.TrimPrefix(k, "\ufeff")
		col[k] = i
	}
	if _, ok := col["description"]; !ok {
		return nil, usageError("%s: no description column (want columns %s)", path, strings.Join(batchColumns, ", "))
	}
	cell := func(r []string, name string) string {
		if i, ok := col[name]; ok && i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	var items []interdict.LineItem
	for n, r := range rows[1:] {
		it := interdict.LineItem{Ref: fmt.Sprint(n + 2), Description: cell(r, "description"), HSCode: cell(r, "hs"),
			Quantity: cell(r, "quantity"), Value: cell(r, "value"), Destination: cell(r, "destination"),
			EndUser: cell(r, "end_user"), Address: cell(r, "address")}
		if it.Description == "" && it.HSCode == "" {
			continue
		}
		items = append(items, it)
	}
	return items, nil
}

func (a *App) runGoodsBatch(ctx context.Context, opts goodsOptions) error {
	items, err := a.readBatch(opts.Input)
	if err != nil {
		return err
	}
	endUsers := false
	for _, it := range items {
		endUsers = endUsers || it.EndUser != ""
	}
	c, err := a.goodsClassifier(ctx, endUsers)
	if err != nil {
		return err
	}
	var results []*interdict.Classification
	attention := false
	for _, it := range items {
		if opts.Destination != "" && it.Destination == "" {
			it.Destination = opts.Destination
		}
		res, err := c.Classify(ctx, it)
		if err != nil {
			return fmt.Errorf("line %s: %w", it.Ref, err)
		}
		attention = attention || res.Decision != interdict.DecisionNoLicenceRequired
		results = append(results, res)
	}
	if err := a.writeBatch(opts.Output, results, opts.JSON); err != nil {
		return err
	}
	if attention {
		return &exitError{code: ExitMatch}
	}
	return nil
}

var batchOut = []string{"line", "decision", "reasons", "description", "hs", "quantity", "value", "destination", "end_user", "verdict",
	"entries", "top_score", "matched_terms", "missing_parameters", "chpl_tier", "destination_attention",
	"licence", "end_user_attention", "basis"}

func batchRow(r *interdict.Classification) []string {
	var entries, matched, missing []string
	top := ""
	for i, c := range r.Candidates {
		if c.Status == "excluded" {
			continue
		}
		if top == "" {
			top = fmt.Sprintf("%.2f", c.Score)
		}
		entries = append(entries, c.Entry)
		if i < 3 {
			matched = append(matched, c.Entry+": "+strings.Join(c.MatchedTerms, ", "))
			if len(c.MissingParameters) > 0 {
				missing = append(missing, c.Entry+": "+strings.Join(c.MissingParameters, "; "))
			}
		}
	}
	chpl, dest, lic, eu := "", "", "", ""
	if r.Tariff != nil {
		chpl = r.Tariff.CHPLTier
	}
	if d := r.Destination; d != nil {
		dest = fmt.Sprint(d.Attention)
		var ls []string
		for _, l := range d.Licence {
			if l.Required {
				ls = append(ls, l.Entry+" "+l.Reason)
			}
		}
		lic = strings.Join(ls, "; ")
	}
	if r.EndUser != nil {
		eu = fmt.Sprint(r.EndUser.Attention)
		if !r.EndUser.Screened {
			eu = "not screened"
		}
	}
	var reasons []string
	for _, rs := range r.Reasons {
		reasons = append(reasons, string(rs.Decision)+": "+rs.Text)
	}
	it := r.Item
	return []string{it.Ref, string(r.Decision), strings.Join(reasons, " | "), it.Description, it.HSCode, it.Quantity, it.Value, it.Destination, it.EndUser, string(r.Verdict),
		strings.Join(entries, " "), top, strings.Join(matched, " | "), strings.Join(missing, " | "), chpl, dest, lic, eu, r.Basis}
}

func (a *App) writeBatch(path string, results []*interdict.Classification, asJSON bool) error {
	ext := strings.ToLower(filepath.Ext(path))
	if asJSON || ext == ".json" {
		out := a.Stdout
		if path != "-" {
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			defer f.Close()
			out = f
		}
		return writeJSON(out, map[string]any{"results": results})
	}
	if ext == ".xlsx" {
		f := excelize.NewFile()
		defer f.Close()
		sheet := f.GetSheetName(0)
		rows := [][]string{batchOut}
		for _, r := range results {
			rows = append(rows, batchRow(r))
		}
		for i, row := range rows {
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if err := f.SetCellStr(sheet, cell, v); err != nil {
					return err
				}
			}
		}
		return f.SaveAs(path)
	}
	out := a.Stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	w := csv.NewWriter(out)
	w.Write(batchOut)
	for _, r := range results {
		w.Write(batchRow(r))
	}
	w.Flush()
	return w.Error()
}
