package country_test

import (
	"testing"

	"github.com/interdict/interdict/country"
)

func TestCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Iran", "IR"},
		{"IRN", "IR"},
		{"IR", "IR"},
		{"Iran (Islamic Republic of)", "IR"},
		{"Russia / Russie", "RU"},
		{"Belarus / Bélarus", "BY"},
		{"Korea, North", "KP"},
		{"Korea, Democratic People's Republic of", "KP"},
		{"Democratic People's Republic of Korea", "KP"},
		{"United Arab Emirates", "AE"},
		{"Türkiye", "TR"},
		{"Côte d'Ivoire", "CI"},
		{"Congo, Democratic Republic of the", "CD"},
		{"Crimea", "UA"},
		{"Российская Федерация", "RU"},
		{"Namibia", "NA"},
		{"Atlantis", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := country.Code(tt.in); got != tt.want {
			t.Errorf("Code(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestName(t *testing.T) {
	if got := country.Name("IR"); got == "" {
		t.Fatalf("Name(IR) is empty")
	}
	if got := country.Name("ZZ"); got != "" {
		t.Fatalf("Name(ZZ) = %q, want empty", got)
	}
}
