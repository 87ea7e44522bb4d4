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

func TestCheckGender(t *testing.T) {
	for in, want := range map[string]string{"Male": "male", "f": "female", "WOMAN": "female", "": "", "n/a": "", "other": ""} {
		q, warns, err := interdict.Query{Name: "Anna Smith", Gender: in}.Check(interdict.CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if q.Gender != want {
			t.Errorf("Check(gender %q) = %q, want %q", in, q.Gender, want)
		}
		if gotWarn := len(warns) > 0; gotWarn != (in == "other") {
			t.Errorf("Check(gender %q): warnings %v", in, warns)
		}
	}
}
