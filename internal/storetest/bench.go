package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/interdict/interdict"
)

// AlertQueue fills s with n alerts (of five lists, three assignees and
// every state) and measures pages of the alert queue: one FindAlerts of
// 50 alerts with its total, under a rotation of filters, plus the count
// per state. It reports the 50th and 99th percentile latency of a page.
func AlertQueue(b *testing.B, s interdict.ReviewStore, n int) {
	ctx := context.Background()
	lists := []string{"ofac-sdn", "un", "eu", "uk", "csl"}
	states := []interdict.AlertState{interdict.AlertOpen, interdict.AlertOpen, interdict.AlertOpen, interdict.AlertInReview, interdict.AlertFalsePositive, interdict.AlertTrueMatch, interdict.AlertNeedsInfo}
	expl := json.RawMessage(`{"name_score":0.91,"alignment":[{"query":"anna","entity":"anna","similarity":1,"kind":"exact","weight":0.4}]}`)
	for i := range n {
		l := lists[i%len(lists)]
		a := &interdict.Alert{PartyID: fmt.Sprintf("C%08d", i/3), PartyHash: "ph", PartyName: "Party", EntityID: fmt.Sprintf("%s:%d", l, i), EntityHash: "eh",
			EntityName: "Entity", Listings: []interdict.AlertListing{{EntityID: fmt.Sprintf("%s:%d", l, i), List: l, Version: 1, Score: 0.9}},
			Policy: "p", Score: 0.8 + float64(i%20)/100, Explanation: expl, State: states[i%len(states)], Assignee: []string{"", "ann", "bob"}[i%3]}
		if err := s.CreateAlert(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	filters := []interdict.AlertFilter{
		{State: interdict.AlertOpen, Limit: 50},
		{State: interdict.AlertOpen, Limit: 50, Offset: 500},
		{State: interdict.AlertInReview, Limit: 50},
		{List: "un", Limit: 50},
		{Assignee: "ann", State: interdict.AlertOpen, Limit: 50},
		{Limit: 50, Offset: 5000},
	}
	lat := make([]time.Duration, 0, b.N)
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
		lat = append(lat, time.Since(start))
		if len(as) == 0 || total == 0 {
			b.Fatalf("filter %+v: no alerts", filters[i%len(filters)])
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
