package message_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/interdict/interdict/message"
)

// partyKeys returns the BICs (without a branch XXX) and names of the
// parties of ms, upper-cased and sorted, without duplicates.
func partyKeys(ms []*message.Message) (bics, names []string) {
	for _, m := range ms {
		for _, p := range m.Parties {
			if b := strings.TrimSuffix(p.BIC.Value, "XXX"); b != "" {
				bics = append(bics, b)
			}
			if n := strings.Join(strings.Fields(strings.ToUpper(p.Name.Value)), " "); n != "" {
				names = append(names, n)
			}
		}
	}
	slices.Sort(bics)
	slices.Sort(names)
	return slices.Compact(bics), slices.Compact(names)
}

// TestParse_mtMXPairs reads each SWIFT MT message of the samples and its
// ISO 20022 translation (index.json pairs them) and checks that both
// forms name the same banks (BICs) and the same parties (names).
func TestParse_mtMXPairs(t *testing.T) {
	needSamples(t)
	dir := filepath.Join(samples, "mt", "ballerina-mt-mx")
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pairs []struct {
		Fin      string `json:"fin"`
		Expected string `json:"expected_iso20022"`
		MT       string `json:"mt_type"`
	}
	if err := json.Unmarshal(b, &pairs); err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 60 {
		t.Fatalf("index.json has %d pairs, MANIFEST.md says 60", len(pairs))
	}
	for _, p := range pairs {
		t.Run(strings.TrimSuffix(p.Fin, ".fin"), func(t *testing.T) {
			mt := readSample(t, filepath.Join("mt", "ballerina-mt-mx", p.Fin))
			mx := readSample(t, filepath.Join("mt", "ballerina-mt-mx", p.Expected))
			if got := strings.TrimPrefix(mt[0].Format, "MT"); !strings.HasPrefix(got, p.MT) {
				t.Errorf("MT format %s, index says MT%s", mt[0].Format, p.MT)
			}
			mtB, mtN := partyKeys(mt)
			mxB, mxN := partyKeys(mx)
			if !slices.Equal(mtB, mxB) {
				t.Errorf("BICs differ:\n MT  %v\n ISO %v", mtB, mxB)
			}
			if !slices.Equal(mtN, mxN) {
				t.Errorf("names differ:\n MT  %q\n ISO %q", mtN, mxN)
			}
		})
	}
}
