package ftm_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source/ftm"
)

// streamAll streams data and returns the entities and the result.
func streamAll(t testing.TB, data []byte) ([]interdict.Entity, *ftm.StreamResult, error) {
	t.Helper()
	var out []interdict.Entity
	res, err := ftm.Stream(bytes.NewReader(data), ftm.StreamOptions{List: interdict.ListFTM, Name: "in.ftm.json"}, func(e *interdict.Entity) error {
		out = append(out, *e)
		return nil
	})
	return out, res, err
}

// TestStream_AsParsePerLine: Stream maps each line as Parse maps that line
// alone, on the real OpenSanctions sample and the package's own file.
func TestStream_AsParsePerLine(t *testing.T) {
	for _, path := range []string{filepath.Join(realDir, "yente_t1_entities.ftm.json"), "testdata/entities.ftm.json"} {
		data := mustRead(t, path)
		var want []interdict.Entity
		warnings := 0
		for _, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) == "" {
				continue
			}
			res := parse(t, ftm.FormatJSON, file("in.ftm.json", l))
			want = append(want, res.Entities...)
			warnings += res.Report.Warnings
		}
		got, res, err := streamAll(t, data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(got) == 0 {
			t.Fatalf("%s: no entity streamed", path)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: streamed entities differ from the lines parsed one by one (-want +got):\n%s", path, d)
		}
		if res.Report.Entities != len(got) || res.Report.Warnings != warnings {
			t.Errorf("%s: report %+v, want %d entities and %d warnings", path, res.Report, len(got), warnings)
		}
	}
}

func TestStream_BadInput(t *testing.T) {
	good := `{"id":"p1","schema":"Person","properties":{"name":["Ivan Petrov"]}}`
	// A cut last line refuses the input.
	_, _, err := streamAll(t, []byte(good+"\n"+`{"id":"p2","schema":"Per`))
	if err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Errorf("cut input: err %v, want a cut-short error", err)
	}
	// A bad line in the middle is skipped and named.
	got, res, err := streamAll(t, []byte(good+"\nnot json\n"+strings.Replace(good, "p1", "p3", 1)+"\n"))
	if err != nil || len(got) != 2 || res.Report.Skipped != 1 || len(res.Report.Issues) == 0 || res.Report.Issues[0].Line != 2 {
		t.Errorf("bad line: %d entities, report %+v, err %v; want 2 entities and line 2 skipped", len(got), res.Report, err)
	}
	// A line over the limit is skipped, the next one read.
	var out []string
	res, err = ftm.Stream(strings.NewReader(strings.Replace(good, "Ivan", strings.Repeat("x", 500), 1)+"\n"+good), ftm.StreamOptions{Name: "f", MaxLine: 200},
		func(e *interdict.Entity) error { out = append(out, e.SourceID); return nil })
	if err != nil || len(out) != 1 || res.Report.Skipped != 1 {
		t.Errorf("long line: %v, report %+v, err %v", out, res.Report, err)
	}
	// fn's error stops the stream.
	stop := errors.New("stop")
	if _, err := ftm.Stream(strings.NewReader(good), ftm.StreamOptions{}, func(*interdict.Entity) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fn error: %v", err)
	}
	if _, _, err := streamAll(t, nil); err == nil {
		t.Error("empty input: no error")
	}
}

// lines generates n nested FtM party lines (a person with a nested
// sanction, address and passport) without holding them.
type lines struct {
	n, i int
	buf  bytes.Buffer
}

func (l *lines) Read(p []byte) (int, error) {
	for l.buf.Len() < len(p) && l.i < l.n {
		fmt.Fprintf(&l.buf, `{"id":"p%d","schema":"Person","caption":"Ivan Petrov %d","properties":{"name":["Ivan Petrov %d","Иван Петров"],"birthDate":["1970-01-%02d"],"country":["ru"],"topics":["sanction"],`+
			`"sanctions":[{"id":"s%d","schema":"Sanction","properties":{"program":["RUSSIA-EO14024"],"startDate":["2022-03-01"]}}],`+
			`"addressEntity":[{"id":"a%d","schema":"Address","properties":{"full":["Tverskaya 1, Moscow"],"country":["ru"]}}],`+
			`"identification":[{"id":"i%d","schema":"Passport","properties":{"number":["71%07d"],"country":["ru"]}}]},"datasets":["us_ofac_sdn"],"last_change":"2024-05-01T00:00:00"}`+"\n",
			l.i, l.i, l.i, 1+l.i%28, l.i, l.i, l.i, l.i)
		l.i++
	}
	if l.buf.Len() == 0 {
		return 0, io.EOF
	}
	return l.buf.Read(p)
}

// peakHeap streams n generated lines and returns the largest live heap
// measured (after a collection) every 500 entities.
func peakHeap(t testing.TB, n int) uint64 {
	var peak uint64
	var m runtime.MemStats
	count := 0
	_, err := ftm.Stream(&lines{n: n}, ftm.StreamOptions{List: interdict.ListFTM, Name: "gen"}, func(e *interdict.Entity) error {
		if count++; count%500 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
		}
		if len(e.Names) == 0 || len(e.Identifiers) == 0 || len(e.Programs) == 0 {
			return fmt.Errorf("entity %s lost its nested data: %+v", e.ID, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Fatalf("%d entities streamed, want %d", count, n)
	}
	return peak
}

// TestStream_ConstantMemory: streaming eight times as many entities does not
// grow the live heap.
func TestStream_ConstantMemory(t *testing.T) {
	small, large := peakHeap(t, 1_000), peakHeap(t, 8_000)
	t.Logf("peak live heap: %d KiB for 1,000 entities, %d KiB for 8,000", small>>10, large>>10)
	if large > small+(1<<20) {
		t.Errorf("peak live heap grew from %d KiB (1,000 entities) to %d KiB (8,000)", small>>10, large>>10)
	}
}

// BenchmarkStream reports, for two input sizes, the bytes allocated and
// the peak live heap per entity: the allocation per entity is the same at
// both sizes and the peak heap per entity falls as the input grows.
func BenchmarkStream(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var peak uint64
			for i := 0; i < b.N; i++ {
				peak = max(peak, peakHeap(b, n))
			}
			b.ReportMetric(float64(peak)/float64(n), "peakB/entity")
			b.ReportMetric(float64(peak)/(1<<20), "peakMiB")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/entity")
		})
	}
}
