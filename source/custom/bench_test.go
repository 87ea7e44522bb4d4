package custom_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/custom"
)

// benchCSV is a semicolon CSV of n parties, every column of a custom list
// filled.
func benchCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("Client No;Full Name;Type;Date of Birth;Nationality;Aliases;Passport;Address;Remarks;Listed Since;Reason\n")
	for i := range n {
		fmt.Fprintf(&b, "C-%d;Person Number%d Example;individual;%02d.%02d.%d;Germany;\"P. Example %d; Number%d Example\";X%07d;Street %d, Berlin;exited;2024-01-%02d;Exited customer\n",
			i, i, i%28+1, i%12+1, 1940+i%60, i, i, i, i, i%28+1)
	}
	return []byte(b.String())
}

// BenchmarkParse reads a 10,000-row custom list; the baseline is reading
// the same file with package batch alone (BenchmarkParse/batch-only), so
// the ratio is what mapping rows to entities costs.
func BenchmarkParse(b *testing.B) {
	data := benchCSV(10_000)
	ft := custom.Formats("bench", custom.Options{})[0]
	b.Run("custom", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			res, err := source.Parse(ft, "bench", []source.File{{Name: "bench.csv", Data: data}})
			if err != nil || len(res.Entities) != 10_000 {
				b.Fatalf("%v: %d entities", err, len(res.Entities))
			}
		}
	})
	b.Run("batch-only", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if n := readAll(b, data); n != 10_000 {
				b.Fatalf("%d records", n)
			}
		}
	})
}

// readAll reads every record of data with package batch and checks each
// query, as the custom reader does before mapping.
func readAll(tb testing.TB, data []byte) int {
	tb.Helper()
	rd, err := batch.Open(bytes.NewReader(data), "bench.csv", batch.ReadOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	defer rd.Close()
	n := 0
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			tb.Fatal(err)
		}
		if _, _, err := rec.Query.Check(interdict.CheckOptions{Country: country.Resolve}); err == nil {
			n++
		}
	}
}
