package interdict_test

import (
	"testing"

	"github.com/interdict/interdict"
)

func TestQuery_Validate(t *testing.T) {
	tests := []struct {
		name string
		q    interdict.Query
		ok   bool
	}{
		{"name only", interdict.Query{Name: "Majid Kakavand"}, true},
		{"id only", interdict.Query{IDNumber: "IMO 9233753"}, true},
		{"empty", interdict.Query{Name: "  "}, false},
		{"kind", interdict.Query{Name: "X", Kind: "vessel"}, true},
		{"bad kind", interdict.Query{Name: "X", Kind: "spaceship"}, false},
		{"year", interdict.Query{Name: "X", DOB: "1960"}, true},
		{"iso", interdict.Query{Name: "X", DOB: "1960-08-31"}, true},
		{"dotted", interdict.Query{Name: "X", DOB: "31.08.1960"}, true},
		{"impossible", interdict.Query{Name: "X", DOB: "1960-02-30"}, false},
		{"words", interdict.Query{Name: "X", DOB: "last year"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.q.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate(%+v) = %v, want ok=%v", tt.q, err, tt.ok)
			}
			if err != nil && interdict.ErrorCode(err) != interdict.EINVALID {
				t.Fatalf("error code = %s, want EINVALID", interdict.ErrorCode(err))
			}
		})
	}
}
