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

func TestResolve(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DE", "DE"}, {"de", "DE"}, {"DEU", "DE"}, {"deu", "DE"}, {"Germany", "DE"},
		{"Deutschland", "DE"}, {"Allemagne", "DE"}, {"Alemania", "DE"}, {"Germania", "DE"},
		{"Frankreich", "FR"}, {"Francia", "FR"}, {"França", "FR"}, {"FRANCE", "FR"},
		{"Espagne", "ES"}, {"España", "ES"}, {"Spanien", "ES"},
		{"Irán", "IR"}, {"Iran, Islamic Republic of", "IR"}, {"Persia", "IR"}, {"إيران", "IR"},
		{"Türkiye", "TR"}, {"Turkey", "TR"}, {"Türkei", "TR"}, {"Turquie", "TR"},
		{"UAE", "AE"}, {"U.A.E.", "AE"}, {"Emirates", "AE"}, {"Vereinigte Arabische Emirate", "AE"}, {"الإمارات العربية المتحدة", "AE"},
		{"Rossiya", "RU"}, {"Rossiyskaya Federatsiya", "RU"}, {"Россия", "RU"}, {"Russland", "RU"}, {"Russian Federation", "RU"}, {"RUS", "RU"},
		{"中国", "CN"}, {"Китай", "CN"}, {"China", "CN"}, {"Chine", "CN"},
		{"Vereinigtes Königreich", "GB"}, {"Royaume-Uni", "GB"}, {"UK", "GB"}, {"U.K.", "GB"},
		{"Estados Unidos", "US"}, {"Vereinigte Staaten", "US"}, {"USA", "US"}, {"США", "US"},
		{"Suisse", "CH"}, {"Schweiz", "CH"}, {"Österreich", "AT"}, {"Nederland", "NL"},
		{"  korea, north ", "KP"}, {"Corée du Nord", "KP"}, {"Nordkorea", "KP"},
		{"Syrie", "SY"}, {"Siria", "SY"}, {"Weißrussland", "BY"},
		{"NA", "NA"}, {"na", ""}, {"n/a", ""}, {"N/A", ""}, {"unknown", ""}, {"-", ""}, {"", ""}, {"Atlantis", ""}, {"stateless", ""},
	}
	for _, tt := range tests {
		got, ok := country.Resolve(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

// TestResolve_names checks that every generated name resolves to its own
// country or, when two countries share it, to none.
func TestResolve_names(t *testing.T) {
	for _, code := range []string{"FR", "DE", "ES", "IT", "RU", "CN", "IR", "IQ", "SY", "KP", "AE", "TR", "UA", "BY", "VE", "CU"} {
		if n := country.Name(code); n == "" {
			t.Fatalf("Name(%s) is empty", code)
		} else if got, _ := country.Resolve(n); got != code {
			t.Errorf("Resolve(Name(%s) = %q) = %q", code, n, got)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"Iran", "de", "Korea, North", "Russia / Russie", "Iran (Islamic Republic of)", "Rossiya", "n/a", "中国"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := country.Resolve(s)
		if ok != (c != "") || (ok && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z')) {
			t.Fatalf("Resolve(%q) = %q, %v", s, c, ok)
		}
	})
}
