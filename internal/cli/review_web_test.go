package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/internal/cli"
)

const webPassword = "a password long enough"

// runCLI runs the command line on home with stdin and returns the exit
// code, stdout and stderr.
func runCLI(t *testing.T, home, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := testApp(home, &stderr)
	app.Stdin = strings.NewReader(stdin)
	app.Stdout = &stdout
	code := app.Run(context.Background(), args)
	return code, stdout.String(), stderr.String()
}

// reviewTeam adds the users of the review tests through 'interdict users
// add' and returns their API keys: root (admin), ana (analyst), bea and
// ben (approvers), bot (api-client, no password).
func reviewTeam(t *testing.T, home, database string) map[string]string {
	t.Helper()
	db := []string{"--database", database}
	if database == "" {
		db = nil
	}
	if code, _, stderr := runCLI(t, home, webPassword+"\n", append([]string{"users", "add", "ana", "--role", "analyst", "--password-stdin"}, db...)...); code != 1 || !strings.Contains(stderr, "first user must be an admin") {
		t.Fatalf("a first user who is no admin: exit %d, %s", code, stderr)
	}
	keys := map[string]string{}
	for _, u := range []struct{ name, role string }{{"root", "admin"}, {"ana", "analyst"}, {"bea", "approver"}, {"ben", "approver"}, {"bot", "api-client"}} {
		args := append([]string{"users", "add", u.name, "--role", u.role, "--api-key", "--label", "tests"}, db...)
		stdin := ""
		if u.role != "api-client" {
			args = append(args, "--password-stdin")
			stdin = webPassword + "\n"
		}
		code, stdout, stderr := runCLI(t, home, stdin, args...)
		key := strings.TrimSpace(stdout)
		if code != 0 || !strings.HasPrefix(key, "idk_") || strings.Contains(stderr, key) {
			t.Fatalf("users add %s: exit %d, stdout %q, stderr %s", u.name, code, stdout, stderr)
		}
		keys[u.name] = key
	}
	code, stdout, _ := runCLI(t, home, "", append([]string{"users", "list", "--json"}, db...)...)
	if code != 0 || strings.Contains(stdout, "argon2id") || strings.Contains(stdout, webPassword) {
		t.Fatalf("users list --json: exit %d: %s", code, stdout)
	}
	var list struct{ Users []interdict.User }
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || len(list.Users) != 5 {
		t.Fatalf("users list --json: %v, %d users", err, len(list.Users))
	}
	return keys
}

// api calls the API as the holder of key and checks the response against
// the OpenAPI document.
func (ts *testServer) api(t *testing.T, key, pattern, method, path, body string) (int, []byte) {
	t.Helper()
	c := call{method: method, path: path, header: map[string]string{"Authorization": "Bearer " + key}}
	if body != "" {
		c.ctype, c.body = "application/json", body
	}
	resp, b := ts.do(t, pattern, c)
	return resp.StatusCode, b
}

func mustDecode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

// TestServe_ReviewWorkflow drives the review through the API: a party put
// in the book is screened into an alert; an analyst proposes a false
// positive, which they may not approve, and an approver approves; the
// same party put again stays quiet (good-guy list) until its data changes.
// Two concurrent decisions on one alert: exactly one wins, the other gets
// 409.
//
// The same server then serves the browser test (reviewBrowser), so that
// the index is built once for both.
func TestServe_ReviewWorkflow(t *testing.T) {
	ts := MustOpenServer(t)
	keys := reviewTeam(t, ts.Home, "")
	t.Run("API", func(t *testing.T) { reviewWorkflow(t, ts, keys) })
	t.Run("Browser", func(t *testing.T) { reviewBrowser(t, ts, keys) })
}

// TestServe_ReviewWorkflowPostgreSQL runs the API workflow with the book,
// alerts, audit trail and users on PostgreSQL.
func TestServe_ReviewWorkflowPostgreSQL(t *testing.T) {
	database := postgresSchema(t)
	ts := MustOpenServer(t, func(s *cli.Server) { s.Database = database })
	reviewWorkflow(t, ts, reviewTeam(t, ts.Home, database))
}

// postgresSchema returns the URL of a fresh schema of the database of
// INTERDICT_TEST_POSTGRES_DSN, dropped when the test ends, or skips the
// test when the variable is not set.
func postgresSchema(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("INTERDICT_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("INTERDICT_TEST_POSTGRES_DSN is not set; skipping the PostgreSQL run")
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		t.Skipf("INTERDICT_TEST_POSTGRES_DSN is not a postgres:// URL (%v)", err)
	}
	schema := fmt.Sprintf("interdict_web_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func reviewWorkflow(t *testing.T, ts *testServer, keys map[string]string) {

	// The review routes need a user even on loopback; screening does too
	// now that users exist.
	for _, path := range []string{"/v1/alerts", "/v1/parties", "/v1/audit", "/v1/screen?name=x"} {
		if resp, _ := ts.do(t, "", call{method: "GET", path: path}); resp.StatusCode != 401 {
			t.Errorf("GET %s without credentials: %d, want 401", path, resp.StatusCode)
		}
	}

	// The API client puts a party in the book; screening raises an alert.
	st, b := ts.api(t, keys["bot"], "PUT /v1/parties/{id}", "PUT", "/v1/parties/C-1", `{"name":"Majid Kakavand","country":"IR","type":"person"}`)
	if st != 200 {
		t.Fatalf("PUT /v1/parties/C-1: %d %s", st, b)
	}
	put := mustDecode[interdicthttp.PartyResponse](t, b)
	if !put.Changed || put.Party.Version != 1 || len(put.Alerts) == 0 {
		t.Fatalf("PUT /v1/parties/C-1: changed %v, version %d, %d alerts; want a new party with an alert", put.Changed, put.Party.Version, len(put.Alerts))
	}
	alert := put.Alerts[0]
	if alert.PartyID != "C-1" || alert.State != interdict.AlertOpen || !strings.HasPrefix(alert.EntityID, "csl:") {
		t.Errorf("alert %+v", alert)
	}
	if st, _ := ts.api(t, keys["ana"], "PUT /v1/parties/{id}", "PUT", "/v1/parties/C-9", `{"name":"X"}`); st != 403 {
		t.Errorf("an analyst changes the book: %d, want 403", st)
	}

	// The analyst finds it in the queue, with the counts.
	st, b = ts.api(t, keys["ana"], "GET /v1/alerts", "GET", "/v1/alerts?state=open&list=csl&score=0.5", "")
	q := mustDecode[interdicthttp.AlertsResponse](t, b)
	if st != 200 || q.Total < 1 || q.Counts[interdict.AlertOpen] != len(put.Alerts) || q.Alerts[0].PartyID != "C-1" {
		t.Fatalf("GET /v1/alerts: %d, total %d, counts %v", st, q.Total, q.Counts)
	}
	if st, b := ts.api(t, keys["ana"], "GET /v1/alerts", "GET", "/v1/alerts?state=open&age=1d", ""); st != 200 || mustDecode[interdicthttp.AlertsResponse](t, b).Total != 0 {
		t.Errorf("GET /v1/alerts?age=1d: %d %s; want no alert a day old", st, b)
	}
	if st, _ := ts.api(t, keys["ana"], "GET /v1/alerts", "GET", "/v1/alerts?state=closed", ""); st != 422 {
		t.Errorf("GET /v1/alerts?state=closed: %d, want 422", st)
	}

	// The analyst proposes a false positive; it waits for four eyes.
	path := "/v1/alerts/" + alert.ID
	st, b = ts.api(t, keys["ana"], "POST /v1/alerts/{id}/decision", "POST", path+"/decision", `{"state":"false_positive","suppress":true,"comment":"different person: date of birth differs"}`)
	if st != 200 {
		t.Fatalf("propose: %d %s", st, b)
	}
	dec := mustDecode[interdicthttp.DecisionResponse](t, b)
	if dec.Decision.Status != interdict.DecisionProposed || dec.Alert.State.Closed() {
		t.Fatalf("proposal: decision %+v, alert state %s; want proposed and the alert still open", dec.Decision, dec.Alert.State)
	}
	// The same user may not approve (an analyst has no approver role).
	if st, b := ts.api(t, keys["ana"], "POST /v1/alerts/{id}/approval", "POST", path+"/approval", `{"approve":true}`); st != 403 {
		t.Errorf("the proposer approves: %d %s, want 403", st, b)
	}
	// The approver approves, naming the proposal they saw.
	st, b = ts.api(t, keys["bea"], "POST /v1/alerts/{id}/approval", "POST", path+"/approval", `{"decision_id":"nope","approve":true}`)
	if st != 409 {
		t.Errorf("approving another proposal than the one awaiting: %d %s, want 409", st, b)
	}
	st, b = ts.api(t, keys["bea"], "POST /v1/alerts/{id}/approval", "POST", path+"/approval", `{"decision_id":"`+dec.Decision.ID+`","approve":true,"comment":"agreed"}`)
	if st != 200 {
		t.Fatalf("approve: %d %s", st, b)
	}
	appr := mustDecode[interdicthttp.DecisionResponse](t, b)
	if appr.Alert.State != interdict.AlertFalsePositive || appr.Decision.ApprovedBy != "bea" || appr.Decision.Status != interdict.DecisionApproved {
		t.Fatalf("after approval: alert %s, decision %+v", appr.Alert.State, appr.Decision)
	}
	st, b = ts.api(t, keys["ana"], "GET /v1/alerts/{id}", "GET", path, "")
	got := mustDecode[interdicthttp.AlertResponse](t, b)
	if st != 200 || len(got.Decisions) != 1 || got.Decisions[0].ProposedBy != "ana" || got.Decisions[0].ApprovedBy != "bea" {
		t.Errorf("GET %s: %d, decisions %+v", path, st, got.Decisions)
	}

	// An approver who proposes may not approve their own proposal either.
	st, b = ts.api(t, keys["bot"], "PUT /v1/parties/{id}", "PUT", "/v1/parties/C-2", `{"name":"Mohammad Javad Zarif"}`)
	two := mustDecode[interdicthttp.PartyResponse](t, b)
	if st != 200 || len(two.Alerts) == 0 {
		t.Fatalf("PUT /v1/parties/C-2: %d, %d alerts", st, len(two.Alerts))
	}
	path2 := "/v1/alerts/" + two.Alerts[0].ID
	if st, b := ts.api(t, keys["bea"], "POST /v1/alerts/{id}/decision", "POST", path2+"/decision", `{"state":"true_match"}`); st != 200 {
		t.Fatalf("approver proposes: %d %s", st, b)
	}
	if st, b := ts.api(t, keys["bea"], "POST /v1/alerts/{id}/approval", "POST", path2+"/approval", `{"approve":true}`); st != 403 || !strings.Contains(string(b), "four-eyes") {
		t.Errorf("self-approval by an approver: %d %s, want 403", st, b)
	}
	if st, b := ts.api(t, keys["ben"], "POST /v1/alerts/{id}/approval", "POST", path2+"/approval", `{"approve":false,"comment":"not enough evidence"}`); st != 200 || mustDecode[interdicthttp.DecisionResponse](t, b).Alert.State != interdict.AlertInReview {
		t.Errorf("a second approver rejects: %d %s", st, b)
	}

	// Good-guy list: the same party again stays quiet; a change of its
	// data raises the alert again, saying what changed.
	st, b = ts.api(t, keys["bot"], "PUT /v1/parties/{id}", "PUT", "/v1/parties/C-1", `{"name":"Majid Kakavand","country":"IR","type":"person"}`)
	if again := mustDecode[interdicthttp.PartyResponse](t, b); st != 200 || again.Changed || len(again.Alerts) != 0 {
		t.Errorf("the same party again: %d, changed %v, %d alerts; want no change and no alert", st, again.Changed, len(again.Alerts))
	}
	st, b = ts.api(t, keys["bot"], "PUT /v1/parties/{id}", "PUT", "/v1/parties/C-1", `{"name":"Majid Kakavand","country":"IR","type":"person","dob":"1975-03-02"}`)
	changed := mustDecode[interdicthttp.PartyResponse](t, b)
	if st != 200 || !changed.Changed || len(changed.Alerts) == 0 || len(changed.Alerts[0].Changes) == 0 {
		t.Fatalf("the party with a new date of birth: %d %s; want an alert saying what changed", st, b)
	}
	t.Logf("raised again: %q", changed.Alerts[0].Changes)

	// Two concurrent decisions on one alert version: one 200, one 409.
	race := changed.Alerts[0]
	var wg sync.WaitGroup
	status := make([]int, 2)
	for i, who := range []string{"ana", "bea"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := `{"state":"needs_info","comment":"` + who + `","version":` + strconv.Itoa(race.Version) + `}`
			status[i], _ = ts.api(t, keys[who], "POST /v1/alerts/{id}/decision", "POST", "/v1/alerts/"+race.ID+"/decision", body)
		}()
	}
	wg.Wait()
	if !(status[0] == 200 && status[1] == 409 || status[0] == 409 && status[1] == 200) {
		t.Errorf("two concurrent decisions: %v, want one 200 and one 409", status)
	}
	st, b = ts.api(t, keys["ana"], "GET /v1/alerts/{id}", "GET", "/v1/alerts/"+race.ID, "")
	if after := mustDecode[interdicthttp.AlertResponse](t, b); st != 200 || len(after.Decisions) != 1 || after.Alert.Version != race.Version+1 {
		t.Errorf("after the race: %d decisions, version %d; want 1 decision and version %d", len(after.Decisions), after.Alert.Version, race.Version+1)
	}

	// The party leaves the book and keeps its history.
	if st, _ := ts.api(t, keys["bot"], "DELETE /v1/parties/{id}", "DELETE", "/v1/parties/C-2", ""); st != 204 {
		t.Errorf("DELETE /v1/parties/C-2: %d", st)
	}
	st, b = ts.api(t, keys["ana"], "GET /v1/parties/{id}", "GET", "/v1/parties/C-2", "")
	if p := mustDecode[interdict.Party](t, b); st != 200 || !p.Removed {
		t.Errorf("GET a removed party: %d, removed %v", st, p.Removed)
	}
	st, b = ts.api(t, keys["ana"], "GET /v1/parties", "GET", "/v1/parties", "")
	if ps := mustDecode[interdicthttp.PartiesResponse](t, b); st != 200 || ps.Total != 1 || ps.Parties[0].ID != "C-1" {
		t.Errorf("GET /v1/parties: %d %s", st, b)
	}

	// The audit trail has it all, the users added on the command line too.
	if st, _ := ts.api(t, keys["ana"], "GET /v1/audit", "GET", "/v1/audit", ""); st != 403 {
		t.Errorf("an analyst reads the audit trail: %d, want 403", st)
	}
	st, b = ts.api(t, keys["root"], "GET /v1/audit", "GET", "/v1/audit?limit=500", "")
	audit := mustDecode[interdicthttp.AuditResponse](t, b)
	if st != 200 || audit.Next != 0 {
		t.Fatalf("GET /v1/audit?limit=500: %d, next %d; want the whole trail", st, audit.Next)
	}
	seen := map[string]bool{}
	for _, r := range audit.Records {
		seen[r.Actor+" "+r.Action+" "+r.Object] = true
		if r.Action == "config.change" && strings.HasPrefix(r.Actor, "cli") {
			seen["config.change by the operator who started the server"] = true
		}
	}
	for _, want := range []string{"bot party.put party:C-1", "ana alert.propose alert:" + alert.ID, "bea alert.approve alert:" + alert.ID,
		"ben alert.reject alert:" + two.Alerts[0].ID, "bot party.delete party:C-2", "cli user.create user:root", "cli user.api_key_create user:bot",
		"config.change by the operator who started the server"} {
		if !seen[want] {
			t.Errorf("the audit trail lacks %q", want)
		}
	}
	resp, body := ts.do(t, "GET /v1/audit/export", call{method: "GET", path: "/v1/audit/export?format=csv", header: map[string]string{"Authorization": "Bearer " + keys["bea"]}})
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "seq,time,actor,action,object,payload,prev,hash\n") || strings.Count(string(body), "\n") != len(audit.Records)+1 {
		t.Errorf("GET /v1/audit/export?format=csv: %d, %d lines for %d records", resp.StatusCode, strings.Count(string(body), "\n"), len(audit.Records))
	}
	// The export is one hash chain: each record's hash is its own, and
	// names the record before.
	resp, body = ts.do(t, "GET /v1/audit/export", call{method: "GET", path: "/v1/audit/export", header: map[string]string{"Authorization": "Bearer " + keys["root"]}})
	prev, n := "", 0
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
		r := mustDecode[interdict.AuditRecord](t, []byte(line))
		n++
		if r.Seq != int64(n) || r.Prev != prev || r.Hash != r.ComputeHash() {
			t.Fatalf("export record %d: seq %d, prev %.12s (want %.12s), hash %.12s (computed %.12s)", n, r.Seq, r.Prev, prev, r.Hash, r.ComputeHash())
		}
		prev = r.Hash
	}
	if resp.StatusCode != 200 || n != len(audit.Records) {
		t.Errorf("GET /v1/audit/export: %d, %d records, want %d", resp.StatusCode, n, len(audit.Records))
	}
}
