package message_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/message"
)

// benchSample reads a sample message file for a benchmark.
func benchSample(b *testing.B, rel string) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(samples, rel))
	if err != nil {
		b.Skipf("shared message samples not found: %v", err)
	}
	return data
}

const (
	benchPacs008 = "iso20022/cbpr-examples/pacs008_credit_transfer_sample.xml"
	benchMT103   = "mt/ballerina-mt-mx/p_2_3_1_a__mt103_pacs_008_A_D.fin"
)

func benchParse(b *testing.B, rel string) {
	data := benchSample(b, rel)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		if _, err := message.Parse("bench", data); err != nil {
			b.Fatal(err)
		}
	}
	reportRates(b, processCPU()-cpu)
}

// reportRates reports the messages per second of wall time and per
// second of CPU time the process used. On a shared machine the CPU rate
// is the steadier one: two idle cores screen about twice msgs/cpu-s.
func reportRates(b *testing.B, cpu time.Duration, unit ...string) {
	u := "msgs"
	if len(unit) > 0 {
		u = unit[0]
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), u+"/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), u+"/cpu-s")
	}
}

func BenchmarkParse_pacs008(b *testing.B) { benchParse(b, benchPacs008) }
func BenchmarkParse_pacs008max(b *testing.B) {
	benchParse(b, "iso20022/cbpr-examples/y2026_pacs.008.max.xml")
}
func BenchmarkParse_MT103(b *testing.B) { benchParse(b, benchMT103) }

// benchScreen screens one parsed sample message on every core
// (RunParallel) against the bundled lists; msgs/s is the throughput of
// the whole machine.
func benchScreen(b *testing.B, rel string, parse bool) {
	s := bundledScreener(b)
	data := benchSample(b, rel)
	ms, err := message.Parse("bench", data)
	if err != nil {
		b.Fatal(err)
	}
	m := ms[0]
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			msg := m
			if parse {
				ms, err := message.Parse("bench", data)
				if err != nil {
					b.Error(err)
					return
				}
				msg = ms[0]
			}
			if _, err := s.Screen(ctx, msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRates(b, processCPU()-cpu)
}

func BenchmarkScreen_pacs008(b *testing.B)         { benchScreen(b, benchPacs008, false) }
func BenchmarkScreen_MT103(b *testing.B)           { benchScreen(b, benchMT103, false) }
func BenchmarkParseAndScreen_pacs008(b *testing.B) { benchScreen(b, benchPacs008, true) }
func BenchmarkParseAndScreen_MT103(b *testing.B)   { benchScreen(b, benchMT103, true) }

// BenchmarkScreen_partyName is the baseline: one party name screened
// through the same service, on every core. A message costs about as many
// of these as it has names and identifiers.
func BenchmarkScreen_partyName(b *testing.B) {
	bundledScreener(b)
	svc := benchService
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := svc.Screen(ctx, interdict.Query{Name: "GB Engineering", Country: "GB"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRates(b, processCPU()-cpu, "queries")
}

// BenchmarkReader_MT103 frames a stream of MT103 messages (the --stream
// path, without screening).
func BenchmarkReader_MT103(b *testing.B) {
	one := benchSample(b, benchMT103)
	const per = 100
	stream := bytes.Repeat(append(one, '\n'), per)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		rd := message.NewReader(bytes.NewReader(stream), "bench")
		n := 0
		for {
			ms, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(ms)
		}
		if n != per {
			b.Fatalf("%d messages read, want %d", n, per)
		}
	}
	b.ReportMetric(float64(b.N*per)/b.Elapsed().Seconds(), "msgs/s")
	if c := processCPU() - cpu; c > 0 {
		b.ReportMetric(float64(b.N*per)/c.Seconds(), "msgs/cpu-s")
	}
}

// BenchmarkParseAndScreen_pacs008Samples parses and screens pacs.008
// samples in turn (each with other parties, agents and addresses) on every
// core. "typical" are the five ordinary samples (1.6 to 3.4 kB); "max"
// adds the two CBPR+ maximal samples, which fill every optional element
// (31 and 39 kB, hundreds of fields). The throughput the issue asks for
// (5,000 pacs.008 messages a second on 2 cores) is msgs/s at -cpu 2 on an
// idle machine, about msgs/cpu-s times 2 on a shared one.
func BenchmarkParseAndScreen_pacs008Samples(b *testing.B) {
	typical := []string{"pacs008_credit_transfer_sample.xml", "cbprplus_pacs008_sample_bic_mismatch.xml",
		"cbprplus_pacs008_sample_dodgy_IBAN_and_bic_mismatch.xml", "y2026_pacs.008.min.xml", "y2026_pacs.008_stp.min.xml"}
	b.Run("typical", func(b *testing.B) { benchSamples(b, bundledScreener(b), typical) })
	b.Run("max", func(b *testing.B) {
		benchSamples(b, bundledScreener(b), append(typical, "y2026_pacs.008.max.xml", "y2026_pacs.008_stp.max.xml"))
	})
	// As `interdict serve` and `messages consume` screen: free text through
	// the document scanner as well as the line scan.
	b.Run("typical-docscan", func(b *testing.B) { benchSamples(b, docScreener(b), typical) })
}

func benchSamples(b *testing.B, s *message.Screener, files []string) {
	var data [][]byte
	for _, f := range files {
		data = append(data, benchSample(b, "iso20022/cbpr-examples/"+f))
	}
	ctx := context.Background()
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d := data[int(next.Add(1))%len(data)]
			ms, err := message.Parse("bench", d)
			if err != nil {
				b.Error(err)
				return
			}
			for _, m := range ms {
				if _, err := s.Screen(ctx, m); err != nil {
					b.Error(err)
					return
				}
			}
		}
	})
	reportRates(b, processCPU()-cpu)
}
