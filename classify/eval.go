package classify

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/interdict/interdict"
)

//go:embed testdata/eval/goods.csv
var evalGoods []byte

//go:embed testdata/eval/advantech.csv
var evalAdvantech []byte

// EvalItem is one labelled line of the goods evaluation set.
type EvalItem struct {
	ID          string
	Item        interdict.LineItem
	Expected    []string // alternatives; empty for not listed
	WantVerdict interdict.Verdict
	Set         string
}

// EvalSet returns the bundled evaluation set (testdata/eval, see its
// README.md): hand-written lines and the Advantech manufacturer ECCNs.
func EvalSet() ([]EvalItem, error) {
	items, err := ReadEvalSet(bytes.NewReader(evalGoods), "goods")
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(evalAdvantech))
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read advantech.csv: %w", err)
	}
	for _, row := range rows[1:] {
		it := EvalItem{ID: row[0], Item: interdict.LineItem{Ref: row[0], Description: row[1]}, Set: "advantech",
			WantVerdict: interdict.VerdictCandidate}
		if row[2] == "EAR99" {
			it.WantVerdict = interdict.VerdictNotListed
		} else {
			it.Expected = []string{row[2]}
		}
		items = append(items, it)
	}
	return items, nil
}

// ReadEvalSet reads an evaluation CSV with the columns id, description, hs,
// expected_entry ("not-listed" or codes separated by "|"), expected_verdict.
func ReadEvalSet(rd io.Reader, set string) ([]EvalItem, error) {
	rows, err := csv.NewReader(rd).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read eval set: %w", err)
	}
	var out []EvalItem
	for i, row := range rows {
		if i == 0 {
			continue
		}
		if len(row) < 5 {
			return nil, fmt.Errorf("eval set line %d: want 5 columns, got %d", i+1, len(row))
		}
		it := EvalItem{ID: row[0], Item: interdict.LineItem{Ref: row[0], Description: row[1], HSCode: row[2]},
			WantVerdict: interdict.Verdict(row[4]), Set: set}
		if row[3] != "not-listed" {
			it.Expected = strings.Split(row[3], "|")
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
	Misses    []string
}

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

// Evaluate classifies every item and computes the report.
func Evaluate(ctx context.Context, c *Classifier, items []EvalItem) (*EvalReport, error) {
	r := &EvalReport{Confusion: map[interdict.Verdict]map[interdict.Verdict]int{}}
	for _, it := range items {
		res, err := c.Classify(ctx, it.Item)
		if err != nil {
			return nil, fmt.Errorf("classify %s: %w", it.ID, err)
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
				r.Misses = append(r.Misses, fmt.Sprintf("%s top3 %v want %v: %s", it.ID, top, it.Expected, it.Item.Description))
			}
		} else {
			r.NotListed++
			if res.Verdict != interdict.VerdictListed {
				r.NotListedClean++
			} else {
				r.Misses = append(r.Misses, fmt.Sprintf("%s LISTED %v want not listed: %s", it.ID, top, it.Item.Description))
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
			r.Misses = append(r.Misses, fmt.Sprintf("%s verdict %s want %s: %s", it.ID, res.Verdict, it.WantVerdict, it.Item.Description))
		}
	}
	return r, nil
}

// Print writes the report as text.
func (r *EvalReport) Print(w io.Writer) {
	fmt.Fprintf(w, "goods evaluation: %d items (%d expected listed, %d expected not listed)\n", r.Items, r.Listed, r.NotListed)
	fmt.Fprintf(w, "top-3 candidates: recall %.1f%% (%d/%d listed items with the expected entry in the top 3), precision %.1f%% (%d/%d items with candidates)\n",
		100*r.Recall3(), r.Top3Hits, r.Listed, 100*r.Precision3(), r.Top3Correct, r.Top3Returned)
	fmt.Fprintf(w, "not listed without a listed verdict: %.1f%% (%d/%d)\n", 100*r.NotListedRate(), r.NotListedClean, r.NotListed)
	fmt.Fprintf(w, "three-way verdict accuracy %.1f%%\n", 100*r.Accuracy())
	for _, v := range []interdict.Verdict{interdict.VerdictListed, interdict.VerdictCandidate, interdict.VerdictNotListed} {
		p, rc := r.VerdictPR(v)
		fmt.Fprintf(w, "  %-10s precision %5.1f%%  recall %5.1f%%\n", v, 100*p, 100*rc)
	}
}
