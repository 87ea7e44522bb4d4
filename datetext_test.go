package interdict_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/interdict/interdict"
)

func TestParseDOB(t *testing.T) {
	tests := []struct {
		in    string
		order interdict.DateOrder
		want  string
		note  bool // a warning is expected
	}{
		{"", "", "", false},
		{"1969", "", "1969", false},
		{"1969-07-16", "", "1969-07-16", false},
		{"1969-7-6", "", "1969-07-06", false},
		{"1969-07", "", "1969-07", false},
		{"07/1969", "", "1969-07", false},
		{"16.07.1969", "", "1969-07-16", false},
		{"6.7.1969", "", "1969-07-06", false},
		{"16/7/1969", "", "1969-07-16", false},
		{"7/16/1969", "", "1969-07-16", false},
		{"1969/07/16", "", "1969-07-16", false},
		{"19690716", "", "1969-07-16", false},
		{"16071969", "", "1969-07-16", false},
		{"16 Jul 1969", "", "1969-07-16", false},
		{"16th July 1969", "", "1969-07-16", false},
		{"July 16, 1969", "", "1969-07-16", false},
		{"16-Jul-1969", "", "1969-07-16", false},
		{"16-JUL-1969", "", "1969-07-16", false},
		{"Jul 1969", "", "1969-07", false},
		{"16. März 1969", "", "1969-03-16", false},
		{"3 août 1969", "", "1969-08-03", false},
		{"1969-07-16T00:00:00", "", "1969-07-16", false},
		{"1969-07-16T00:00:00Z", "", "1969-07-16", false},
		{"1969-07-16 00:00:00", "", "1969-07-16", false},
		{"7/16/1969 0:00", "", "1969-07-16", false},
		{"16.07.1969 00:00:00", "", "1969-07-16", false},
		{"7/16/1969 12:00:00 AM", "", "1969-07-16", false},
		{"12:00", "", "", true},
		{"circa 1970", "", "1965/1975", false},
		{"c. 1970", "", "1965/1975", false},
		{"ca. 1970", "", "1965/1975", false},
		{"about 1970", "", "1965/1975", false},
		{"~1970", "", "1965/1975", false},
		{"1970s", "", "1970/1979", false},
		{"1970's", "", "1970/1979", false},
		{"1965/1975", "", "1965/1975", false},
		{"1965-1975", "", "1965/1975", false},
		{"1975 - 1965", "", "1965/1975", false},
		{"1970-03-04/1970-04-03", "", "1970-03-04/1970-04-03", false},
		{"00/00/1970", "", "1970", false},
		{"1970-00-00", "", "1970", false},
		{"00/07/1969", "", "1969-07", false},
		{"03/04/1970", "", "1970-03-04/1970-04-03", false},
		{"03/04/1970", interdict.DateOrderDMY, "1970-04-03", false},
		{"03/04/1970", interdict.DateOrderMDY, "1970-03-04", false},
		{"04/04/1970", "", "1970-04-04", false},
		{"1974-01-32", "", "1974-01", true},
		{"1974-13-01", "", "1974", true},
		{"31/02/1980", "", "1980-02", true},
		{"29/02/1980", "", "1980-02-29", false},
		{"29/02/1981", "", "1981-02", true},
		{"07-16-69", "", "1969-07-16", true},
		{"16/07/69", "", "1969-07-16", true},
		{"16-Jul-69", "", "1969-07-16", true},
		{"01/02/05", interdict.DateOrderDMY, "2005-02-01", true},
		{"n/a", "", "", true},
		{"N/A", "", "", true},
		{"unknown", "", "", true},
		{"-", "", "", true},
		{"1799", "", "", true},
		{"2201-01-01", "", "", true},
		{"last year", "", "", true},
		{"12345", "", "", true},
		{"Jul", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in+"/"+string(tt.order), func(t *testing.T) {
			got, note := interdict.ParseDOB(tt.in, tt.order)
			if got != tt.want || (note != "") != tt.note {
				t.Fatalf("ParseDOB(%q, %q) = %q, note %q; want %q, note=%v", tt.in, tt.order, got, note, tt.want, tt.note)
			}
		})
	}
}

var canonicalDOB = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$`)

func FuzzParseDOB(f *testing.F) {
	for _, s := range []string{"1969-07-16", "16.07.1969", "03/04/1970", "July 16, 1969", "circa 1970", "1970s",
		"00/00/1970", "1969-07-16T00:00:00", "07-16-69", "n/a", "1965/1975", "c. 1970s", "31/02/1980"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, o := range []interdict.DateOrder{interdict.DateOrderAuto, interdict.DateOrderDMY, interdict.DateOrderMDY, interdict.DateOrderYMD} {
			got, note := interdict.ParseDOB(s, o)
			if got == "" {
				if note == "" && strings.TrimSpace(s) != "" {
					t.Fatalf("ParseDOB(%q, %q) dropped the value without a note", s, o)
				}
				continue
			}
			if !canonicalDOB.MatchString(got) {
				t.Fatalf("ParseDOB(%q, %q) = %q: not canonical", s, o, got)
			}
			for _, part := range strings.Split(got, "/") {
				if y := part[:4]; y < "1800" || y > "2200" {
					t.Fatalf("ParseDOB(%q, %q) = %q: year out of range", s, o, got)
				}
				if len(part) >= 7 && (part[5:7] < "01" || part[5:7] > "12") {
					t.Fatalf("ParseDOB(%q, %q) = %q: month out of range", s, o, got)
				}
				if len(part) == 10 && (part[8:] < "01" || part[8:] > "31") {
					t.Fatalf("ParseDOB(%q, %q) = %q: day out of range", s, o, got)
				}
			}
			if from, to, ok := strings.Cut(got, "/"); ok && to < from {
				t.Fatalf("ParseDOB(%q, %q) = %q: interval runs backwards", s, o, got)
			}
		}
	})
}

func TestQuery_Check(t *testing.T) {
	upper := func(s string) (string, bool) {
		if s == "Frankreich" {
			return "FR", true
		}
		return "", false
	}
	tests := []struct {
		name     string
		q        interdict.Query
		wantDOB  string
		wantCtry string
		warns    []string // fields warned about
	}{
		{"clean", interdict.Query{Name: "A", DOB: "16.07.1969", Country: "Frankreich"}, "1969-07-16", "FR", nil},
		{"impossible day", interdict.Query{Name: "A", DOB: "1974-01-32"}, "1974-01", "", []string{"dob"}},
		{"unknown date and country", interdict.Query{Name: "A", DOB: "n/a", Country: "n/a"}, "", "", []string{"dob", "country"}},
		{"ambiguous", interdict.Query{Name: "A", DOB: "03/04/1970"}, "1970-03-04/1970-04-03", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, warns, err := tt.q.Check(interdict.CheckOptions{Country: upper})
			if err != nil {
				t.Fatal(err)
			}
			var fields []string
			for _, w := range warns {
				fields = append(fields, w.Field)
			}
			if q.DOB != tt.wantDOB || q.Country != tt.wantCtry || strings.Join(fields, ",") != strings.Join(tt.warns, ",") {
				t.Fatalf("Check(%+v) = dob %q country %q warnings %v; want %q %q %v", tt.q, q.DOB, q.Country, warns, tt.wantDOB, tt.wantCtry, tt.warns)
			}
		})
	}
	if _, _, err := (interdict.Query{Name: "A", DOB: "1974-01-32"}).Check(interdict.CheckOptions{Strict: true}); interdict.ErrorCode(err) != interdict.EINVALID {
		t.Fatalf("strict Check of an impossible date: err = %v, want EINVALID", err)
	}
}
