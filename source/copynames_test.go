package source_test

import (
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

func copyEntity(kind interdict.Kind, names ...string) interdict.Entity {
	e := interdict.Entity{Kind: kind}
	for i, n := range names {
		q := interdict.NameStrong
		if i == 0 {
			q = interdict.NamePrimary
		}
		nm, ok := source.NewName(n, q)
		if !ok {
			panic(n)
		}
		e.Names = append(e.Names, nm)
	}
	return e
}

func qualities(e interdict.Entity) map[string]interdict.NameQuality {
	m := map[string]interdict.NameQuality{}
	for _, n := range e.Names {
		m[n.Full] = n.Quality
	}
	return m
}

func TestWeighCopyNames(t *testing.T) {
	const (
		P = interdict.NamePrimary
		S = interdict.NameStrong
		W = interdict.NameWeak
	)
	tests := []struct {
		name  string
		e     interdict.Entity
		first string
		want  map[string]interdict.NameQuality
	}{
		{
			// Real EU records (logicalId 3195, 174233, 131598).
			name:  "person: nickname first, the name with its family name in capitals becomes primary",
			e:     copyEntity(interdict.KindPerson, "Lydia", "Tango Romeo", "Major", "Bosco TAGANDA", "Bosco Ntaganda"),
			first: "Bosco TAGANDA",
			want:  map[string]interdict.NameQuality{"Lydia": W, "Major": W, "Tango Romeo": S, "Bosco TAGANDA": P, "Bosco Ntaganda": S},
		},
		{
			name:  "person: another language's spelling of a plain name is weak",
			e:     copyEntity(interdict.KindPerson, "Žanna Brysina", "Žanna Brysinová", "Zhanna BRYSINA"),
			first: "Zhanna BRYSINA",
			want:  map[string]interdict.NameQuality{"Žanna Brysina": W, "Žanna Brysinová": W, "Zhanna BRYSINA": P},
		},
		{
			name:  "person: a name of the person's own with such letters that no plain name spells stays",
			e:     copyEntity(interdict.KindPerson, "Andreas Martin MÜLLER", "Abu Nusaiba"),
			first: "Andreas Martin MÜLLER",
			want:  map[string]interdict.NameQuality{"Andreas Martin MÜLLER": P, "Abu Nusaiba": S},
		},
		{
			name: "organisation: a family of translations is weak, the plain names stay",
			e: copyEntity(interdict.KindOrganization, "Brigada 7 Tarhuna", "Milicia Al-Kani", "Al-Kani-Miliz",
				"Brygada z Tarhuny", "Tarhúna Brigád", "бригада Kani", "Ταξιαρχία Kani", "Al-Kani Militia", "Kaniyat"),
			first: "Brigada 7 Tarhuna",
			want: map[string]interdict.NameQuality{"Brigada 7 Tarhuna": P, "Milicia Al-Kani": S, "Al-Kani-Miliz": S,
				"Brygada z Tarhuny": S, "Tarhúna Brigád": W, "бригада Kani": W, "Ταξιαρχία Kani": W, "Al-Kani Militia": S, "Kaniyat": S},
		},
		{
			name:  "organisation: named in its own language, two such names stay",
			e:     copyEntity(interdict.KindOrganization, "Banco de Venezuela", "Banco de Venezuela S.A.", "BDV"),
			first: "Banco de Venezuela",
			want:  map[string]interdict.NameQuality{"Banco de Venezuela": P, "Banco de Venezuela S.A.": S, "BDV": S},
		},
		{
			name:  "organisation: a translated primary name gives way to the first plain name",
			e:     copyEntity(interdict.KindOrganization, "Organisation révolutionnaire", "Organización de la Revolución", "Revolutionaire Organisatie van X", "Abu Nidal Organisation"),
			first: "Abu Nidal Organisation",
			want: map[string]interdict.NameQuality{"Organisation révolutionnaire": W, "Organización de la Revolución": W,
				"Revolutionaire Organisatie van X": W, "Abu Nidal Organisation": P},
		},
		{
			name:  "unknown kind: one word with nothing better stays the weak first name",
			e:     copyEntity(interdict.KindUnknown, "HAQQANI"),
			first: "HAQQANI",
			want:  map[string]interdict.NameQuality{"HAQQANI": W},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.e
			source.WeighCopyNames(&e, nil)
			if e.Names[0].Full != tt.first {
				t.Errorf("first name %q, want %q", e.Names[0].Full, tt.first)
			}
			got := qualities(e)
			for n, q := range tt.want {
				if got[n] != q {
					t.Errorf("%q: quality %q, want %q", n, got[n], q)
				}
			}
		})
	}
}

func TestOtherLanguageForm(t *testing.T) {
	for _, tt := range []struct {
		name string
		org  bool
		want bool
	}{
		{"Hafiz MAKHLOUF", false, false},
		{"Háfiz Machlúf", false, true},
		{"Ταξιαρχία Kani", true, true},
		{"бригада Kani", true, true},
		{"Игорь Владимирович КОСТИН", false, false},
		{"Consejo Revolucionario de Al Fatah", true, true},
		{"Consejo Revolucionario de Al Fatah", false, false},
		{"Gama'a al-Islamiyya", true, false},
		{"Dar al-Hikma", true, false},
		{"Abu Nidal Organisation", true, false},
	} {
		if got := source.OtherLanguageForm(tt.name, tt.org); got != tt.want {
			t.Errorf("OtherLanguageForm(%q, %v) = %v, want %v", tt.name, tt.org, got, tt.want)
		}
	}
}
