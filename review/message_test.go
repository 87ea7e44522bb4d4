package review_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/message"
	"github.com/interdict/interdict/screen"
)

// TestService_RaiseMessage_place screens a real pacs.008 sample whose
// creditor lives in Tehran (an embargoed place; no listed party is named):
// the message is held, and the hold raises one alert on the place, with
// its audit record; the same message again raises none.
func TestService_RaiseMessage_place(t *testing.T) {
	data, err := os.ReadFile("../../shared/data/messages/iso20022/cbpr-examples/pacs008_credit_transfer_sample.xml")
	if err != nil {
		t.Skipf("shared message samples not found: %v", err)
	}
	e := mustEnv(t, loadUN(t))
	ctx := context.Background()
	cl, err := classify.New(classify.Options{CountryCode: country.Code, CountryName: country.Name})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := message.NewScreener(message.Options{Parties: e.scr, Threshold: screen.DefaultPolicy().Threshold, Destinations: cl})
	if err != nil {
		t.Fatal(err)
	}
	screenOne := func(t *testing.T, src string) *message.Result {
		t.Helper()
		msgs, err := message.Parse("sample", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		r, err := ms.Screen(ctx, msgs[0])
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	released := screenOne(t, string(data))
	if released.Decision != message.Release {
		t.Fatalf("untouched sample: %s (%v), want release", released.Decision, released.Reasons)
	}
	if sc, err := e.svc.RaiseMessage(ctx, "consumer", released); err != nil || len(sc.Alerts) != 0 {
		t.Fatalf("released message: %+v, %v; want no alert", sc, err)
	}

	// The creditor's town (the second address) becomes Tehran.
	i := strings.Index(string(data), "<pacs:TwnNm>")
	i += strings.Index(string(data[i+1:]), "<pacs:TwnNm>") + 1
	j := i + strings.Index(string(data[i:]), "</pacs:TwnNm>")
	held := screenOne(t, string(data[:i])+"<pacs:TwnNm>Tehran"+string(data[j:]))
	if held.Decision != message.Hold {
		t.Fatalf("creditor in Tehran: %s, want hold", held.Decision)
	}
	for _, h := range held.Hits {
		if h.Alert && h.List != "" {
			t.Fatalf("a list hit holds the message (%+v); the test needs a place alone", h)
		}
	}
	sc, err := e.svc.RaiseMessage(ctx, "consumer", held)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Alerts) != 1 {
		t.Fatalf("%d alerts raised (%+v), want 1 on the place", len(sc.Alerts), sc)
	}
	a := sc.Alerts[0]
	if a.EntityID != "place:IR" || a.PartyID != "message:"+held.MessageID || a.State != interdict.AlertOpen ||
		len(a.Listings) != 1 || a.Listings[0].List != "embargo" || !strings.Contains(strings.ToLower(a.PartyName), "tehran") {
		t.Errorf("alert of %s on %s (%s, %v), named %q; want an open alert of message:%s on place:IR (list embargo) named after the Tehran field", a.PartyID, a.EntityID, a.State, a.Lists(), a.PartyName, held.MessageID)
	}
	stored, _, err := e.store.FindAlerts(ctx, interdict.AlertFilter{PartyID: "message:" + held.MessageID})
	if err != nil || len(stored) != 1 || stored[0].ID != a.ID {
		t.Fatalf("stored alerts %+v, %v; want the one raised", stored, err)
	}
	audited := 0
	if err := e.store.FindAuditRecords(ctx, interdict.AuditFilter{Object: "alert:" + a.ID}, func(r *interdict.AuditRecord) error {
		if r.Action == "alert.create" && r.Actor == "consumer" {
			audited++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if audited != 1 {
		t.Errorf("%d alert.create records of alert %s, want 1", audited, a.ID)
	}

	// Delivered again: the alert stands, none is added.
	sc, err = e.svc.RaiseMessage(ctx, "consumer", held)
	if err != nil || len(sc.Alerts) != 0 || sc.Pending != 1 {
		t.Errorf("the same message again: %+v, %v; want no new alert and 1 pending", sc, err)
	}
}
