package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/interdict/interdict"
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
		Listings: []interdict.Listing{{EntityID: "ofac-sdn:1", List: "ofac-sdn", Version: 2, Score: 0.93}}, Policy: "abc", Score: 0.93,
		Explanation: ex, State: interdict.AlertOpen, Changes: []string{"score 0.81 -> 0.93"}}
	if err := rs.CreateAlert(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := rs.AppendAudit(ctx, &interdict.AuditRecord{Actor: "system", Action: "alert.create", Object: "alert:" + a.ID, Payload: json.RawMessage(`{"score":0.93}`)}); err != nil {
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
		{"ana", "/alerts", []string{"open <span class=\"num\">1</span>", a.ID, "Majid &lt;b&gt;Kakavand&lt;/b&gt;", "ofac-sdn", "0.930", ">changed<"}, []string{"<b>Kakavand</b>"}},
		{"ana", "/alerts?state=true_match", []string{"No alert matches."}, nil},
		{"ana", "/alerts?score=2", []string{"score &#34;2&#34;"}, nil},
		{"ana", "/alerts/" + a.ID, []string{"Party (the book)", "Listed entity", "Why it matched", "majid ↔ majid", "country", "Since the last decision: score 0.81 -&gt; 0.93",
			"record changed on its list", "alert.create", `value="false_positive"`, "Record decision"}, []string{"id=\"approve\""}},
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
