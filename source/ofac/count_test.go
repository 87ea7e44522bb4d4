package ofac_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/ofac"
)

// TestParseXML_RecordCount checks the publisher's own count: a file whose
// sdnEntry elements do not add up to its Record_Count (an entry lost, the
// XML still well formed) is refused whole.
func TestParseXML_RecordCount(t *testing.T) {
	data, err := os.ReadFile("testdata/xml/consolidated.xml")
	if err != nil {
		t.Fatal(err)
	}
	var xmlFormat source.Format
	for _, ft := range ofac.Formats {
		if ft.Name == "ofac-xml" {
			xmlFormat = ft
		}
	}
	first := regexp.MustCompile(`(?s)<sdnEntry>.*?</sdnEntry>\s*`)
	lost := first.ReplaceAllStringFunc(string(data), func() func(string) string {
		done := false
		return func(m string) string {
			if done {
				return m
			}
			done = true
			return ""
		}
	}())
	if _, err := xmlFormat.Parse(interdict.ListOFACCons, []source.File{{Name: "consolidated.xml", Data: data}}); err != nil {
		t.Fatalf("the whole file: %v", err)
	}
	_, err = xmlFormat.Parse(interdict.ListOFACCons, []source.File{{Name: "consolidated.xml", Data: []byte(lost)}})
	if err == nil || !strings.Contains(err.Error(), "states 10 records") || !strings.Contains(err.Error(), "holds 9") || !strings.Contains(err.Error(), "consolidated.xml") {
		t.Fatalf("one entry lost: err = %v, want the count named", err)
	}
}
