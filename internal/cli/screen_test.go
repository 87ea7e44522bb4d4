package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/cli"
	"github.com/xuri/excelize/v2"
)

var (
	screenHomeOnce sync.Once
	screenHome     string
	screenHomeErr  string
)

// snapshotHome returns a data directory with the bundled snapshot imported,
// shared by the tests of this file (they only read it).
func snapshotHome(t *testing.T) string {
	t.Helper()
	screenHomeOnce.Do(func() {
		dir, err := mkdirTemp()
		if err != nil {
			screenHomeErr = err.Error()
			return
		}
		screenHome = dir
		code, _, errOut := runSnapshot(t, dir, nil, "lists", "status")
		if code != 0 {
			screenHomeErr = errOut
		}
	})
	if screenHomeErr != "" {
		t.Fatalf("import of the bundled snapshot: %s", screenHomeErr)
	}
	return screenHome
}

// runIn runs the CLI with stdin.
func runIn(t *testing.T, home, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := &cli.App{Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(string) string { return "" }, Now: time.Now, Indexes: testIndexes}
	code := app.Run(context.Background(), append([]string{"--home", home}, args...))
	return code, stdout.String(), stderr.String()
}

func TestScreen(t *testing.T) {
	home := snapshotHome(t)
	t.Run("alert", func(t *testing.T) {
		code, out, errOut := run(t, home, nil, "screen", "--json", "Majid Kakavand")
		if code != cli.ExitMatch {
			t.Fatalf("exit %d, want %d: %s", code, cli.ExitMatch, errOut)
		}
		var res interdict.ScreenResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		if !res.Alert || len(res.Hits) == 0 || res.Policy == "" || res.Lists["csl"] == "" {
			t.Fatalf("result = %+v", res)
		}
		h := res.Hits[0]
		if h.List != "csl" || h.Name != "Majid Kakavand" || h.MatchedName == "" || h.Score < 0.8 || len(h.Explanation.Alignment) == 0 {
			t.Fatalf("top hit = %+v, want the BIS Entity List row for Majid Kakavand with an explanation", h)
		}
		// The same query, policy and lists give the same result.
		_, again, _ := run(t, home, nil, "screen", "--json", "Majid Kakavand")
		if again != out {
			t.Fatalf("screening is not reproducible:\n%s\n%s", out, again)
		}
	})
	t.Run("variants", func(t *testing.T) {
		for _, name := range []string{"Kakavand, Majid", "Madjid Kakawand", "MAJID KAKAVAND"} {
			code, out, _ := run(t, home, nil, "screen", "--json", name)
			if code != cli.ExitMatch || !strings.Contains(out, "fa11888b58b441184dc4a0ed49bf08590af83e04") {
				t.Errorf("screen %q: exit %d, did not find the Entity List row", name, code)
			}
		}
	})
	t.Run("no alert", func(t *testing.T) {
		code, out, _ := run(t, home, nil, "screen", "Zebulon Quartermaine")
		if code != cli.ExitOK {
			t.Fatalf("exit %d, want 0:\n%s", code, out)
		}
	})
	t.Run("text", func(t *testing.T) {
		code, out, _ := run(t, home, nil, "screen", "--type", "person", "--dob", "1960", "--country", "Lebanon", "Hasan Nasrallah")
		for _, want := range []string{"ofac-sdn:2686", "ALERT", "policy ", "ofac-sdn@1", "dob"} {
			if code != cli.ExitMatch || !strings.Contains(out, want) {
				t.Fatalf("exit %d; output lacks %q:\n%s", code, want, out)
			}
		}
	})
	t.Run("usage", func(t *testing.T) {
		tests := []struct {
			args []string
			code int
			want string
		}{
			{[]string{"screen"}, cli.ExitUsage, "one NAME"},
			{[]string{"screen", "--type", "spaceship", "X"}, cli.ExitUsage, "--type"},
			{[]string{"screen", "--strict", "--dob", "31/02/1960", "X"}, cli.ExitError, "field dob"},
			{[]string{"screen", "--strict", "--country", "Atlantis", "X"}, cli.ExitError, "field country"},
			{[]string{"screen", "--threshold", "7", "X"}, cli.ExitError, "threshold"},
			{[]string{"screen", "--lists", "nolist", "X"}, cli.ExitUsage, "unknown list"},
		}
		for _, tt := range tests {
			code, _, errOut := run(t, home, nil, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("%v: exit %d, %q; want exit %d naming %q", tt.args, code, errOut, tt.code, tt.want)
			}
		}
	})
	t.Run("warnings", func(t *testing.T) {
		// Without --strict a field that cannot be read is left out with a
		// warning, and the name is screened all the same.
		code, out, errOut := run(t, home, nil, "screen", "--json", "--dob", "sometime", "--country", "Atlantis", "Hasan Nasrallah")
		if code != cli.ExitMatch {
			t.Fatalf("exit %d, want 3 (the name alerts): %s", code, errOut)
		}
		for _, want := range []string{`interdict: warning: field dob: "sometime"`, `interdict: warning: field country: "Atlantis"`} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q: %q", want, errOut)
			}
		}
		var res interdict.ScreenResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != 2 || res.Warnings[0].Field != "dob" || res.Warnings[1].Field != "country" || res.Query.DOB != "" {
			t.Errorf("warnings %+v, query %+v; want dob and country left out", res.Warnings, res.Query)
		}
	})
}

func readCSV(t *testing.T, s string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, s)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestScreenBatch(t *testing.T) {
	home := snapshotHome(t)
	dir := t.TempDir()
	in := "id,name,type,dob,country\n" +
		"1,Majid Kakavand,,,\n" +
		"2,Hasan Nasrallah,person,1960,LB\n" +
		"3,Zebulon Quartermaine,,,\n"

	t.Run("csv", func(t *testing.T) {
		code, out, errOut := runIn(t, home, in, "--no-snapshot", "screen", "--input", "-", "--output", "-")
		if code != cli.ExitMatch {
			t.Fatalf("exit %d, want 3: %s", code, errOut)
		}
		rows := readCSV(t, out)
		if len(rows) != 3 || rows[0]["id"] != "1" || rows[0]["alert"] != "true" || rows[2]["alert"] != "false" ||
			!strings.Contains(rows[1]["alerting_entities"], "ofac-sdn:2686") || rows[0]["policy"] == "" || rows[1]["line"] != "3" {
			t.Fatalf("rows = %v", rows)
		}
		if !strings.Contains(errOut, "stdin: 3 records: 3 screened, 2 alerts, 0 error rows; 3 input records = 3 screened + 0 error rows") {
			t.Fatalf("summary missing: %q", errOut)
		}
	})
	t.Run("bad rows", func(t *testing.T) {
		// Row 5 has no name: an error row; the others are screened, with
		// a warning for what could not be read. Row 1 alerts, so the exit
		// status is 3 although a row had an error.
		bad := in + "4,Bad Date,,sometime,\n5,,,,\n6,X,spaceship,,\n"
		p := writeFile(t, dir, "bad.csv", []byte(bad))
		code, out, errOut := run(t, home, nil, "screen", "--input", p)
		if code != cli.ExitMatch {
			t.Fatalf("exit %d, want 3 (a row alerts, even though another is an error row): %s", code, errOut)
		}
		rows := readCSV(t, out)
		if len(rows) != 6 {
			t.Fatalf("got %d rows, want all 6 (nothing lost)", len(rows))
		}
		if !strings.Contains(rows[4]["error"], "field name") || rows[4]["line"] != "6" {
			t.Errorf("row 5 error = %q, line %q; want %q on line 6", rows[4]["error"], rows[4]["line"], "field name")
		}
		for i, field := range map[int]string{3: "dob: not a date", 5: "type: not person"} {
			if rows[i]["error"] != "" || !strings.HasPrefix(rows[i]["warnings"], field) || rows[i]["policy"] == "" {
				t.Errorf("row %d: error %q, warnings %q; want screened with the warning %q", i+1, rows[i]["error"], rows[i]["warnings"], field)
			}
		}
		for _, want := range []string{"bad.csv: line 6: field name", "6 records: 5 screened, 2 alerts, 1 error rows; 6 input records = 5 screened + 1 error rows",
			"warnings: 3 (dob 1, name 1, type 1)"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q: %q", want, errOut)
			}
		}
		code, out, _ = run(t, home, nil, "screen", "--strict", "--input", p)
		rows = readCSV(t, out)
		if code != cli.ExitMatch || len(rows) != 6 {
			t.Fatalf("strict: exit %d, %d rows; want 3 and all 6 rows", code, len(rows))
		}
		for i, field := range map[int]string{3: "field dob", 4: "field name", 5: "field type"} {
			if !strings.Contains(rows[i]["error"], field) {
				t.Errorf("strict: row %d error = %q, want %q", i+1, rows[i]["error"], field)
			}
		}
		// With no alert, error rows do not make the run fail.
		p = writeFile(t, dir, "clean.csv", []byte("name\nZebulon Quartermaine\n \n"))
		if code, _, errOut := run(t, home, nil, "screen", "--input", p); code != cli.ExitOK {
			t.Errorf("no alert, one error row: exit %d, want 0: %s", code, errOut)
		}
	})
	t.Run("jsonl", func(t *testing.T) {
		jl := `{"id":"a","name":"Majid Kakavand","type":"person"}` + "\n" + `{"id":"b","name":"Zebulon Quartermaine","type":"person"}` + "\n"
		p := writeFile(t, dir, "in.jsonl", []byte(jl))
		outPath := filepath.Join(dir, "out.jsonl")
		code, _, errOut := run(t, home, nil, "screen", "-i", p, "-o", outPath)
		if code != cli.ExitMatch {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(string(mustRead(t, outPath))), "\n")
		var row struct {
			Input    map[string]string       `json:"input"`
			Result   *interdict.ScreenResult `json:"result"`
			Warnings []interdict.Warning     `json:"warnings"`
			Line     int                     `json:"line"`
		}
		if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &row) != nil || row.Input["id"] != "a" || row.Result == nil ||
			row.Result.Query.Ref != "a" || !row.Result.Alert || row.Warnings == nil || row.Line != 1 {
			t.Fatalf("output = %v", lines)
		}
		if _, err := os.Stat(outPath + ".checkpoint"); !os.IsNotExist(err) {
			t.Errorf("the checkpoint is left after a run that completed: %v", err)
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		f := excelize.NewFile()
		for i, row := range [][]any{{"Client Name", "Customer ID", "Branch"}, {"Majid Kakavand", "x1", "Paris"}, {"Zebulon Quartermaine", "x2", "Lyon"}} {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow("Sheet1", cell, &row)
		}
		p := filepath.Join(dir, "in.xlsx")
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		outPath := filepath.Join(dir, "out.xlsx")
		code, _, errOut := run(t, home, nil, "screen", "-i", p, "-o", outPath)
		if code != cli.ExitMatch {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		x, err := excelize.OpenFile(outPath)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("Sheet1")
		if len(rows) != 3 || rows[0][2] != "Branch" || rows[0][3] != "alert" || rows[1][1] != "x1" || rows[1][2] != "Paris" || rows[1][3] != "true" {
			t.Fatalf("xlsx rows = %v", rows)
		}
		if !strings.Contains(errOut, "Branch") {
			t.Errorf("the unmapped column Branch is not named in a warning: %q", errOut)
		}
	})
	t.Run("map", func(t *testing.T) {
		p := writeFile(t, dir, "mapped.csv", []byte("Kunde;Geburtsdatum;Land\nMajid Kakavand;03/04/1970;Frankreich\n"))
		code, out, errOut := run(t, home, nil, "screen", "-i", p, "--map", "name=Kunde", "--map", "dob=Geburtsdatum", "--map", "country=Land", "--date-order", "dmy")
		if code != cli.ExitMatch {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		rows := readCSV(t, out)
		if len(rows) != 1 || rows[0]["Kunde"] != "Majid Kakavand" || rows[0]["alert"] != "true" {
			t.Fatalf("rows = %v", rows)
		}
		code, out, _ = run(t, home, nil, "screen", "-i", p, "-o", "-", "--json", "--map", "name=Kunde", "--map", "dob=Geburtsdatum", "--map", "country=Land", "--date-order", "dmy")
		var row struct {
			Result *interdict.ScreenResult `json:"result"`
		}
		if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &row); err != nil || row.Result == nil {
			t.Fatalf("--json to stdout: exit %d, %v: %s", code, err, out)
		}
		if q := row.Result.Query; q.DOB != "1970-04-03" || q.Country != "FR" {
			t.Errorf("query %+v: want dob 1970-04-03 (--date-order dmy) and country FR", q)
		}
		for _, bad := range [][]string{{"--map", "nam=Kunde"}, {"--map", "name"}, {"--date-order", "dym"}} {
			if code, _, errOut := run(t, home, nil, append([]string{"screen", "-i", p}, bad...)...); code == cli.ExitOK || code == cli.ExitMatch {
				t.Errorf("%v: exit %d, want an error: %s", bad, code, errOut)
			}
		}
	})
	t.Run("no name column", func(t *testing.T) {
		code, _, errOut := runIn(t, home, "who,what\na,b\n", "--no-snapshot", "screen", "-i", "-")
		if code != cli.ExitError || !strings.Contains(errOut, `no name column`) {
			t.Fatalf("exit %d, %q", code, errOut)
		}
	})
}

func TestCompare(t *testing.T) {
	home := t.TempDir()
	code, out, _ := run(t, home, nil, "compare", "Jon Smith", "John Smith")
	if code != cli.ExitMatch || !strings.Contains(out, "ALERT") {
		t.Fatalf("compare Jon/John Smith: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, home, nil, "compare", "BELLETECH CORP", "11420 CORP.")
	if code != cli.ExitOK {
		t.Fatalf("a legal form alone matched: exit %d\n%s", code, out)
	}
	pairs := "name1,name2,type\nMohammed Ali,Muhammad Ali,person\nEmma Daniels,EMMA LLC,\nX,Y,spaceship\n"
	code, out, errOut := runIn(t, home, pairs, "--no-snapshot", "compare", "--input", "-")
	if code != cli.ExitError || !strings.Contains(errOut, "line 4") {
		t.Fatalf("compare --input: exit %d: %s", code, errOut)
	}
	rows := readCSV(t, out)
	if len(rows) != 3 || rows[0]["alert"] != "true" || rows[1]["alert"] != "false" || rows[2]["error"] == "" {
		t.Fatalf("rows = %v", rows)
	}
}

func TestEvalCommand(t *testing.T) {
	code, out, errOut := run(t, t.TempDir(), nil, "eval", "--split", "dev")
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"dev split", "top1", "false-alert", "F1", "by variation:", "by script:", "Hani", "Cyrl"} {
		if !strings.Contains(out, want) {
			t.Fatalf("eval output lacks %q:\n%s", want, out)
		}
	}
}

func mkdirTemp() (string, error) { return os.MkdirTemp("", "interdict-screen-test-") }

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
