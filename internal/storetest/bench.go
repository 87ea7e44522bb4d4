package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
)

// AlertQueue fills s with n alerts (FillAlerts) once, then measures pages
// of the alert queue (QueuePages) in the sub-benchmark "pages".
func AlertQueue(b *testing.B, s interdict.ReviewStore, n int) {
	FillAlerts(b, s, n)
	// The counts kept while eight writers raised alerts at once add up.
	open := 0
	for i := range n {
		if benchAlert(i).State == interdict.AlertOpen {
			open++
		}
	}
	if _, total, err := s.FindAlerts(context.Background(), interdict.AlertFilter{State: interdict.AlertOpen, Limit: 1}); err != nil || total != open {
		b.Fatalf("%d open alerts counted of %d raised, %v", total, open, err)
	}
	b.Run("pages", func(b *testing.B) { QueuePages(b, s) })
}

// FillAlerts stores n alerts of five lists, three assignees and every
// state, from eight goroutines at once (as the workers of a book import
// raise them).
func FillAlerts(b *testing.B, s interdict.ReviewStore, n int) {
	ctx := context.Background()
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if err := s.CreateAlert(ctx, benchAlert(i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// benchAlert is the i-th alert of FillAlerts.
func benchAlert(i int) *interdict.Alert {
	lists := []string{"ofac-sdn", "un", "eu", "uk", "csl"}
	states := []interdict.AlertState{interdict.AlertOpen, interdict.AlertOpen, interdict.AlertOpen, interdict.AlertInReview, interdict.AlertFalsePositive, interdict.AlertTrueMatch, interdict.AlertNeedsInfo}
	expl := json.RawMessage(`{"name_score":0.91,"alignment":[{"query":"anna","entity":"anna","similarity":1,"kind":"exact","weight":0.4}]}`)
	l := lists[i%len(lists)]
	return &interdict.Alert{PartyID: fmt.Sprintf("C%08d", i/3), PartyHash: "ph", PartyName: "Party", EntityID: fmt.Sprintf("%s:%d", l, i), EntityHash: "eh",
		EntityName: "Entity", Listings: []interdict.AlertListing{{EntityID: fmt.Sprintf("%s:%d", l, i), List: l, Version: 1, Score: 0.9}},
		Policy: "p", Score: 0.8 + float64(i%20)/100, Explanation: expl, State: states[i%len(states)], Assignee: []string{"", "ann", "bob"}[i%3]}
}

// QueuePages measures pages of the alert queue of s: one FindAlerts of 50
// alerts with its total, under a rotation of filters, plus the count per
// state. It reports the 50th and 99th percentile latency of a page, and
// each filter's median.
func QueuePages(b *testing.B, s interdict.ReviewStore) {
	ctx := context.Background()
	filters := []interdict.AlertFilter{
		{State: interdict.AlertOpen, Limit: 50},
		{State: interdict.AlertOpen, Limit: 50, Offset: 500},
		{State: interdict.AlertInReview, Limit: 50},
		{List: "un", Limit: 50},
		{Assignee: "ann", State: interdict.AlertOpen, Limit: 50},
		{Limit: 50, Offset: 5000},
	}
	names := []string{"open", "open-page-11", "in_review", "list", "assignee-open", "all-page-101"}
	byFilter := make([][]time.Duration, len(filters))
	lat := make([]time.Duration, 0, b.N)
	// One untimed page of each filter first, as a running server has
	// served them: the first read of freshly written rows also writes
	// their hint bits (PostgreSQL) and fills the page cache.
	for _, f := range filters {
		if _, _, err := s.FindAlerts(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
	type slow struct {
		d time.Duration
		i int
	}
	var slowest []slow
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		as, total, err := s.FindAlerts(ctx, filters[i%len(filters)])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.CountAlerts(ctx); err != nil {
			b.Fatal(err)
		}
		d := time.Since(start)
		lat = append(lat, d)
		slowest = append(slowest, slow{d, i})
		byFilter[i%len(filters)] = append(byFilter[i%len(filters)], d)
		if total == 0 || (len(as) == 0 && filters[i%len(filters)].Offset < total) {
			b.Fatalf("filter %+v: no alerts", filters[i%len(filters)])
		}
	}
	b.StopTimer()
	sort.Slice(slowest, func(i, j int) bool { return slowest[i].d > slowest[j].d })
	for _, sl := range slowest[:min(len(slowest), 8)] {
		b.Logf("slow page: #%d %s %.1f ms", sl.i, names[sl.i%len(names)], float64(sl.d.Microseconds())/1000)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	if b.N >= 10*len(filters) {
		for i, ds := range byFilter {
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms-"+names[i])
		}
	}
}
