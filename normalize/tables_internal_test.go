package normalize

import (
	"strings"
	"testing"
)

// TestEmbeddedModelTables checks that every line of the generated letter
// model tables is read: a line the loaders skip would be lost silently.
func TestEmbeddedModelTables(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		n    int
	}{
		{"model.tsv", modelTSV, len(loadModel())},
		{"channel.tsv", channelTSV, channelLines(loadChannel())},
	} {
		lines := 0
		for _, l := range strings.Split(tc.text, "\n") {
			if l != "" && l[0] != '#' {
				lines++
			}
		}
		if lines == 0 || lines != tc.n {
			t.Errorf("%s: %d data lines, %d read", tc.name, lines, tc.n)
		}
	}
}

func channelLines(ch channel) int {
	n := 0
	for _, lc := range ch {
		n += len(lc.segs)
		if lc.silent > 0 {
			n++
		}
	}
	return n
}
