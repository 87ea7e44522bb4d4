package http_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/sqlite"
)

// TestServer_ReviewPages renders the queue, an alert, the book and the
// audit trail over a store holding one party and its alert, as an analyst
// and as an approver, and checks what each page shows.
func TestServer_ReviewPages(t *testing.T) {
	srv := MustOpenUserServer(t, true)
	ctx := context.Background()
	rs := srv.HTTP.Review
	p := &interdict.Party{ID: "C-1", Name: "Majid <b>Kakavand</b>", Country: "IR", Kind: interdict.KindPerson}
	if _, err := rs.PutParty(ctx, p); err != nil {
		t.Fatal(err)
	}
	ex, _ := json.Marshal(interdict.Explanation{QueryForm: "majid kakavand", EntityForm: "majid kakavand", NameScore: 1,
		Alignment: []interdict.TokenMatch{{Query: "majid", Entity: "majid", Kind: interdict.MatchExact}},
		Evidence:  []interdict.Evidence{{Feature: "country", Query: "IR", Entity: "IR", Effect: 0.02}}})
	a := &interdict.Alert{PartyID: p.ID, PartyHash: p.Hash, PartyName: p.Name, EntityID: "ofac-sdn:1", EntityHash: "old", EntityName: "MAJID Kakavand",
		Listings: []interdict.AlertListing{{EntityID: "ofac-sdn:1", List: "ofac-sdn", Version: 2, Score: 0.93}}, Policy: "abc", Score: 0.93,
		Explanation: ex, State: interdict.AlertOpen, Changes: []string{"score 0.81 -> 0.93"}}
	if err := rs.CreateAlert(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := rs.AppendAudit(ctx, &interdict.AuditRecord{Actor: "system", Action: "alert.create", Object: "alert:" + a.ID, Payload: json.RawMessage(`{"score":0.93}`)}); err != nil {
		t.Fatal(err)
	}
	// An alert raised on an adverse-media article names no list entity: its
	// page links to the article and does not call the entity delisted.
	ma := &interdict.Alert{PartyID: p.ID, PartyHash: p.Hash, PartyName: p.Name, EntityID: "media:42", EntityName: "Court unseals indictment",
		Listings: []interdict.AlertListing{{EntityID: "media:42", List: "media", Score: 0.9}}, Policy: "media", Score: 0.9, State: interdict.AlertOpen}
	if err := rs.CreateAlert(ctx, ma); err != nil {
		t.Fatal(err)
	}
	page := func(user, path string, want int) string {
		t.Helper()
		resp, b := do(t, srv.Server, req{method: "GET", path: path, header: map[string]string{"Authorization": "Bearer " + srv.Keys[user], "Accept": "text/html"}})
		if resp.StatusCode != want {
			t.Fatalf("GET %s as %s: %d, want %d: %s", path, user, resp.StatusCode, want, trim(b))
		}
		return string(b)
	}
	checks := []struct {
		user, path string
		want, not  []string
	}{
		{"ana", "/alerts", []string{"open <span class=\"num\">2</span>", a.ID, "Majid &lt;b&gt;Kakavand&lt;/b&gt;", "ofac-sdn", "0.930", ">changed<"}, []string{"<b>Kakavand</b>"}},
		{"ana", "/alerts?state=true_match", []string{"No alert matches."}, nil},
		{"ana", "/alerts?score=2", []string{"score &#34;2&#34;"}, nil},
		{"ana", "/alerts/" + a.ID, []string{"Party (the book)", "Listed entity", "Why it matched", "majid ↔ majid", "country", "Since the last decision: score 0.81 -&gt; 0.93",
			"record changed on its list", "alert.create", `value="false_positive"`, "Record decision"}, []string{"id=\"approve\""}},
		{"ana", "/alerts/" + ma.ID, []string{`href="/media/42"`, "the adverse-media article"}, []string{"no longer on the current version"}},
		{"ana", "/book", []string{"C-1", "1 party under watch"}, nil},
		{"bea", "/audit", []string{"alert.create", "alert:" + a.ID}, nil},
	}
	for _, c := range checks {
		status := 200
		if strings.Contains(c.path, "score=2") {
			status = 422
		}
		body := page(c.user, c.path, status)
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s as %s lacks %q", c.path, c.user, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(body, n) {
				t.Errorf("GET %s as %s holds %q", c.path, c.user, n)
			}
		}
	}
	page("ana", "/alerts/nope", 404)
	page("ana", "/audit", 403)
}

// TestServer_ScreenAudit: a screening through the API and one through
// the web UI are recorded together in one audit record, with the hash of
// what the API returned; a batch has a record of its own.
func TestServer_ScreenAudit(t *testing.T) {
	srv := MustOpenUserServer(t, true)
	key := map[string]string{"Authorization": "Bearer " + srv.Keys["ana"]}
	resp, body := do(t, srv.Server, req{method: "GET", path: "/v1/screen?name=Majid", header: key})
	if resp.StatusCode != 200 {
		t.Fatalf("GET /v1/screen: %d", resp.StatusCode)
	}
	sum := sha256.Sum256(bytes.TrimSuffix(body, []byte("\n")))
	if resp, _ := do(t, srv.Server, req{method: "GET", path: "/?name=Majid", header: key}); resp.StatusCode != 200 {
		t.Fatalf("GET /?name=Majid: %d", resp.StatusCode)
	}
	if resp, _ := do(t, srv.Server, req{method: "POST", path: "/v1/screen/batch", ctype: "application/x-ndjson", body: "{\"name\":\"Majid\"}\n{\"name\":\"Nobody\"}\n{\"nam\":1}\n", header: key}); resp.StatusCode != 200 {
		t.Fatalf("POST /v1/screen/batch: %d", resp.StatusCode)
	}
	if err := srv.HTTP.FlushAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
	var recs []*interdict.AuditRecord
	err := srv.HTTP.Review.FindAuditRecords(context.Background(), interdict.AuditFilter{Object: "screening"}, func(r *interdict.AuditRecord) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil || len(recs) != 2 {
		t.Fatalf("%d screening records, %v; want 2 (the batch's, then the two screenings')", len(recs), err)
	}
	type entry struct {
		Actor      string
		Via        string
		Query      interdict.Query
		Alert      bool
		ResultHash string `json:"result_hash"`
	}
	var single struct{ Screenings []entry }
	var batch struct{ Lines, Alerts, Errors int }
	if json.Unmarshal(recs[0].Payload, &batch) != nil || json.Unmarshal(recs[1].Payload, &single) != nil || len(single.Screenings) != 2 {
		t.Fatalf("payloads %s %s", recs[0].Payload, recs[1].Payload)
	}
	if recs[0].Action != "screen.batch" || recs[0].Actor != "ana" || batch.Lines != 2 || batch.Alerts != 1 || batch.Errors != 1 {
		t.Errorf("batch record %+v %s; want ana's, 2 lines screened, 1 alert, 1 error", recs[0], recs[0].Payload)
	}
	api, ui := single.Screenings[0], single.Screenings[1]
	if recs[1].Action != "screen" || api.Actor != "ana" || api.Via != "api" || api.Query.Name != "Majid" || !api.Alert || api.ResultHash != hex.EncodeToString(sum[:]) {
		t.Errorf("API screening %+v; want ana, the query and the hash of the response", api)
	}
	if ui.Actor != "ana" || ui.Via != "ui" || ui.Query.Name != "Majid" || ui.ResultHash != api.ResultHash {
		t.Errorf("UI screening %+v", ui)
	}
}

// TestServer_AlertsAge pages the queue filtered by age over alerts raised
// a day apart.
func TestServer_AlertsAge(t *testing.T) {
	ctx := context.Background()
	base := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	clock := base
	db := sqlite.NewDB(t.TempDir() + "/interdict.db")
	db.Now = func() time.Time { return clock }
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rs := sqlite.NewReviewStore(db)
	for day := 0; day < 7; day++ {
		clock = base.Add(time.Duration(day) * 24 * time.Hour)
		p := &interdict.Party{ID: "P-" + strconv.Itoa(day), Name: "Party " + strconv.Itoa(day)}
		if _, err := rs.PutParty(ctx, p); err != nil {
			t.Fatal(err)
		}
		a := &interdict.Alert{PartyID: p.ID, PartyHash: p.Hash, PartyName: p.Name, EntityID: "un:1", EntityHash: "h", EntityName: "X",
			Listings: []interdict.AlertListing{{EntityID: "un:1", List: "un", Version: 1, Score: 0.9}}, Policy: "p", Score: 0.9, State: interdict.AlertOpen}
		if err := rs.CreateAlert(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	now := base.Add(6 * 24 * time.Hour)
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) {
		s.Review = rs
		s.Now = func() time.Time { return now }
	})
	doc := mustDoc(t)
	tests := []struct {
		query string
		total int
		want  []string // party IDs, newest first
	}{
		{"age=3d", 4, []string{"P-3", "P-2", "P-1", "P-0"}},
		{"age=3d&limit=2", 4, []string{"P-3", "P-2"}},
		{"age=3d&limit=2&offset=2", 4, []string{"P-1", "P-0"}},
		{"age=3d&offset=4", 4, nil},
		{"age=72h", 4, []string{"P-3", "P-2", "P-1", "P-0"}},
		{"age=0d", 7, []string{"P-6", "P-5", "P-4", "P-3", "P-2", "P-1", "P-0"}},
		{"age=6d", 1, []string{"P-0"}},
		{"age=30d", 0, nil},
		{"age=3d&score=0.95", 0, nil},
	}
	for _, tt := range tests {
		resp, b := do(t, srv.Server, req{method: "GET", path: "/v1/alerts?" + tt.query, header: bearer(srv.Keys["ana"])})
		if err := doc.ValidateResponse("GET /v1/alerts", resp.StatusCode, resp.Header.Get("Content-Type"), b); err != nil {
			t.Error(err)
		}
		var res interdicthttp.AlertsResponse
		if err := json.Unmarshal(b, &res); err != nil {
			t.Fatalf("%s: %v: %s", tt.query, err, b)
		}
		var got []string
		for _, a := range res.Alerts {
			got = append(got, a.PartyID)
		}
		if res.Total != tt.total || !slices.Equal(got, tt.want) || res.Counts[interdict.AlertOpen] != 7 {
			t.Errorf("GET /v1/alerts?%s: total %d, %v, counts %v; want total %d, %v", tt.query, res.Total, got, res.Counts, tt.total, tt.want)
		}
	}
	if resp, _ := do(t, srv.Server, req{method: "GET", path: "/v1/alerts?age=soon", header: bearer(srv.Keys["ana"])}); resp.StatusCode != 422 {
		t.Errorf("age=soon: %d, want 422", resp.StatusCode)
	}
}
