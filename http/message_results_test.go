package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/message"
	"github.com/interdict/interdict/sqlite"
)

// TestServer_MessageResults reads stored message results: one by ID, and
// pages of held ones, newest first, by cursor.
func TestServer_MessageResults(t *testing.T) {
	ctx := context.Background()
	db := sqlite.NewDB(t.TempDir() + "/results.db")
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store := sqlite.NewMessageResultStore(db)
	for i, id := range []string{"M1", "M2", "M3/a", "M4", "M5"} {
		res := &message.Result{MessageID: id, Format: "MT103", Syntax: message.SwiftMT, Decision: message.Release,
			Reasons: []string{}, Hits: []message.Hit{}, Fields: []message.Field{}}
		if i != 0 {
			res.Decision, res.Reasons = message.Hold, []string{":59: \"X\" matches un:1"}
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.PutMessageResults(ctx, []*interdict.MessageResult{{ID: id, Format: res.Format, Decision: string(res.Decision),
			Alerts: len(res.Reasons), Source: "nats:S/1", Result: b}}); err != nil {
			t.Fatal(err)
		}
	}
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) { s.MessageResults = store })
	doc := mustDoc(t)
	as := bearer(srv.Keys["ana"])
	get := func(pattern, path string, status int, v any) {
		t.Helper()
		resp, body := do(t, srv.Server, req{method: "GET", path: path, header: as})
		if resp.StatusCode != status {
			t.Fatalf("GET %s: %d %s, want %d", path, resp.StatusCode, body, status)
		}
		if err := doc.ValidateResponse(pattern, resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
			t.Errorf("GET %s: %v", path, err)
		}
		if v != nil {
			if err := json.Unmarshal(body, v); err != nil {
				t.Fatal(err)
			}
		}
	}

	var one struct {
		interdicthttp.StoredMessage
		Result message.Result `json:"result"`
	}
	get("GET /v1/messages/{id}", "/v1/messages/M3%2Fa", 200, &one)
	if one.ID != "M3/a" || one.Decision != "hold" || one.Deliveries != 1 || one.Result.MessageID != "M3/a" || len(one.Result.Reasons) != 1 {
		t.Errorf("GET /v1/messages/M3%%2Fa = %+v", one)
	}
	get("GET /v1/messages/{id}", "/v1/messages/M9", 404, nil)

	var ids []string
	path := "/v1/messages?decision=hold&limit=3"
	for page := 0; page < 5; page++ {
		var p interdicthttp.StoredMessagesResponse
		get("GET /v1/messages", path, 200, &p)
		if p.Total != 4 || p.Limit != 3 {
			t.Errorf("page %d: total %d, limit %d; want 4 and 3", page, p.Total, p.Limit)
		}
		for _, m := range p.Messages {
			ids = append(ids, m.ID)
		}
		if p.NextCursor == "" {
			break
		}
		path = "/v1/messages?decision=hold&limit=3&cursor=" + url.QueryEscape(p.NextCursor)
	}
	if want := "[M5 M4 M3/a M2]"; fmt.Sprint(ids) != want {
		t.Errorf("held messages page by page: %v, want %s", ids, want)
	}
	var all interdicthttp.StoredMessagesResponse
	get("GET /v1/messages", "/v1/messages", 200, &all)
	if all.Total != 5 || len(all.Messages) != 5 || all.Messages[4].ID != "M1" || all.NextCursor != "" {
		t.Errorf("every message: total %d, %d messages, next %q", all.Total, len(all.Messages), all.NextCursor)
	}
	get("GET /v1/messages", "/v1/messages?decision=maybe", 400, nil)
	get("GET /v1/messages", "/v1/messages?cursor=%21%21", 400, nil)
	get("GET /v1/messages", "/v1/messages?cursor=Tk9QRQ", 400, nil) // "NOPE": no such message
	get("GET /v1/messages", "/v1/messages?limit=-1", 400, nil)

	// A server that keeps no results says so.
	bare := MustOpenUserServer(t, true)
	resp, body := do(t, bare.Server, req{method: "GET", path: "/v1/messages/M1", header: bearer(bare.Keys["ana"])})
	if resp.StatusCode != 503 {
		t.Errorf("GET /v1/messages/M1 without a result store: %d %s, want 503", resp.StatusCode, body)
	}
}

// TestServer_MessageFindingAlertPage: the page of an alert raised on an
// embargoed place that holds a message names the place and does not call
// it an entity gone from its list.
func TestServer_MessageFindingAlertPage(t *testing.T) {
	srv := MustOpenUserServer(t, true)
	a := &interdict.Alert{PartyID: "message:M1", PartyName: "message M1 Cdtr/PstlAdr tehran", EntityID: "place:IR",
		EntityName: "Iran (Islamic Republic of)", Listings: []interdict.AlertListing{{EntityID: "place:IR", List: "embargo", Score: 1}},
		Policy: "p", Score: 1, Explanation: json.RawMessage(`{"country":"IR","attention":true}`), State: interdict.AlertOpen}
	if err := srv.HTTP.Review.CreateAlert(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	resp, body := do(t, srv.Server, req{method: "GET", path: "/alerts/" + a.ID, header: map[string]string{"Authorization": "Bearer " + srv.Keys["ana"], "Accept": "text/html"}})
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Iran (Islamic Republic of)") || strings.Contains(string(body), "no longer on the current version") {
		t.Errorf("GET /alerts/%s: %d; want the place named and not called delisted:\n%.2000s", a.ID, resp.StatusCode, body)
	}
}
