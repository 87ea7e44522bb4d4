package cli_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/cli"
)

// consistencyQueries are screened through every entry point: listed and
// unlisted names, a name of one letter, and fields as customer files
// write them (lenient dates, a date that cannot be a date, "n/a", country
// names in other languages).
var consistencyQueries = []interdict.Query{
	{Name: "Majid Kakavand"},
	{Name: "Hasan Nasrallah", DOB: "1969-7-16", Country: "Frankreich"},
	{Name: "Hasan Nasrallah", DOB: "circa 1970", Country: "Rossiya"},
	{Name: "Hasan Nasrallah", DOB: "31/02/1980"},
	{Name: "Hasan Nasrallah", DOB: "n/a", Country: "n/a"},
	{Name: "Hasan Nasrallah", DOB: "sometime", Country: "Atlantis"},
	{Name: "Zebulon Quartermaine", Country: "Rossiya"},
	{Name: "X"},
}

// outcome is what every entry point must agree on for one query.
type outcome struct {
	Alert    bool
	DOB      string // as checked
	Country  string // as checked
	Total    int
	Hits     []string // entity ID and score, in order
	Warnings []interdict.Warning
}

func outcomeOf(res *interdict.ScreenResult) outcome {
	o := outcome{Alert: res.Alert, DOB: res.Query.DOB, Country: res.Query.Country, Total: res.TotalHits, Warnings: res.Warnings}
	if o.Warnings == nil {
		o.Warnings = []interdict.Warning{}
	}
	for _, h := range res.Hits {
		o.Hits = append(o.Hits, h.EntityID+" "+strconv.FormatFloat(h.Score, 'f', -1, 64))
	}
	return o
}

// TestConsistency screens the same queries through the CLI (one by one
// and as a batch file), the API (POST and GET /v1/screen and the NDJSON
// batch) and the web UI's batch upload, and checks that every entry point
// gives the same hits in the same order, the same scores and the same
// warnings; and that a row with no usable name is an error row in every
// batch.
func TestConsistency(t *testing.T) {
	ts := MustOpenServer(t)
	home := seededHome(t) // the same seed: the same list versions
	dir := t.TempDir()

	// The CLI, one query at a time.
	var want []outcome
	for _, q := range consistencyQueries {
		args := []string{"screen", "--json", q.Name}
		if q.DOB != "" {
			args = append(args, "--dob", q.DOB)
		}
		if q.Country != "" {
			args = append(args, "--country", q.Country)
		}
		code, out, errOut := run(t, home, nil, args...)
		if code != cli.ExitOK && code != cli.ExitMatch {
			t.Fatalf("screen %v: exit %d: %s", args, code, errOut)
		}
		var res interdict.ScreenResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("screen %v: %v: %s", args, err, out)
		}
		want = append(want, outcomeOf(&res))
		t.Logf("screen --json %+v: %+v", q, want[len(want)-1])
	}
	if !want[0].Alert || len(want[1].Hits) == 0 || len(want[5].Warnings) != 2 || want[1].Country != "FR" || want[2].Country != "RU" || want[2].DOB != "1965/1975" {
		t.Fatalf("the CLI's own results are not what this test is about: %+v", want)
	}
	check := func(t *testing.T, path string, got []outcome) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d results, want %d", path, len(got), len(want))
		}
		for i := range want {
			w, g := fmt.Sprintf("%+v", want[i]), fmt.Sprintf("%+v", got[i])
			if w != g {
				t.Errorf("%s: query %d %+v:\n got %s\nwant %s (screen --json)", path, i+1, consistencyQueries[i], g, w)
			}
		}
	}

	// The input file of the batches: the queries, then a row with no name.
	var in bytes.Buffer
	cw := csv.NewWriter(&in)
	cw.Write([]string{"Customer ID", "Name", "Date of Birth", "Nationality", "Branch"})
	for i, q := range consistencyQueries {
		cw.Write([]string{"c" + strconv.Itoa(i+1), q.Name, q.DOB, q.Country, "Paris"})
	}
	cw.Write([]string{"c-empty", " ", "1970", "FR", "Lyon"})
	cw.Flush()
	inPath := writeFile(t, dir, "customers.csv", in.Bytes())
	errorLine := len(consistencyQueries) + 2

	t.Run("cli batch", func(t *testing.T) {
		outPath := filepath.Join(dir, "results.jsonl")
		code, _, errOut := run(t, home, nil, "screen", "--input", inPath, "--output", outPath)
		if code != cli.ExitMatch {
			t.Fatalf("exit %d, want 3: %s", code, errOut)
		}
		if !strings.Contains(errOut, fmt.Sprintf("line %d: field name", errorLine)) {
			t.Errorf("stderr does not report the error row on line %d: %s", errorLine, errOut)
		}
		lines := strings.Split(strings.TrimSpace(string(mustRead(t, outPath))), "\n")
		var got []outcome
		for i, l := range lines {
			var row struct {
				Result   *interdict.ScreenResult `json:"result"`
				Warnings []interdict.Warning     `json:"warnings"`
				Error    string                  `json:"error"`
				Line     int                     `json:"line"`
			}
			if err := json.Unmarshal([]byte(l), &row); err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			if row.Line == errorLine {
				if row.Result != nil || !strings.Contains(row.Error, "field name") {
					t.Errorf("the row without a name: %s", l)
				}
				continue
			}
			if row.Result == nil {
				t.Fatalf("line %d: no result: %s", i+1, l)
			}
			if fmt.Sprint(row.Warnings) != fmt.Sprint(row.Result.Warnings) {
				t.Errorf("line %d: row warnings %v differ from the result's %v", i+1, row.Warnings, row.Result.Warnings)
			}
			got = append(got, outcomeOf(row.Result))
		}
		check(t, "screen --input", got)
	})

	t.Run("api", func(t *testing.T) {
		var post, get []outcome
		for _, q := range consistencyQueries {
			b, _ := json.Marshal(q)
			resp, body := ts.do(t, "POST /v1/screen", call{method: "POST", path: "/v1/screen", ctype: "application/json", body: string(b)})
			if resp.StatusCode != 200 {
				t.Fatalf("POST /v1/screen %s: %d %s", b, resp.StatusCode, body)
			}
			var res interdict.ScreenResult
			if err := json.Unmarshal(body, &res); err != nil {
				t.Fatal(err)
			}
			post = append(post, outcomeOf(&res))

			v := url.Values{"name": {q.Name}}
			if q.DOB != "" {
				v.Set("dob", q.DOB)
			}
			if q.Country != "" {
				v.Set("country", q.Country)
			}
			resp, body = ts.do(t, "GET /v1/screen", call{method: "GET", path: "/v1/screen?" + v.Encode()})
			if resp.StatusCode != 200 {
				t.Fatalf("GET /v1/screen?%s: %d %s", v.Encode(), resp.StatusCode, body)
			}
			res = interdict.ScreenResult{}
			if err := json.Unmarshal(body, &res); err != nil {
				t.Fatal(err)
			}
			get = append(get, outcomeOf(&res))
		}
		check(t, "POST /v1/screen", post)
		check(t, "GET /v1/screen", get)
	})

	t.Run("ndjson batch", func(t *testing.T) {
		var body strings.Builder
		for _, q := range consistencyQueries {
			b, _ := json.Marshal(q)
			body.Write(b)
			body.WriteByte('\n')
		}
		body.WriteString(`{"name":" ","dob":"1970"}` + "\n")
		resp, out := ts.do(t, "POST /v1/screen/batch", call{method: "POST", path: "/v1/screen/batch", ctype: "application/x-ndjson", body: body.String()})
		if resp.StatusCode != 200 {
			t.Fatalf("POST /v1/screen/batch: %d %s", resp.StatusCode, out)
		}
		var got []outcome
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			var line struct {
				interdict.ScreenResult
				Line  int              `json:"line"`
				Error *json.RawMessage `json:"error"`
			}
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
			if line.Line == len(consistencyQueries)+1 {
				if line.Error == nil || !strings.Contains(string(*line.Error), "field name") {
					t.Errorf("the line without a name: %s", l)
				}
				continue
			}
			if line.Error != nil || !strings.Contains(l, `"warnings":`) {
				t.Fatalf("line %d: %s", line.Line, l)
			}
			got = append(got, outcomeOf(&line.ScreenResult))
		}
		check(t, "POST /v1/screen/batch", got)
	})

	t.Run("ui batch", func(t *testing.T) {
		rows := uploadBatch(t, ts, "customers.csv", in.Bytes())
		if len(rows) != len(consistencyQueries)+1 {
			t.Fatalf("%d result rows, want %d", len(rows), len(consistencyQueries)+1)
		}
		if last := rows[len(rows)-1]; last["line"] != strconv.Itoa(errorLine) || !strings.Contains(last["error"], "field name") || last["Branch"] != "Lyon" {
			t.Errorf("the row without a name: %v", last)
		}
		// The results CSV holds the top hit of each row: it must be the
		// CLI's, with the same score, hit count and warnings.
		for i, w := range want {
			r := rows[i]
			var top, score string
			if len(w.Hits) > 0 {
				top, score, _ = strings.Cut(w.Hits[0], " ")
				f, _ := strconv.ParseFloat(score, 64)
				score = strconv.FormatFloat(f, 'f', 3, 64)
			}
			var ws []string
			for _, x := range w.Warnings {
				ws = append(ws, x.Field+": "+x.Message)
			}
			if r["top_entity_id"] != top || r["top_score"] != score || r["hits"] != strconv.Itoa(w.Total) ||
				r["alert"] != strconv.FormatBool(w.Alert) || r["warnings"] != strings.Join(ws, " | ") || r["Branch"] != "Paris" {
				t.Errorf("UI batch row %d %v:\n got top %s %s, %s hits, alert %s, warnings %q\nwant top %s %s, %d hits, alert %t, warnings %q",
					i+1, consistencyQueries[i], r["top_entity_id"], r["top_score"], r["hits"], r["alert"], r["warnings"], top, score, w.Total, w.Alert, strings.Join(ws, " | "))
			}
		}
	})
}

// uploadBatch uploads a file to the web UI's batch page, waits for the job
// to finish and returns the rows of its results CSV.
func uploadBatch(t *testing.T, ts *testServer, name string, data []byte) []map[string]string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	r, _ := http.NewRequest("POST", ts.URL()+"/batch", &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Origin", ts.URL())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/batch/") {
		t.Fatalf("upload: %d, Location %q", resp.StatusCode, loc)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, body := ts.do(t, "", call{method: "GET", path: loc + "/results.csv"})
		if resp.StatusCode == 200 {
			return readCSV(t, string(body))
		}
		if resp.StatusCode != http.StatusConflict || time.Now().After(deadline) {
			t.Fatalf("results: %d %s", resp.StatusCode, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
