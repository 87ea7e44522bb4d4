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
