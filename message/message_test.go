package message_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interdict/interdict/message"
)

// samples is the shared message data (../shared/data/messages beside the
// checkout); tests that need it skip when it is absent.
var samples = filepath.Join("..", "..", "shared", "data", "messages")

func needSamples(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(samples); err != nil {
		t.Skipf("shared message samples not found at %s: %v", samples, err)
	}
}

// broken are the samples MANIFEST.md marks as deliberately malformed, with
// the field the error must name.
var broken = map[string]string{
	"fedWireMessage-InvalidTag.txt":         "{1599}",
	"fedWireMessage-MissingRequiredTag.txt": "{6410}",
}

// notMessages are files of the sample folder that hold no message.
func notMessage(path string) bool {
	base := filepath.Base(path)
	return base == "MANIFEST.md" || base == "index.json" || strings.HasSuffix(base, ".xsd")
}

func sampleFiles(t testing.TB) []string {
	needSamples(t)
	var out []string
	err := filepath.WalkDir(samples, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !notMessage(p) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func readSample(t testing.TB, rel string) []*message.Message {
	t.Helper()
	needSamples(t)
	p := filepath.Join(samples, rel)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := message.Parse(filepath.Base(p), b)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestParse_samples parses every sample message: each parses into at least
// one message with at least one party, or, for the deliberately broken
// ones, fails with a ParseError naming the offending field.
func TestParse_samples(t *testing.T) {
	files := sampleFiles(t)
	if len(files) < 150 {
		t.Fatalf("found %d sample files, want the 180 or so of MANIFEST.md", len(files))
	}
	msgs := 0
	syntaxes := map[message.Syntax]int{}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(p)
		ms, err := message.Parse(base, b)
		if field, bad := broken[base]; bad {
			var pe *message.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%s: deliberately broken, got error %v, want a ParseError", base, err)
				continue
			}
			if pe.Path != field || pe.Source != base || !strings.Contains(err.Error(), field) {
				t.Errorf("%s: error %q (field %q), want one naming the file and field %s", base, err, pe.Path, field)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", base, err)
			continue
		}
		for i, m := range ms {
			msgs++
			syntaxes[m.Syntax]++
			if m.Format == "" {
				t.Errorf("%s message %d: no format", base, i+1)
			}
			if len(m.Parties) == 0 && len(m.Texts) == 0 {
				t.Errorf("%s message %d (%s): no party and no text", base, i+1, m.Format)
			}
			for _, pt := range m.Parties {
				if pt.Role == "" || pt.Path == "" {
					t.Errorf("%s message %d: party without role or path: %+v", base, i+1, pt)
				}
			}
		}
	}
	t.Logf("%d files, %d messages: %v", len(files), msgs, syntaxes)
}
