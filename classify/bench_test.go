package classify_test

import (
	"context"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
)

// BenchmarkClassify classifies the lines of the goods and advantech
// evaluation sets in turn (the held-out set is left out so that the
// workload stays the one the figures were first taken on); run with -cpu 2
// for the 2-core figure (items/s is reported).
func BenchmarkClassify(b *testing.B) {
	c := mustClassifier(b)
	set, err := classify.EvalSet()
	if err != nil {
		b.Fatal(err)
	}
	var items []interdict.LineItem
	for _, s := range set {
		if s.Set == classify.EvalSetHeldOut {
			continue
		}
		it := s.Item
		it.Destination = "RU"
		items = append(items, it)
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
