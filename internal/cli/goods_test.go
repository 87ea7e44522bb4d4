package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestGoodsClassify(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"listed", []string{"goods", "classify", "frequency converter, multiphase, 40 kW, 600-2000 Hz, ±0.1 %"}, 3, "DECISION: LICENCE-REQUIRED\n  licence-required    entry       listed under 3A225"},
		{"candidate", []string{"goods", "classify", "pressure transducers"}, 3, "DECISION: REVIEW\n  review              entry       may fall under 2B230"},
		{"not listed", []string{"goods", "classify", "--hs", "9401.30", "office chairs"}, 0, "DECISION: NO-LICENCE-REQUIRED"},
		{"embargo", []string{"goods", "classify", "--destination", "Iran", "office chairs"}, 3, "DECISION: PROHIBITED\n  prohibited          destination US comprehensive-embargo on IR, whatever the goods"},
		{"embargo by name", []string{"goods", "classify", "--destination", "North Korea", "printer paper"}, 3, "DECISION: PROHIBITED"},
		{"unknown destination", []string{"goods", "classify", "--destination", "Narnia", "office chairs"}, 1, ""},
		{"end user without lists", []string{"goods", "classify", "--end-user", "ACME", "coffee"}, 1, ""},
		{"json", []string{"goods", "classify", "--json", "pressure transducers"}, 3, `"decision": "review"`},
		{"usage", []string{"goods", "classify"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, t.TempDir(), nil, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.contains) {
				t.Errorf("%v: exit %d, want %d; stdout contains %q: %v\n%s%s", tt.args, code, tt.code, tt.contains, strings.Contains(out, tt.contains), out, errOut)
			}
		})
	}
}

func TestGoodsClassify_Batch(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "order.csv", []byte("description,hs,quantity,value,destination,end_user\n"+
		"office chairs,940130,10,500,DE,\n"+
		"\"maraging steel bar, UTS 2,050 MPa, 100 mm\",722830,1,9000,DE,\n"))
	out := filepath.Join(dir, "out.json")
	code, _, errOut := run(t, dir, nil, "goods", "classify", "--input", in, "--output", out)
	if code != 3 {
		t.Fatalf("exit %d, want 3 (a listed line): %s", code, errOut)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Results []struct {
			Verdict string `json:"verdict"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Results) != 2 || got.Results[0].Verdict != "not-listed" || got.Results[1].Verdict != "listed" {
		t.Errorf("results = %+v", got.Results)
	}

	// XLSX in, XLSX out.
	f := excelize.NewFile()
	for i, row := range [][]string{{"Description", "HS"}, {"pressure transducers", "902620"}} {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr("Sheet1", cell, v)
		}
	}
	xin := filepath.Join(dir, "order.xlsx")
	if err := f.SaveAs(xin); err != nil {
		t.Fatal(err)
	}
	xout := filepath.Join(dir, "out.xlsx")
	if code, _, errOut := run(t, dir, nil, "goods", "classify", "--input", xin, "--output", xout); code != 3 {
		t.Fatalf("xlsx: exit %d, want 3 (a line to review): %s", code, errOut)
	}
	g, err := excelize.OpenFile(xout)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := g.GetRows(g.GetSheetName(0))
	if len(rows) != 2 || rows[0][1] != "decision" || rows[1][1] != "review" || !strings.Contains(rows[1][2], "2B230") || rows[1][9] != "candidate" {
		t.Errorf("xlsx rows = %v", rows)
	}
}

func TestEvalGoods(t *testing.T) {
	code, out, errOut := run(t, t.TempDir(), nil, "eval", "goods")
	if code != 0 || !strings.Contains(out, "top-3 candidates: recall") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// TestGoodsClassify_EndUser screens the end user against the bundled lists.
func TestGoodsClassify_EndUser(t *testing.T) {
	home := snapshotHome(t)
	code, out, errOut := run(t, home, nil, "goods", "classify", "--json", "--end-user", "Majid Kakavand", "--destination", "AE", "office chairs")
	if code != 3 || !strings.Contains(out, "fa11888b58b441184dc4a0ed49bf08590af83e04") {
		t.Fatalf("exit %d, want 3 with the Entity List hit:\n%s%s", code, out, errOut)
	}
	var res struct {
		Decision string `json:"decision"`
		Reasons  []struct {
			Source   string `json:"source"`
			Decision string `json:"decision"`
			EntityID string `json:"entity_id"`
			List     string `json:"list"`
		} `json:"reasons"`
		Verdict string `json:"verdict"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	// Office chairs are not listed, but the listed end user decides the line.
	if res.Verdict != "not-listed" || (res.Decision != "prohibited" && res.Decision != "licence-required") ||
		len(res.Reasons) == 0 || res.Reasons[0].Source != "end-user" || res.Reasons[0].EntityID == "" || res.Reasons[0].List == "" {
		t.Errorf("office chairs for a listed end user: %+v", res)
	}
	code, _, errOut = run(t, t.TempDir(), nil, "goods", "classify", "--end-user", "ACME", "coffee")
	if code != 1 || !strings.Contains(errOut, "No lists are loaded") {
		t.Fatalf("end user with no lists: exit %d, %q; want an error, not an unscreened pass", code, errOut)
	}
}
