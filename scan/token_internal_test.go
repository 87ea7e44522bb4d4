package scan

import (
	"slices"
	"testing"
)

// TestTokenize_Arabic: الله is read with the word before it (نصر الله is
// one name part, Nasrallah), and a word with a one-letter proclitic has the
// word without it among its readings.
func TestTokenize_Arabic(t *testing.T) {
	d := tokenize("قال حسن نصر الله إن وحماس")
	var words []string
	for i := range d.toks {
		words = append(words, d.word(i))
	}
	want := []string{"قال", "حسن", "نصر الله", "إن", "وحماس"}
	if !slices.Equal(words, want) {
		t.Fatalf("tokens = %q, want %q", words, want)
	}
	if r := d.romWords(2); !slices.Contains(r, "nsrallah") {
		t.Errorf("readings of %q = %q, want nsrallah among them", d.word(2), r)
	}
	if r := d.romWords(4); !slices.Contains(r, "hamas") || r[0] == "hamas" {
		t.Errorf("readings of %q = %q, want hamas after the reading as written", d.word(4), r)
	}
	// Not across a sentence or a line.
	d = tokenize("نصر.\n\nالله")
	if len(d.toks) != 2 {
		t.Errorf("tokens across a sentence end = %d, want 2", len(d.toks))
	}
}

// TestTokenize_ASCII: the ASCII words, read by the fast path, and the
// words the general path reads, hashed alike.
func TestTokenize_ASCII(t *testing.T) {
	d := tokenize("Kim Jong-un met O'Brien; Vekselberg's AB12 firm, USA and Téhéran.")
	var words []string
	for i := range d.toks {
		words = append(words, d.word(i))
	}
	want := []string{"Kim", "Jong", "un", "met", "O'Brien", "Vekselberg", "s", "AB12", "firm", "USA", "and", "Téhéran"}
	if !slices.Equal(words, want) {
		t.Fatalf("tokens = %q, want %q", words, want)
	}
	flags := map[string]uint16{"Kim": fUpperFirst | fLatin | fSentStart, "un": fUpperFirst | fHyphenCap | fLatin, "AB12": fUpperFirst | fAllUpper | fDigit | fLatin,
		"firm": fLatin | fCommaAfter, "USA": fUpperFirst | fAllUpper | fLatin}
	for i, w := range words {
		if f, ok := flags[w]; ok && d.toks[i].flags != f {
			t.Errorf("flags of %q = %b, want %b", w, d.toks[i].flags, f)
		}
	}
	if d.toks[0].fold != hashString("kim") || d.toks[4].fold != hashString("obrien") {
		t.Errorf("hashes of Kim and O'Brien are not those of kim and obrien")
	}
	d2 := tokenize("KIM")
	if d2.toks[0].rom != d.toks[0].rom {
		t.Errorf("KIM and Kim hash apart")
	}
}
