package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/storetest"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/canada"
	"github.com/interdict/interdict/source/csl"
	"github.com/interdict/interdict/source/dfat"
	"github.com/interdict/interdict/source/dpl"
	"github.com/interdict/interdict/source/eu"
	"github.com/interdict/interdict/source/ftm"
	"github.com/interdict/interdict/source/ofac"
	"github.com/interdict/interdict/source/pakote"
	"github.com/interdict/interdict/source/uk"
	"github.com/interdict/interdict/source/ukflat"
	"github.com/interdict/interdict/source/un"
	"github.com/interdict/interdict/sqlite"
)

// The benchmarks screen against the bundled snapshot of the public lists
// (every list interdict ships), stored in SQLite as the CLI stores them.

var bundled struct {
	sync.Once
	lists map[string][]interdict.Entity
	err   error
}

func bundledLists(tb testing.TB) map[string][]interdict.Entity {
	tb.Helper()
	bundled.Do(func() {
		files, _, err := snapshot.Files()
		if err != nil {
			bundled.err = err
			return
		}
		var formats []source.Format
		for _, fs := range [][]source.Format{ofac.Formats, un.Formats, eu.Formats, uk.Formats, csl.Formats, dpl.Formats, canada.Formats, dfat.Formats, ftm.Formats, pakote.Formats, ukflat.Formats} {
			formats = append(formats, fs...)
		}
		rs, err := source.ParseAll(formats, files)
		if err != nil {
			bundled.err = err
			return
		}
		bundled.lists = map[string][]interdict.Entity{}
		for _, r := range rs {
			bundled.lists[r.List] = append(bundled.lists[r.List], r.Entities...)
		}
	})
	if bundled.err != nil {
		tb.Fatal(bundled.err)
	}
	out := map[string][]interdict.Entity{}
	for l, es := range bundled.lists {
		out[l] = slices.Clone(es)
	}
	return out
}

// benchEnv stores every bundled list as version 1.
func benchEnv(b *testing.B, lists map[string][]interdict.Entity) *env {
	b.Helper()
	ctx := context.Background()
	db := sqlite.NewDB(b.TempDir() + "/interdict.db")
	if err := db.Open(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	e := &env{db: db, lists: sqlite.NewListStore(db), store: sqlite.NewReviewStore(db)}
	for _, l := range sortedKeys(lists) {
		v := &interdict.ListVersion{List: l, Checksum: "v1-" + l, Current: true, Total: len(lists[l])}
		if err := e.lists.CreateListVersion(ctx, v, lists[l]); err != nil {
			b.Fatal(err)
		}
	}
	var err error
	e.scr, err = screen.NewService(screen.ServiceConfig{Lists: e.lists, Policy: screen.DefaultPolicy(), CheckEvery: -1})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.scr.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	e.svc, err = review.NewService(review.Config{Store: e.store, Lists: e.lists, Screen: e.scr, Roles: roles{}})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

var (
	benchFirst = []string{"Anna", "Pieter", "Maria", "Jonas", "Elif", "Tomasz", "Ingrid", "Rafael", "Yuki", "Amara", "Lars", "Chiara",
		"Mehmet", "Sofia", "Olusegun", "Hannah", "Diego", "Aiko", "Fatima", "Bjorn", "Camille", "Dmitri", "Grace", "Hugo", "Isabel",
		"Jakub", "Kwame", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Stefan", "Tanvi", "Ulrich", "Valentina"}
	benchLast = []string{"Vandermeer", "Kowalczyk", "Lindgren", "Okonkwo", "Haverkamp", "Sorensen", "Bellucci", "Tanaka", "Marchetti",
		"Oyelaran", "Fischer", "Nakamura", "Dubois", "Andersson", "Moreau", "Rossi", "Novak", "Jansen", "Costa", "Silva", "Murphy",
		"Schneider", "Yilmaz", "Kaplan", "Horvath", "Nielsen", "Bakker", "Lambert", "Ferreira", "Wojcik", "Kovacs", "Petersen"}
	benchCompany = []string{"Trading", "Logistics", "Holdings", "Shipping", "Industries", "Foods", "Textiles", "Energy", "Consulting", "Metals"}
	benchForm    = []string{"Ltd", "GmbH", "BV", "SA", "LLC", "AB", "SpA", "Oy"}
	benchCountry = []string{"NL", "DE", "FR", "IT", "SE", "PL", "TR", "NG", "JP", "BR", "US", "GB"}
)

// benchBook returns n parties: two in three persons, the rest companies,
// with one in 200 named as a listed entity.
func benchBook(n int, lists map[string][]interdict.Entity) []*interdict.Party {
	r := rand.New(rand.NewPCG(1, 2))
	var listed []string
	for _, l := range sortedKeys(lists) {
		for i := range lists[l] {
			if i%50 == 0 {
				listed = append(listed, lists[l][i].PrimaryName())
			}
		}
	}
	ps := make([]*interdict.Party, n)
	for i := range n {
		p := &interdict.Party{ID: fmt.Sprintf("C%08d", i), Country: benchCountry[r.IntN(len(benchCountry))]}
		switch {
		case i%200 == 7:
			p.Name = listed[r.IntN(len(listed))]
		case i%3 == 2:
			p.Kind = interdict.KindOrganization
			p.Name = benchLast[r.IntN(len(benchLast))] + " " + benchCompany[r.IntN(len(benchCompany))] + " " + benchForm[r.IntN(len(benchForm))]
		default:
			p.Kind = interdict.KindPerson
			p.Name = benchFirst[r.IntN(len(benchFirst))] + " " + benchLast[r.IntN(len(benchLast))]
			p.DOB = strconv.Itoa(1940 + r.IntN(60))
		}
		ps[i] = p
	}
	return ps
}

func bookCSV(ps []*interdict.Party) []byte {
	var buf bytes.Buffer
	buf.WriteString("ID,Name,Type,DOB,Country\n")
	for _, p := range ps {
		fmt.Fprintf(&buf, "%s,%q,%s,%s,%s\n", p.ID, p.Name, p.Kind, p.DOB, p.Country)
	}
	return buf.Bytes()
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func maxRSSMiB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // kilobytes on Linux
}

// cpuSeconds returns the user and system CPU time of the process so far:
// on a shared machine, rows per CPU second says more than wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// BenchmarkImportBook imports and screens a book of
// $INTERDICT_BENCH_BOOK parties (default 20,000; the 1,000,000-party run
// of the acceptance is
//
//	INTERDICT_BENCH_BOOK=1000000 go test ./review/ -run X -bench BenchmarkImportBook/import -benchtime 1x -timeout 2h
//
// ) against every bundled
// list: rows/s, rows per CPU second and the process's peak resident
// memory. The baseline "screen" screens the same parties through
// screen.Service on the same workers without the book, the alerts or the
// audit trail.
func BenchmarkImportBook(b *testing.B) {
	n := envInt("INTERDICT_BENCH_BOOK", 20000)
	lists := bundledLists(b)
	book := benchBook(n, lists)
	data := bookCSV(book)
	b.Run("screen", func(b *testing.B) {
		e := benchEnv(b, lists)
		ctx := context.Background()
		ix := e.scr.Current()
		workers := runtime.GOMAXPROCS(0)
		runtime.GC()
		cpu := cpuSeconds()
		b.ResetTimer()
		for range b.N {
			var wg sync.WaitGroup
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w; i < n; i += workers {
						for _, q := range book[i].Queries() {
							if _, err := e.scr.ScreenWith(ctx, q, screen.ScreenOptions{Index: ix}); err != nil && interdict.ErrorCode(err) != interdict.EINVALID {
								b.Error(err)
								return
							}
						}
					}
				}()
			}
			wg.Wait()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(n)*float64(b.N)/(cpuSeconds()-cpu), "rows/cpu-s")
	})
	b.Run("import", func(b *testing.B) {
		var rep *review.ImportReport
		var cpu float64
		for range b.N {
			b.StopTimer()
			e := benchEnv(b, lists)
			runtime.GC()
			c0 := cpuSeconds()
			b.StartTimer()
			var err error
			rep, err = e.svc.ImportBook(context.Background(), "bench", bytes.NewReader(data), "book.csv", review.ImportOptions{})
			if err != nil {
				b.Fatal(err)
			}
			cpu += cpuSeconds() - c0
			if rep.Added != n {
				b.Fatalf("%d parties added of %d", rep.Added, n)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(n)*float64(b.N)/cpu, "rows/cpu-s")
		b.ReportMetric(float64(rep.Alerts), "alerts")
		b.ReportMetric(maxRSSMiB(), "peak-RSS-MiB")
	})
}

// changeLists returns version 2 of the lists with one entity in a hundred
// changed: a third of them new (left out of version 1), a third with a new
// alias, a third with a new remark.
func changeLists(lists map[string][]interdict.Entity) (v1, v2 map[string][]interdict.Entity, changed int) {
	v1, v2 = map[string][]interdict.Entity{}, map[string][]interdict.Entity{}
	for l, es := range lists {
		for i, e := range es {
			switch {
			case i%100 != 50:
				v1[l] = append(v1[l], e)
				v2[l] = append(v2[l], e)
			case (i/100)%3 == 0: // added in version 2
				v2[l] = append(v2[l], e)
				changed++
			case (i/100)%3 == 1: // a new alias
				v1[l] = append(v1[l], e)
				e.Names = append(slices.Clone(e.Names), interdict.Name{Full: e.PrimaryName() + " Junior", Quality: interdict.NameWeak, Script: "Latn"})
				v2[l] = append(v2[l], e)
				changed++
			default: // a new remark
				v1[l] = append(v1[l], e)
				e.Remarks = append(slices.Clone(e.Remarks), "Amended.")
				v2[l] = append(v2[l], e)
				changed++
			}
		}
	}
	return v1, v2, changed
}

// BenchmarkRescreenDelta re-screens a book of $INTERDICT_BENCH_RESCREEN
// parties (default 100,000) after a new version of every list that
// changes one entity in a hundred. The book is stored and marked screened
// against version 1 before the timer starts; the timer measures the delta
// run (diff, index of the changed entities, candidates, screening,
// alerts).
func BenchmarkRescreenDelta(b *testing.B) {
	n := envInt("INTERDICT_BENCH_RESCREEN", 100000)
	ctx := context.Background()
	v1, v2, changed := changeLists(bundledLists(b))
	e := benchEnv(b, v1)
	book := benchBook(n, v1)
	for i := 0; i < len(book); i += 1000 {
		if _, err := e.store.PutParties(ctx, book[i:min(i+1000, len(book))]); err != nil {
			b.Fatal(err)
		}
	}
	for _, l := range sortedKeys(v2) {
		v := &interdict.ListVersion{List: l, Checksum: "v2-" + l, Current: true, Total: len(v2[l])}
		if err := e.lists.CreateListVersion(ctx, v, v2[l]); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := e.scr.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	state, _ := json.Marshal(map[string]any{"versions": func() map[string]int {
		m := map[string]int{}
		for l := range v1 {
			m[l] = 1
		}
		return m
	}()})
	runtime.GC()
	b.ResetTimer()
	var rep *review.RescreenReport
	var cpu float64
	for range b.N {
		b.StopTimer()
		if err := e.store.SetCheckpoint(ctx, review.CheckpointBook, state); err != nil {
			b.Fatal(err)
		}
		c0 := cpuSeconds()
		b.StartTimer()
		var err error
		rep, err = e.svc.Rescreen(ctx, review.RescreenOptions{})
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuSeconds() - c0
	}
	b.ReportMetric(cpu/float64(b.N), "cpu-s/run")
	b.ReportMetric(rep.DiffTook.Seconds(), "diff-s")
	b.ReportMetric(float64(changed), "entities-changed")
	b.ReportMetric(float64(rep.Screened), "parties-screened")
	b.ReportMetric(float64(rep.Parties), "parties")
	b.ReportMetric(float64(rep.Alerts), "alerts")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
}

// BenchmarkAlertQueue asks for pages of the alert queue (a filter, 50
// alerts, the total and the count per state) over $INTERDICT_BENCH_ALERTS
// alerts (default 100,000) in SQLite and reports the 50th and 99th
// percentile latency of one page (storetest.AlertQueue; the postgres
// package runs the same on PostgreSQL).
func BenchmarkAlertQueue(b *testing.B) {
	db := sqlite.NewDB(b.TempDir() + "/interdict.db")
	if err := db.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	storetest.AlertQueue(b, sqlite.NewReviewStore(db), envInt("INTERDICT_BENCH_ALERTS", 100000))
}
