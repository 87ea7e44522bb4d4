package batch_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/interdict/interdict/batch"
)

// BenchmarkRun_CSV reads, checks, screens (with the fake screener) and
// writes 10,000 CSV rows: the pipeline's own cost per row.
func BenchmarkRun_CSV(b *testing.B) {
	in := bigCSV(10000, nil)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		rd, err := batch.Open(bytes.NewReader(in), "bench.csv", batch.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		wr, _ := batch.NewWriter(io.Discard, "csv", rd.Header())
		if _, err := batch.Run(context.Background(), rd, fakeScreener{}, wr, batch.RunOptions{Check: checkOpts}); err != nil {
			b.Fatal(err)
		}
	}
}
