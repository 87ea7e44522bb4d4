package graph

import (
	"strings"
	"testing"

	"github.com/interdict/interdict"
)

func TestParseShare(t *testing.T) {
	cases := []struct {
		in     string
		lo, hi float64
		known  bool
		bad    bool
	}{
		{"50", 50, 50, true, false},
		{"49.9%", 49.9, 49.9, true, false},
		{"49,9 %", 49.9, 49.9, true, false},
		{"25-50", 25, 50, true, false},
		{"25 – 50%", 25, 50, true, false},
		{"25 to 50", 25, 50, true, false},
		{">50", 50, 100, true, false},
		{"at least 25", 25, 100, true, false},
		{"<10", 0, 10, true, false},
		{"", 0, 0, false, false},
		{"unknown", 0, 0, false, false},
		{"101", 0, 0, false, true},
		{"50-25", 0, 0, false, true},
		{"half", 0, 0, false, true},
		{"-5", 0, 0, false, true},
	}
	for _, c := range cases {
		lo, hi, known, err := ParseShare(c.in)
		if (err != nil) != c.bad || lo != c.lo || hi != c.hi || known != c.known {
			t.Errorf("ParseShare(%q) = %v, %v, %v, %v; want %v, %v, %v, error %v", c.in, lo, hi, known, err, c.lo, c.hi, c.known, c.bad)
		}
	}
}

func TestReadOwnershipsCSV(t *testing.T) {
	in := "\ufeffOwner;Company;Percentage;Role;Start Date;End Date\n" +
		"ofac-sdn:10122;ACME FZE;25-50;shareholder;2020-01-01;\n" +
		"\n" +
		"ACME FZE;book:C-1;;power to appoint the board;;\n"
	recs, err := ReadOwnerships(strings.NewReader(in), "owners.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	a, b := recs[0], recs[1]
	if a.Owner != "ofac-sdn:10122" || a.Owned != "ACME FZE" || a.ShareMin != 25 || a.ShareMax != 50 || !a.ShareKnown ||
		a.From != "2020-01-01" || a.Record != "line 2" || a.Source != "owners.csv" || a.Control {
		t.Errorf("record 1: %+v", a)
	}
	if b.ShareKnown || !b.Control || b.Record != "line 4" {
		t.Errorf("record 2: %+v; want unknown share, control, line 4", b)
	}
}

func TestReadOwnershipsJSON(t *testing.T) {
	for _, in := range []string{
		`[{"owner": "A", "owned": "B", "share": 50.5, "control": true}, {"owner": "B", "owned": "C", "share": "10-20"}]`,
		"{\"owner\": \"A\", \"owned\": \"B\", \"share\": 50.5, \"control\": true}\n{\"owner\": \"B\", \"owned\": \"C\", \"share\": \"10-20\"}\n",
	} {
		recs, err := ReadOwnerships(strings.NewReader(in), "o.json")
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[0].ShareMin != 50.5 || !recs[0].Control || recs[1].ShareMax != 20 || recs[1].Record != "record 2" {
			t.Errorf("%s: %+v %+v", in, recs[0], recs[1])
		}
	}
}

func TestReadOwnershipsErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"owner,share\nA,50\n", `o.csv: line 1: the header has no "owned" column`},
		{"owner,owned,share\nA,B,150\n", `o.csv: line 2: share: "150" is not a percentage from 0 to 100`},
		{"owner,owned,share\nA,B,10\n,C,5\n", "o.csv: line 3: owner: empty"},
		{"owner,owned,from\nA,B,yesterday\n", `o.csv: line 2: from: "yesterday" is not a date`},
		{"owner,owned,from,to\nA,B,2020,2019\n", "o.csv: line 2: to: 2019 is before from 2020"},
		{"owner,owned\nA,a\n", `o.csv: line 2: owned: "a" owns itself`},
		{"owner,owned,control\nA,B,maybe\n", `o.csv: line 2: control: "maybe" is not yes or no`},
		{`[{"owner": "A", "owned": ["B"]}]`, `o.csv: record 1: field "owned": want a string or number`},
		{`[{"owner": "A", "owned": "B"}`, "o.csv: after record 1"},
		{"owner,owned\n", "o.csv: no ownership records"},
	}
	for _, c := range cases {
		_, err := ReadOwnerships(strings.NewReader(c.in), "o.csv")
		if err == nil || !strings.Contains(interdict.ErrorMessage(err), c.want) || interdict.ErrorCode(err) != interdict.EINVALID {
			t.Errorf("%q: error %v, want EINVALID containing %q", c.in, err, c.want)
		}
	}
}

// FuzzReadOwnerships checks that the reader never panics, and that every
// record it accepts has both sides and a share interval within 0-100.
func FuzzReadOwnerships(f *testing.F) {
	f.Add("owner,owned,share,role,from,to\nofac-sdn:1,ACME,25-50,shareholder,2020-01-01,\n")
	f.Add("owner;owned;share\nA;B;>50\nB;C;49,9%\n")
	f.Add(`[{"owner": "A", "owned": "B", "share": 50, "control": "yes"}]`)
	f.Add("{\"owner\": \"A\", \"owned\": \"B\"}\n{\"owner\": \"B\", \"owned\": \"C\", \"share\": \"10 to 20\"}")
	f.Add("owner\towned\tshare\n\"A\"\"\"\tB\t\n")
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := ReadOwnerships(strings.NewReader(in), "fuzz")
		if err != nil {
			if interdict.ErrorCode(err) != interdict.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		for _, r := range recs {
			if strings.TrimSpace(r.Owner) == "" || strings.TrimSpace(r.Owned) == "" {
				t.Fatalf("record without a side: %+v", r)
			}
			if r.ShareMin < 0 || r.ShareMax > 100 || r.ShareMin > r.ShareMax {
				t.Fatalf("share interval %v-%v", r.ShareMin, r.ShareMax)
			}
		}
		// Whatever it read builds a graph that answers.
		g := Build(Input{Ownerships: recs}, Options{})
		for _, r := range recs {
			if _, err := g.Ownership(r.Owned); err != nil {
				t.Fatalf("ownership of %q: %v", r.Owned, err)
			}
		}
	})
}
