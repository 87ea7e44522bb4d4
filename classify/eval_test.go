package classify_test

import (
	"context"
	"os"
	"testing"

	"github.com/interdict/interdict/classify"
)

// TestEval holds the quality floor: at least 300 items, a third of them
// held out; the expected entry in the top 3 for >= 90% of listed items, no
// listed verdict for >= 90% of items not listed, no candidate at all for
// >= 95% of everyday goods, and the expected decision for >= 80% of lines.
// A scoring change that drops below fails the build.
func TestEval(t *testing.T) {
	c := mustClassifier(t)
	items, err := classify.EvalSet()
	if err != nil {
		t.Fatal(err)
	}
	r, err := classify.Evaluate(context.Background(), c, items)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		r.Print(os.Stderr)
		for _, m := range r.Misses {
			t.Log(m)
		}
	}
	if r.Items < 300 {
		t.Errorf("eval set has %d items, want >= 300", r.Items)
	}
	if h := r.BySet[classify.EvalSetHeldOut]; h == nil || 3*h.Items < r.Items {
		t.Errorf("held-out set: %+v, want a third of %d items", h, r.Items)
	}
	if got := r.Recall3(); got < 0.90 {
		t.Errorf("top-3 recall %.3f, want >= 0.90", got)
	}
	if got := r.EverydayRate(); got < 0.95 {
		t.Errorf("everyday goods without candidates %.3f, want >= 0.95", got)
	}
	if got := r.DecisionAccuracy(); got < 0.80 {
		t.Errorf("decision accuracy %.3f, want >= 0.80", got)
	}
	if got := r.NotListedRate(); got < 0.90 {
		t.Errorf("not-listed items without a listed verdict %.3f, want >= 0.90", got)
	}
}

func mustClassifier(tb testing.TB) *classify.Classifier {
	tb.Helper()
	c, err := classify.New(classify.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
