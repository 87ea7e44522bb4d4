package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/cli"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/un"
)

// sharedUN is the UN Security Council Consolidated List of the shared data.
var sharedUN = filepath.Join(sharedLists, "un", "UN_consolidated_2026-02-27.xml")

// runAs runs the CLI with an environment of its own.
func runAs(t *testing.T, home string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return runAsIn(t, home, env, "", args...)
}

// runAsIn runs the CLI with an environment of its own and stdin.
func runAsIn(t *testing.T, home string, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := &cli.App{Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }, Now: time.Now, Indexes: testIndexes}
	code := app.Run(context.Background(), append([]string{"--home", home, "--no-snapshot"}, args...))
	return code, stdout.String(), stderr.String()
}

// unPersons returns the primary names of the first n persons of the UN list.
func unPersons(t *testing.T, n int) []string {
	t.Helper()
	data, err := os.ReadFile(sharedUN)
	if err != nil {
		t.Skipf("shared list data not found (%v): the review CLI tests screen against the real UN list", err)
	}
	res, err := un.Parse(interdict.ListUN, []source.File{{Name: "consolidated.xml", Path: sharedUN, Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range res.Entities {
		if e.Kind == interdict.KindPerson && len(strings.Fields(e.PrimaryName())) >= 3 {
			names = append(names, e.PrimaryName())
			if len(names) == n {
				break
			}
		}
	}
	return names
}

type alertList struct {
	Total  int                          `json:"total"`
	Counts map[interdict.AlertState]int `json:"counts"`
	Alerts []*interdict.Alert           `json:"alerts"`
}

func listAlerts(t *testing.T, home string, args ...string) alertList {
	t.Helper()
	return listAlertsIn(t, home, nil, args...)
}

func listAlertsIn(t *testing.T, home string, env map[string]string, args ...string) alertList {
	t.Helper()
	code, out, errOut := runAs(t, home, env, append([]string{"alerts", "list", "--json", "--limit", "0"}, args...)...)
	if code != 0 {
		t.Fatalf("alerts list: exit %d: %s", code, errOut)
	}
	var l alertList
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("alerts list --json: %v\n%s", err, out)
	}
	return l
}

func TestReviewCLI(t *testing.T) {
	names := unPersons(t, 2)
	home := t.TempDir()
	if code, _, errOut := runAs(t, home, nil, "lists", "import", sharedUN); code != 0 {
		t.Fatalf("lists import: exit %d: %s", code, errOut)
	}
	book := writeFile(t, t.TempDir(), "book.csv", []byte("Customer ID,Name,Aliases,Country\n"+
		"C-1,"+names[0]+",,\n"+
		"C-2,Marguerite Oosterhuis,M. Oosterhuis; Greet Oosterhuis,NL\n"+
		",Nobody Without An Id,,\n"+
		"C-3,"+names[1]+",,\n"))
	keys := reviewTeam(t, home, "")
	as := func(user string) map[string]string { return map[string]string{"INTERDICT_API_KEY": keys[user]} }
	code, out, errOut := runAs(t, home, as("root"), "book", "import", book)
	if code != cli.ExitMatch || !strings.Contains(out, "4 rows: 3 added") || !strings.Contains(errOut, "book.csv line 4: no party ID") {
		t.Fatalf("book import: exit %d, want 3 (alerts)\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := runAs(t, home, nil, "book", "import", book); code != 0 || !strings.Contains(out, "3 unchanged") {
		t.Errorf("book import of the same file: exit %d, want 0 with 3 unchanged\n%s", code, out)
	}
	code, out, _ = runAs(t, home, nil, "book", "list", "--json")
	var parties struct {
		Total   int                `json:"total"`
		Parties []*interdict.Party `json:"parties"`
	}
	if err := json.Unmarshal([]byte(out), &parties); err != nil || code != 0 || parties.Total != 3 || len(parties.Parties[1].Aliases) != 2 {
		t.Fatalf("book list --json: exit %d, %v\n%s", code, err, out)
	}

	l := listAlerts(t, home)
	if l.Total != 2 || l.Counts[interdict.AlertOpen] != 2 {
		t.Fatalf("alerts after the import: %+v; want 2 open", l)
	}
	id := l.Alerts[0].ID
	// Four-eyes on the command line: decisions and approvals need a user
	// of the user store, proven by an API key or a password.
	if code, _, errOut := runAs(t, home, nil, "alerts", "decide", id, "--state", "true_match"); code != cli.ExitError || !strings.Contains(errOut, "signed-in user") {
		t.Errorf("decide without signing in: exit %d, %s; want 1, refused", code, errOut)
	}
	if code, _, errOut := runAsIn(t, home, nil, "not the password\n", "alerts", "decide", id, "--state", "true_match", "--as", "bea", "--password-stdin"); code != cli.ExitError || !strings.Contains(errOut, "password is wrong") {
		t.Errorf("decide with a wrong password: exit %d, %s; want 1, refused", code, errOut)
	}
	if code, _, errOut := runAs(t, home, map[string]string{"INTERDICT_API_KEY": keys["bea"] + "x"}, "alerts", "decide", id, "--state", "true_match"); code != cli.ExitError || !strings.Contains(errOut, "not valid") {
		t.Errorf("decide with a forged key: exit %d, %s; want 1, refused", code, errOut)
	}
	if code, _, errOut := runAs(t, home, as("bot"), "alerts", "decide", id, "--state", "true_match"); code != cli.ExitError || !strings.Contains(errOut, "may not decide") {
		t.Errorf("decide as an api-client: exit %d, %s; want 1, refused", code, errOut)
	}
	if code, _, errOut := runAsIn(t, home, nil, webPassword+"\n", "alerts", "decide", id, "--state", "true_match", "--comment", "same person", "--as", "bea", "--password-stdin"); code != 0 {
		t.Fatalf("decide: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runAs(t, home, as("bea"), "alerts", "approve", id); code != cli.ExitError || !strings.Contains(errOut, "cannot approve") {
		t.Errorf("self-approval: exit %d, %s; want 1, refused", code, errOut)
	}
	if code, _, errOut := runAs(t, home, as("ana"), "alerts", "approve", id); code != cli.ExitError || !strings.Contains(errOut, "approver role") {
		t.Errorf("approval without the role: exit %d, %s; want 1, refused", code, errOut)
	}
	if code, _, errOut := runAs(t, home, as("ben"), "alerts", "approve", id, "--as", "bea"); code != cli.ExitUsage || !strings.Contains(errOut, "key of ben") {
		t.Errorf("--as another user than the key's: exit %d, %s; want 2", code, errOut)
	}
	if code, _, errOut := runAs(t, home, as("ben"), "alerts", "approve", id); code != 0 {
		t.Fatalf("approve: exit %d: %s", code, errOut)
	}
	code, out, _ = runAs(t, home, nil, "alerts", "show", id, "--json")
	var shown struct {
		interdict.Alert
		Decisions []*interdict.Decision    `json:"decisions"`
		History   []*interdict.AuditRecord `json:"history"`
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil || code != 0 {
		t.Fatalf("alerts show --json: exit %d, %v\n%s", code, err, out)
	}
	var actions []string
	for _, r := range shown.History {
		actions = append(actions, r.Actor+" "+r.Action)
	}
	if shown.State != interdict.AlertTrueMatch || len(shown.Decisions) != 1 || shown.Decisions[0].ApprovedBy != "ben" ||
		!slices.Equal(actions, []string{"root alert.create", "bea alert.propose", "ben alert.approve"}) {
		t.Errorf("alerts show: state %s, decisions %+v, history %v", shown.State, shown.Decisions, actions)
	}
	if l := listAlerts(t, home, "--state", "true_match"); l.Total != 1 {
		t.Errorf("alerts list --state true_match: %d, want 1", l.Total)
	}
	if code, _, errOut := runAs(t, home, nil, "alerts", "list", "--state", "closed"); code != cli.ExitUsage {
		t.Errorf("alerts list --state closed: exit %d, want 2: %s", code, errOut)
	}

	if code, _, errOut := runAs(t, home, nil, "screen", names[1]); code != cli.ExitMatch {
		t.Fatalf("screen %q: exit %d, want 3: %s", names[1], code, errOut)
	}

	// The audit trail: intact, exported, then cut short.
	code, head, errOut := runAs(t, home, nil, "audit", "head")
	head = strings.TrimSpace(head)
	if code != 0 || len(head) != 64 {
		t.Fatalf("audit head: exit %d, %q: %s", code, head, errOut)
	}
	if code, out, errOut := runAs(t, home, nil, "audit", "verify", "--head", head); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: exit %d: %s%s", code, out, errOut)
	}
	code, out, _ = runAs(t, home, nil, "audit", "export", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || code != 0 || len(rows) < 8 || rows[0][0] != "seq" || rows[len(rows)-1][7] != head {
		t.Fatalf("audit export --format csv: exit %d, %v, %d rows", code, err, len(rows))
	}
	want := map[string]bool{"screen": false, "list.import": false, "book.import": false, "alert.create": false, "alert.propose": false, "alert.approve": false,
		"config.change": false, "user.create": false, "user.signin_failed": false}
	for _, r := range rows[1:] {
		if _, ok := want[r[3]]; ok {
			want[r[3]] = true
		}
	}
	for a, seen := range want {
		if !seen {
			t.Errorf("no %s on the audit trail", a)
		}
	}
	if code, out, _ := runAs(t, home, nil, "audit", "export", "--from", "2999-01-01"); code != 0 || out != "" {
		t.Errorf("audit export --from 2999-01-01: exit %d, %q; want nothing", code, out)
	}
	db, err := sql.Open("sqlite", filepath.Join(home, "interdict.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)`); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runAs(t, home, nil, "audit", "verify"); code != 0 {
		t.Errorf("audit verify without --head after the last record was cut: exit %d (%s); a cut tail needs the head", code, errOut)
	}
	if code, _, errOut := runAs(t, home, nil, "audit", "verify", "--head", head); code != cli.ExitError || !strings.Contains(errOut, "truncated") {
		t.Errorf("audit verify --head after the last record was cut: exit %d, %s; want 1 naming the truncated tail", code, errOut)
	}
	if _, err := db.Exec(`UPDATE audit SET actor = 'mallory' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runAs(t, home, nil, "audit", "verify"); code != cli.ExitError || !strings.Contains(errOut, "record 2") {
		t.Errorf("audit verify after record 2 was edited: exit %d, %s; want 1 naming record 2", code, errOut)
	}
}

// TestRescreenHelperProcess runs the CLI with the arguments in
// $INTERDICT_TEST_HELPER_ARGS when started by TestRescreenKilled; it does
// nothing otherwise.
func TestRescreenHelperProcess(t *testing.T) {
	args := os.Getenv("INTERDICT_TEST_HELPER_ARGS")
	if args == "" {
		return
	}
	os.Exit(cli.Run(context.Background(), strings.Split(args, "\t"), strings.NewReader(""), os.Stdout, os.Stderr))
}

// alertKeys returns "party entity score state notes" of every alert.
func alertKeys(t *testing.T, home string, env map[string]string) []string {
	t.Helper()
	var ks []string
	for _, a := range listAlertsIn(t, home, env).Alerts {
		ks = append(ks, fmt.Sprintf("%s %s %.4f %s %v", a.PartyID, a.EntityID, a.Score, a.State, a.Notes))
	}
	sort.Strings(ks)
	return ks
}

// TestRescreenKilled kills a rescreen process midway and checks that the
// next run goes on from its checkpoint and raises exactly the alerts of an
// uninterrupted run: with the review store in SQLite, and in PostgreSQL
// when INTERDICT_TEST_POSTGRES_DSN is set.
func TestRescreenKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes and screens thousands of parties")
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) { rescreenKilled(t, kind) })
	}
}

func rescreenKilled(t *testing.T, kind string) {
	sdn := filepath.Join(sharedLists, "ofac_sdn", "sdn_2024-05-03.csv.gz")
	names := unPersons(t, 200)
	if _, err := os.Stat(sdn); err != nil {
		t.Skipf("shared OFAC SDN file not found: %v", err)
	}
	var in strings.Builder
	in.WriteString("ID,Name\n")
	first := []string{"Ali", "Mohammed", "Ivan", "Anna", "Hassan", "Kim", "Pedro", "Olga"}
	last := []string{"Hassan", "Petrov", "Rahman", "Smith", "Kim", "Garcia", "Ahmed", "Ivanova", "Chen", "Lopez"}
	for i := range 2000 {
		name := first[i%len(first)] + " " + last[(i/len(first))%len(last)]
		if i%10 == 0 {
			name = names[(i/10)%len(names)]
		}
		fmt.Fprintf(&in, "P%05d,%s\n", i, name)
	}
	book := writeFile(t, t.TempDir(), "book.csv", []byte(in.String()))
	// setup makes a home with the UN list and the book screened against
	// it, then adds a new list: every OFAC SDN entity.
	setup := func(home string, env map[string]string) {
		if code, _, errOut := runAs(t, home, env, "lists", "import", sharedUN); code != 0 {
			t.Fatalf("lists import: exit %d: %s", code, errOut)
		}
		if code, _, errOut := runAs(t, home, env, "book", "import", book); code != cli.ExitMatch {
			t.Fatalf("book import: exit %d: %s", code, errOut)
		}
		if code, _, errOut := runAs(t, home, env, "rescreen"); code != 0 && code != cli.ExitMatch {
			t.Fatalf("first rescreen: exit %d: %s", code, errOut)
		}
		if code, _, errOut := runAs(t, home, env, "lists", "import", sdn); code != 0 {
			t.Fatalf("lists import %s: exit %d: %s", sdn, code, errOut)
		}
	}
	whole, cut := t.TempDir(), t.TempDir()
	var wholeEnv, cutEnv map[string]string
	var checkpoints *sql.DB
	switch kind {
	case "postgres":
		wholeEnv = map[string]string{"INTERDICT_DATABASE": postgresSchema(t)}
		cutEnv = map[string]string{"INTERDICT_DATABASE": postgresSchema(t)}
		setup(whole, wholeEnv)
		setup(cut, cutEnv)
		db, err := sql.Open("pgx", cutEnv["INTERDICT_DATABASE"])
		if err != nil {
			t.Fatal(err)
		}
		checkpoints = db
	default:
		base := t.TempDir()
		setup(base, nil)
		b, err := os.ReadFile(filepath.Join(base, "interdict.db"))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, whole, "interdict.db", b)
		writeFile(t, cut, "interdict.db", b)
		db, err := sql.Open("sqlite", "file:"+filepath.Join(cut, "interdict.db")+"?_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		checkpoints = db
	}
	defer checkpoints.Close()

	if code, out, errOut := runAs(t, whole, wholeEnv, "rescreen", "--page-size", "100"); code != cli.ExitMatch {
		t.Fatalf("uninterrupted rescreen: exit %d: %s%s", code, out, errOut)
	}
	want := alertKeys(t, whole, wholeEnv)

	args := strings.Join([]string{"--home", cut, "--no-snapshot", "rescreen", "--page-size", "100"}, "\t")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRescreenHelperProcess$")
	cmd.Env = append(os.Environ(), "INTERDICT_TEST_HELPER_ARGS="+args, "INTERDICT_DATABASE="+cutEnv["INTERDICT_DATABASE"])
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	killed := false
	deadline := time.Now().Add(5 * time.Minute)
poll:
	for time.Now().Before(deadline) {
		select {
		case <-done:
			break poll
		default:
		}
		var data []byte
		if err := checkpoints.QueryRow(`SELECT data FROM checkpoints WHERE name = 'rescreen.run'`).Scan(&data); err == nil {
			var run struct {
				After string `json:"after"`
			}
			if json.Unmarshal(data, &run) == nil && run.After != "" {
				if err := cmd.Process.Kill(); err == nil {
					killed = true
				}
				<-done
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !killed {
		t.Skipf("the rescreen process ended before it could be killed midway: %s", stderr.String())
	}
	checkpoints.Close()
	code, out, errOut := runAs(t, cut, cutEnv, "rescreen", "--page-size", "100", "--json")
	if code != cli.ExitMatch && code != 0 {
		t.Fatalf("rescreen after the kill: exit %d: %s", code, errOut)
	}
	var rep struct {
		Resumed bool `json:"resumed"`
		Done    int  `json:"done"`
		Parties int  `json:"parties"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || !rep.Resumed || rep.Done != rep.Parties || rep.Parties < 1900 {
		t.Errorf("rescreen after the kill: %s (%v); want resumed, every party of the book done", out, err)
	}
	if len(want) == 0 {
		t.Fatal("the uninterrupted run raised no alert")
	}
	if got := alertKeys(t, cut, cutEnv); !slices.Equal(got, want) {
		t.Errorf("alerts after a killed and resumed rescreen (%d) differ from an uninterrupted run's (%d)", len(got), len(want))
	}
	if code, out, errOut := runAs(t, cut, cutEnv, "audit", "verify"); code != 0 {
		t.Errorf("audit verify after the kill: exit %d: %s%s", code, out, errOut)
	}
}
