package classify

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/interdict/interdict"
)

//go:embed testdata/eval/goods.csv
var evalGoods []byte

//go:embed testdata/eval/advantech.csv
var evalAdvantech []byte

//go:embed testdata/eval/heldout.csv
var evalHeldOut []byte

// EvalItem is one labelled line of the goods evaluation set.
type EvalItem struct {
	ID          string
	Item        interdict.LineItem
	Expected    []string // alternatives; empty for not listed
	WantVerdict interdict.Verdict
	// WantDecision is the expected decision for the line; when the set
	// gives none, it follows from WantVerdict for a line without
	// destination or end user (see DecisionFor).
	WantDecision interdict.GoodsDecision
	// Everyday marks everyday goods (basis "everyday ..."), which should
	// get no candidate at all.
	Everyday bool
	Set      string
}

// Evaluation sets of EvalSet.
const (
	EvalSetGoods     = "goods"     // testdata/eval/goods.csv
	EvalSetAdvantech = "advantech" // testdata/eval/advantech.csv
	EvalSetHeldOut   = "heldout"   // testdata/eval/heldout.csv, never tuned on
)

// DecisionFor is the decision a line without destination, end user or end
// use gets for a verdict: listed goods need a licence, candidates a
// review.
func DecisionFor(v interdict.Verdict) interdict.GoodsDecision {
	switch v {
	case interdict.VerdictListed:
		return interdict.DecisionLicenceRequired
	case interdict.VerdictCandidate:
		return interdict.DecisionReview
	}
	return interdict.DecisionNoLicenceRequired
}

// EvalSet returns the bundled evaluation set (testdata/eval, see its
// README.md): hand-written lines, the Advantech manufacturer ECCNs and the
// held-out lines written after the classifier was last tuned.
func EvalSet() ([]EvalItem, error) {
	items, err := ReadEvalSet(bytes.NewReader(evalGoods), EvalSetGoods)
	if err != nil {
		return nil, err
	}
	held, err := ReadEvalSet(bytes.NewReader(evalHeldOut), EvalSetHeldOut)
	if err != nil {
		return nil, fmt.Errorf("heldout.csv: %w", err)
	}
	r := csv.NewReader(bytes.NewReader(evalAdvantech))
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read advantech.csv: %w", err)
	}
	for _, row := range rows[1:] {
		it := EvalItem{ID: row[0], Item: interdict.LineItem{Ref: row[0], Description: row[1]}, Set: EvalSetAdvantech,
			WantVerdict: interdict.VerdictCandidate}
		if row[2] == "EAR99" {
			it.WantVerdict = interdict.VerdictNotListed
		} else {
			it.Expected = []string{row[2]}
		}
		it.WantDecision = DecisionFor(it.WantVerdict)
		items = append(items, it)
	}
	return append(items, held...), nil
}

// evalColumns are the columns an evaluation CSV must have.
var evalColumns = []string{"id", "description", "hs", "expected_entry", "expected_verdict"}

// ReadEvalSet reads an evaluation CSV with a header naming the columns id,
// description, hs, expected_entry ("not-listed" or codes separated by
// "|"), expected_verdict, and optionally basis, destination, address,
// end_use and expected_decision. Lines starting with # are comments.
func ReadEvalSet(rd io.Reader, set string) ([]EvalItem, error) {
	r := csv.NewReader(rd)
	r.Comment = '#'
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read eval set %s: %w", set, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("eval set %s: no header", set)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range evalColumns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("eval set %s: no column %q in the header", set, c)
		}
	}
	var out []EvalItem
	for i, row := range rows[1:] {
		get := func(name string) string {
			if k, ok := col[name]; ok && k < len(row) {
				return strings.TrimSpace(row[k])
			}
			return ""
		}
		if len(row) < len(evalColumns) {
			return nil, fmt.Errorf("eval set %s record %d: want at least %d columns, got %d", set, i+1, len(evalColumns), len(row))
		}
		it := EvalItem{ID: get("id"), Item: interdict.LineItem{Ref: get("id"), Description: get("description"), HSCode: get("hs"),
			Destination: get("destination"), Address: get("address"), EndUse: get("end_use")},
			WantVerdict: interdict.Verdict(get("expected_verdict")), Set: set, Everyday: strings.HasPrefix(get("basis"), "everyday")}
		switch it.WantVerdict {
		case interdict.VerdictListed, interdict.VerdictCandidate, interdict.VerdictNotListed:
		default:
			return nil, fmt.Errorf("eval set %s record %d (%s): expected_verdict %q is not listed, candidate or not-listed", set, i+1, it.ID, it.WantVerdict)
		}
		if e := get("expected_entry"); e != "not-listed" {
			it.Expected = strings.Split(e, "|")
		}
		it.WantDecision = interdict.GoodsDecision(get("expected_decision"))
		if it.WantDecision == "" {
			it.WantDecision = DecisionFor(it.WantVerdict)
		} else if it.WantDecision.Severity() < 0 {
			return nil, fmt.Errorf("eval set %s record %d (%s): expected_decision %q is not a decision", set, i+1, it.ID, it.WantDecision)
		}
		out = append(out, it)
	}
	return out, nil
}

// EvalReport holds the figures printed by `interdict eval goods`.
type EvalReport struct {
	Items, Listed, NotListed int
	// Top3Hits counts listed items with an expected entry in the top 3.
	Top3Hits int
	// Top3Returned counts items with at least one candidate at or above
	// CandidateThreshold; Top3Correct those among them whose top 3 holds an
	// expected entry (items expected not listed are never correct).
	Top3Returned, Top3Correct int
	// NotListedClean counts items expected not listed that got no listed
	// verdict.
	NotListedClean int
	// Confusion[want][got] counts three-way verdicts.
	Confusion map[interdict.Verdict]map[interdict.Verdict]int
	// DecisionCorrect counts items with the expected decision.
	DecisionCorrect int
	// Everyday counts everyday goods; EverydayClean those with a
	// not-listed verdict and no candidate at all (excluded entries aside).
	Everyday, EverydayClean int
	Misses                  []string
	// BySet holds the same figures per evaluation set (goods, advantech,
	// heldout); nil inside a per-set report.
	BySet map[string]*EvalReport
}

// DecisionAccuracy is the share of items with the expected decision.
func (r *EvalReport) DecisionAccuracy() float64 { return ratio(r.DecisionCorrect, r.Items) }

// EverydayRate is the share of everyday goods with no candidate.
func (r *EvalReport) EverydayRate() float64 { return ratio(r.EverydayClean, r.Everyday) }

// Recall3 is the share of listed items with the right entry in the top 3.
func (r *EvalReport) Recall3() float64 { return ratio(r.Top3Hits, r.Listed) }

// Precision3 is the share of items with candidates whose top 3 is right.
func (r *EvalReport) Precision3() float64 { return ratio(r.Top3Correct, r.Top3Returned) }

// NotListedRate is the share of not-listed items without a listed verdict.
func (r *EvalReport) NotListedRate() float64 { return ratio(r.NotListedClean, r.NotListed) }

// VerdictPR returns precision and recall of one verdict class.
func (r *EvalReport) VerdictPR(v interdict.Verdict) (precision, recall float64) {
	var tp, pred, actual int
	for want, row := range r.Confusion {
		for got, n := range row {
			if got == v {
				pred += n
			}
			if want == v {
				actual += n
				if got == v {
					tp += n
				}
			}
		}
	}
	return ratio(tp, pred), ratio(tp, actual)
}

// Accuracy is the share of items with the expected three-way verdict.
func (r *EvalReport) Accuracy() float64 {
	n := 0
	for v, row := range r.Confusion {
		n += row[v]
	}
	return ratio(n, r.Items)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// EntryMatches reports whether a candidate code meets an expected code:
// equal, or one a sub-item of the other (2B350 meets 2B350.i; 5A991.b.1
// meets 5A991).
func EntryMatches(got, want string) bool {
	return got == want || strings.HasPrefix(got, want+".") || strings.HasPrefix(want, got+".")
}

// Evaluate classifies every item and computes the report, overall and per
// set.
func Evaluate(ctx context.Context, c *Classifier, items []EvalItem) (*EvalReport, error) {
	all := &EvalReport{Confusion: map[interdict.Verdict]map[interdict.Verdict]int{}, BySet: map[string]*EvalReport{}}
	for _, it := range items {
		res, err := c.Classify(ctx, it.Item)
		if interdict.ErrorCode(err) == interdict.EINVALID {
			// A line the classifier refuses (an unknown destination) counts
			// as wrong on every figure.
			all.Misses = append(all.Misses, fmt.Sprintf("%s refused: %s", it.ID, interdict.ErrorMessage(err)))
			res = &interdict.Classification{Item: it.Item, Verdict: "refused", Decision: "refused"}
		} else if err != nil {
			return nil, fmt.Errorf("classify %s: %w", it.ID, err)
		}
		set := all.BySet[it.Set]
		if set == nil {
			set = &EvalReport{Confusion: map[interdict.Verdict]map[interdict.Verdict]int{}}
			all.BySet[it.Set] = set
		}
		all.add(it, res, true)
		set.add(it, res, false)
	}
	return all, nil
}

// add counts one classified item; misses are recorded when keep is true.
func (r *EvalReport) add(it EvalItem, res *interdict.Classification, keep bool) {
	miss := func(format string, a ...any) {
		if keep {
			r.Misses = append(r.Misses, fmt.Sprintf(format, a...))
		}
	}
	r.Items++
	var top []string
	for _, cd := range res.Candidates {
		if cd.Status == "excluded" || cd.Score < CandidateThreshold || len(top) == 3 {
			continue
		}
		top = append(top, cd.Entry)
	}
	hit := false
	for _, g := range top {
		for _, w := range it.Expected {
			if EntryMatches(g, w) {
				hit = true
			}
		}
	}
	if len(it.Expected) > 0 {
		r.Listed++
		if hit {
			r.Top3Hits++
		} else {
			miss("%s top3 %v want %v: %s", it.ID, top, it.Expected, it.Item.Description)
		}
	} else {
		r.NotListed++
		if res.Verdict != interdict.VerdictListed {
			r.NotListedClean++
		} else {
			miss("%s LISTED %v want not listed: %s", it.ID, top, it.Item.Description)
		}
	}
	if len(top) > 0 {
		r.Top3Returned++
		if hit {
			r.Top3Correct++
		}
	}
	if r.Confusion[it.WantVerdict] == nil {
		r.Confusion[it.WantVerdict] = map[interdict.Verdict]int{}
	}
	r.Confusion[it.WantVerdict][res.Verdict]++
	if it.WantVerdict != res.Verdict {
		miss("%s verdict %s want %s: %s", it.ID, res.Verdict, it.WantVerdict, it.Item.Description)
	}
	if res.Decision == it.WantDecision {
		r.DecisionCorrect++
	} else {
		miss("%s decision %s want %s: %s", it.ID, res.Decision, it.WantDecision, it.Item.Description)
	}
	if it.Everyday {
		r.Everyday++
		clean := res.Verdict == interdict.VerdictNotListed
		for _, cd := range res.Candidates {
			if cd.Status != "excluded" {
				clean = false
			}
		}
		if clean {
			r.EverydayClean++
		} else {
			miss("%s everyday goods with candidates %v: %s", it.ID, top, it.Item.Description)
		}
	}
}

// Print writes the report as text.
func (r *EvalReport) Print(w io.Writer) {
	fmt.Fprintf(w, "goods evaluation: %d items (%d expected listed, %d expected not listed)\n", r.Items, r.Listed, r.NotListed)
	fmt.Fprintf(w, "top-3 candidates: recall %.1f%% (%d/%d listed items with the expected entry in the top 3), precision %.1f%% (%d/%d items with candidates)\n",
		100*r.Recall3(), r.Top3Hits, r.Listed, 100*r.Precision3(), r.Top3Correct, r.Top3Returned)
	fmt.Fprintf(w, "not listed without a listed verdict: %.1f%% (%d/%d)\n", 100*r.NotListedRate(), r.NotListedClean, r.NotListed)
	fmt.Fprintf(w, "everyday goods without any candidate: %.1f%% (%d/%d)\n", 100*r.EverydayRate(), r.EverydayClean, r.Everyday)
	fmt.Fprintf(w, "three-way verdict accuracy %.1f%%\n", 100*r.Accuracy())
	for _, v := range []interdict.Verdict{interdict.VerdictListed, interdict.VerdictCandidate, interdict.VerdictNotListed} {
		p, rc := r.VerdictPR(v)
		fmt.Fprintf(w, "  %-10s precision %5.1f%%  recall %5.1f%%\n", v, 100*p, 100*rc)
	}
	fmt.Fprintf(w, "decision accuracy %.1f%% (%d/%d)\n", 100*r.DecisionAccuracy(), r.DecisionCorrect, r.Items)
	sets := make([]string, 0, len(r.BySet))
	for k := range r.BySet {
		sets = append(sets, k)
	}
	sort.Strings(sets)
	for _, k := range sets {
		s := r.BySet[k]
		fmt.Fprintf(w, "  set %-10s %3d items: top-3 recall %5.1f%% (%d/%d), verdict accuracy %5.1f%%, decision accuracy %5.1f%%, everyday without candidates %5.1f%% (%d/%d)\n",
			k, s.Items, 100*s.Recall3(), s.Top3Hits, s.Listed, 100*s.Accuracy(), 100*s.DecisionAccuracy(), 100*s.EverydayRate(), s.EverydayClean, s.Everyday)
	}
}
