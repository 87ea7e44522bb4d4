package source_test

import (
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		raw      string
		order    source.DateOrder
		from, to string
		prec     interdict.DatePrecision
		wantErr  bool
	}{
		{"10 Dec 1948", source.MonthFirst, "1948-12-10", "1948-12-10", interdict.PrecisionDay, false},
		{"1950", source.MonthFirst, "1950-01-01", "1950-12-31", interdict.PrecisionYear, false},
		{"circa 1963", source.MonthFirst, "1961-01-01", "1965-12-31", interdict.PrecisionCirca, false},
		{"1960 to 1962", source.MonthFirst, "1960-01-01", "1962-12-31", interdict.PrecisionRange, false},
		{"12/31/1970", source.MonthFirst, "1970-12-31", "1970-12-31", interdict.PrecisionDay, false},
		{"31/12/1970", source.DayFirst, "1970-12-31", "1970-12-31", interdict.PrecisionDay, false},
		{"1970-02", source.DayFirst, "1970-02-01", "1970-02-28", interdict.PrecisionMonth, false},
		{"19-Dec-1992", source.DayFirst, "1992-12-19", "1992-12-19", interdict.PrecisionDay, false},
		{"Feb 1970", source.DayFirst, "1970-02-01", "1970-02-28", interdict.PrecisionMonth, false},
		{"1970-12-31T00:00:00", source.DayFirst, "1970-12-31", "1970-12-31", interdict.PrecisionDay, false},
		{"31/02/1970", source.DayFirst, "", "", "", true},
		{"06/29/3033", source.MonthFirst, "", "", "", true},
		{"sometime", source.MonthFirst, "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			d, err := source.ParseDate(interdict.DateBirth, tt.raw, tt.order)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %+v, want error", tt.raw, d)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.raw, err)
			}
			if d.From != tt.from || d.To != tt.to || d.Precision != tt.prec || d.Raw != tt.raw {
				t.Fatalf("ParseDate(%q) = %+v, want [%s, %s] %s", tt.raw, d, tt.from, tt.to, tt.prec)
			}
		})
	}
}

func TestExcelDate(t *testing.T) {
	d, err := source.ExcelDate(interdict.DateBirth, 25569, "25569")
	if err != nil || d.From != "1970-01-01" {
		t.Fatalf("ExcelDate(25569) = %+v, %v; want 1970-01-01", d, err)
	}
}

func TestParseError(t *testing.T) {
	err := &source.ParseError{List: "un", File: "un.xml", Line: 12, Record: "QDi.430", Field: "DATE_OF_BIRTH", Err: errString("bad")}
	want := "un: un.xml:12: record QDi.430: field DATE_OF_BIRTH: bad"
	if got := err.Error(); got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
