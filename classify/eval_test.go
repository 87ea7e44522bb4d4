package classify_test

import (
	"context"
	"os"
	"testing"

	"github.com/interdict/interdict/classify"
)

// TestEval holds the quality floor of issue 5: the expected entry in the top
// 3 for >= 85% of listed items, and no listed verdict for >= 90% of items not
// listed. A scoring change that drops below fails the build.
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
	if r.Items < 150 {
		t.Errorf("eval set has %d items, want >= 150", r.Items)
	}
	if got := r.Recall3(); got < 0.85 {
		t.Errorf("top-3 recall %.3f, want >= 0.85", got)
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
