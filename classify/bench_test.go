package classify_test

import (
	"context"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
)

// BenchmarkClassify classifies the evaluation set's lines in turn; run with
// -cpu 2 for the 2-core figure (items/s is reported).
func BenchmarkClassify(b *testing.B) {
	c := mustClassifier(b)
	set, err := classify.EvalSet()
	if err != nil {
		b.Fatal(err)
	}
	items := make([]interdict.LineItem, len(set))
	for i, s := range set {
		items[i] = s.Item
		items[i].Destination = "RU"
	}
	ctx := context.Background()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := c.Classify(ctx, items[i%len(items)]); err != nil {
				b.Error(err)
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}
