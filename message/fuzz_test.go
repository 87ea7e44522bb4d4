package message_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interdict/interdict/message"
)

// fuzzParse seeds f with the sample files under dir (when the shared data
// is present) and the given inputs, and checks that Parse never panics,
// fails only with a *ParseError, and returns messages whose parties have a
// role and a path.
func fuzzParse(f *testing.F, dir string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if files, err := filepath.Glob(filepath.Join(samples, dir, "*")); err == nil {
		for _, p := range files {
			if notMessage(p) {
				continue
			}
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := message.Parse("fuzz", data)
		if err != nil {
			var pe *message.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a ParseError", err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz: ") {
				t.Fatalf("error %q does not name the source", err)
			}
			return
		}
		if len(ms) == 0 {
			t.Fatal("no messages and no error")
		}
		for _, m := range ms {
			for _, p := range m.Parties {
				if p.Role == "" || p.Path == "" {
					t.Fatalf("party without role or path: %+v", p)
				}
			}
		}
	})
}

func FuzzParseISO20022(f *testing.F) {
	fuzzParse(f, "iso20022/cbpr-examples",
		`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr><MsgId>1</MsgId></GrpHdr><CdtTrfTxInf><Dbtr><Nm>A</Nm></Dbtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>`,
		`<Document><X/><Y/></Document>`, `<a><b>`)
}

func FuzzParseMT(f *testing.F) {
	fuzzParse(f, "mt/ballerina-mt-mx",
		"{1:F01AAAABBCCXXXX0000000000}{2:I103DDDDEEFFXXXXN}{4:\r\n:20:X\r\n:50K:/1\r\nNAME\r\n:59F:1/B\r\n3/GB/LONDON\r\n-}",
		"{1:F01}{2:O1}{4:{177:1}}", "{4:\n:70:x\n-}")
}

func FuzzParseFedwire(f *testing.F) {
	fuzzParse(f, "fedwire",
		"{1500}30User ReqP {1510}1000{1520}20190508Source08000001{2000}000001234567{3100}121042882WF*{3400}231380104C*{3600}CTR*{5000}D1*Name*A*B*C*",
		"{1500}{9999}x")
}

func FuzzParseDCSA(f *testing.F) {
	fuzzParse(f, "trade-docs/dcsa-ebl",
		`{"documentParties":{"shipper":{"partyName":"A","address":{"countryCode":"IR"}}},"transports":{"vesselVoyages":[{"vesselName":"V","vesselIMONumber":"9123456"}]}}`,
		`[{"consignmentItems":[]}]`, `{"a":`)
}
