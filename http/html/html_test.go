package html_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/http/html"
)

func TestHighlight(t *testing.T) {
	ex, ph := interdict.MatchExact, interdict.MatchPhonetic
	tests := []struct {
		name    string
		text    string
		matched map[string]interdict.MatchKind
		want    string // marked words in brackets, with their kind
	}{
		{"Exact", "Majid Kakavand", map[string]interdict.MatchKind{"majid": ex, "kakavand": ex}, "[exact:Majid] [exact:Kakavand]"},
		{"Partial", "KAKAVAND, Majid Ali", map[string]interdict.MatchKind{"kakavand": ph}, "[phonetic:KAKAVAND], Majid Ali"},
		{"Accents", "Åsa Müller-Łukasz", map[string]interdict.MatchKind{"muller": ex, "lukasz": ex}, "Åsa [exact:Müller]-[exact:Łukasz]"},
		{"Joined", "Usama Bin Laden", map[string]interdict.MatchKind{"bin laden": interdict.MatchJoined}, "Usama [joined:Bin] [joined:Laden]"},
		{"NonLatin", "مجید کاکاوند", map[string]interdict.MatchKind{"majid": ex}, "مجید کاکاوند"},
		{"Empty", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			for _, s := range html.Highlight(tt.text, tt.matched) {
				if s.Kind != "" {
					b.WriteString("[" + string(s.Kind) + ":" + s.Text + "]")
				} else {
					b.WriteString(s.Text)
				}
			}
			if b.String() != tt.want {
				t.Errorf("Highlight(%q) = %q, want %q", tt.text, b.String(), tt.want)
			}
		})
	}
}

func TestHighlightTerms(t *testing.T) {
	ex, syn := interdict.MatchExact, interdict.MatchKind("synonym")
	tests := []struct {
		name  string
		text  string
		terms map[string]interdict.MatchKind
		want  string
	}{
		{"Inflections", "Multiple-seal pumps; pump bodies, alloyed or alloying", map[string]interdict.MatchKind{"pump": ex, "alloy": syn}, "Multiple-seal [exact:pumps]; [exact:pump] bodies, [synonym:alloyed] or [synonym:alloying]"},
		{"Ies", "Batteries and a battery", map[string]interdict.MatchKind{"battery": ex}, "[exact:Batteries] and a [exact:battery]"},
		{"NotAPrefixMatch", "party parts partial", map[string]interdict.MatchKind{"part": ex}, "party [exact:parts] partial"},
		{"Phrase", "Frequency changers (converters)", map[string]interdict.MatchKind{"frequency changer": ex}, "[exact:Frequency] [exact:changers] (converters)"},
		{"ShortTerm", "As and Ash", map[string]interdict.MatchKind{"as": ex}, "[exact:As] and Ash"},
		{"Empty", "", map[string]interdict.MatchKind{"pump": ex}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			for _, s := range html.HighlightTerms(tt.text, tt.terms) {
				if s.Kind != "" {
					b.WriteString("[" + string(s.Kind) + ":" + s.Text + "]")
				} else {
					b.WriteString(s.Text)
				}
			}
			if b.String() != tt.want {
				t.Errorf("HighlightTerms(%q, %v) = %q, want %q", tt.text, tt.terms, b.String(), tt.want)
			}
		})
	}
}

func TestPrograms(t *testing.T) {
	tests := []struct {
		list     string
		programs []string
		want     string
	}{
		{"csl", []string{"EL"}, "EL (Entity List, BIS)"},
		{"csl", []string{"IRAN", "DPL"}, "IRAN, DPL (Denied Persons List, BIS)"},
		{"ofac-sdn", []string{"EL"}, "EL"},
	}
	for _, tt := range tests {
		if got := html.Programs(tt.list, tt.programs); got != tt.want {
			t.Errorf("Programs(%s, %v) = %q, want %q", tt.list, tt.programs, got, tt.want)
		}
	}
}

// TestTemplates renders every page with zero data, so that a template
// that refers to a missing field fails here and not in production.
func TestTemplates(t *testing.T) {
	ts, err := html.Parse()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ts.Render(&buf, "nope", nil); err == nil {
		t.Errorf("Render of an unknown page: no error")
	}
}
