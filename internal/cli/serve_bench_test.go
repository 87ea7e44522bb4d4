package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync/atomic"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/cli"
)

// benchQueries reads the fixed query file of `interdict bench http`.
func benchQueries(tb testing.TB) ([][]byte, []interdict.Query) {
	tb.Helper()
	b, err := os.ReadFile("benchdata/http-queries.ndjson")
	if err != nil {
		tb.Fatal(err)
	}
	var bodies [][]byte
	var qs []interdict.Query
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var q interdict.Query
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			tb.Fatal(err)
		}
		bodies = append(bodies, bytes.Clone(sc.Bytes()))
		qs = append(qs, q)
	}
	return bodies, qs
}

// BenchmarkServe_Screen screens the fixed query file over HTTP against the
// bundled lists: a real listener, keep-alive clients, b.N screens spread
// over GOMAXPROCS*-cpu goroutines (run with -cpu 1,4 on 2 cores for the
// concurrency levels of `interdict bench http`).
func BenchmarkServe_Screen(b *testing.B) {
	bodies, _ := benchQueries(b)
	ts := MustOpenServer(b, func(s *cli.Server) { s.Logger = slog.New(slog.DiscardHandler) })
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := bodies[int(next.Add(1))%len(bodies)]
			resp, err := client.Post(ts.URL()+"/v1/screen", "application/json", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatal(resp.StatusCode)
			}
		}
	})
}

// BenchmarkServe_ScreenInProcess screens the same queries on the same
// snapshot without HTTP, for the overhead of the HTTP layer.
func BenchmarkServe_ScreenInProcess(b *testing.B) {
	_, qs := benchQueries(b)
	ts := MustOpenServer(b, func(s *cli.Server) { s.Logger = slog.New(slog.DiscardHandler) })
	scr := ts.Service
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := scr.Screen(context.Background(), qs[int(next.Add(1))%len(qs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
