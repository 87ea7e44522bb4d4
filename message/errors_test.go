package message_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/interdict/interdict/message"
)

// TestParse_errors checks that bad input is refused with an error naming
// the source, the message, the line or element and the field.
func TestParse_errors(t *testing.T) {
	mt := "{1:F01AAAABBCCXXXX0000000000}{2:I103DDDDEEFFXXXXN}{4:\r\n:20:REF\r\n:57A:NOT A BIC\r\n:59:/1\r\nNAME\r\n-}"
	tests := []struct {
		name, data string
		want       []string // parts the error must contain
	}{
		{"MT bad BIC", mt, []string{"pay.fin: ", "message 1", "line 3", "field :57A:", "is not a BIC"}},
		{"MT second message", strings.Replace(mt, "NOT A BIC", "DDDDEEFF", 1) + "$" + mt, []string{"message 2", "field :57A:"}},
		{"MT unterminated text block", "{1:F01AAAABBCCXXXX0000000000}{2:I103DDDDEEFFXXXXN}{4:\r\n:20:REF\r\n", []string{"block 4", "no end"}},
		{"MT text before the first tag", "{1:F01AAAABBCCXXXX0000000000}{2:I103DDDDEEFFXXXXN}{4:\r\nHELLO\r\n:20:X\r\n-}", []string{"line 2", "before the first field tag"}},
		{"MT no message type", "{1:F01AAAABBCCXXXX0000000000}{2:X}{4:\r\n:20:X\r\n-}", []string{"field block 2", "message type"}},
		{"XML malformed", "<Document>\n<FIToFICstmrCdtTrf>\n<CdtTrfTxInf>\n<Dbtr><Nm>A</Dbtr>", []string{"line 4", "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/Dbtr/Nm", "malformed XML"}},
		{"XML DTD", "<!DOCTYPE x [<!ENTITY a \"b\">]><Document/>", []string{"DTD"}},
		{"XML no Document", "<Foo><Bar/></Foo>", []string{"no ISO 20022 Document"}},
		{"XML two business messages", "<Document><A/><B/></Document>", []string{"field Document", "one business message element"}},
		{"Fedwire unknown tag", "{1500}30User ReqP {1599}x", []string{"field {1599}", "unknown tag"}},
		{"Fedwire missing tag", "{1500}30User ReqP {1510}1000{1520}20190508Source08000001{2000}1{3100}121042882X*{3400}231380104Y*", []string{"field {3600}", "required tag missing"}},
		{"Fedwire routing number", "{1500}3{1510}1000{1520}1{2000}1{3100}ABC*{3400}231380104Y*{3600}CTR", []string{"field {3100}", "9-digit routing number"}},
		{"DCSA country", `{"documentParties":{"shipper":{"partyName":"A","address":{"countryCode":"Iran"}}}}`, []string{"field documentParties/shipper/address/countryCode", "not an ISO 3166-1"}},
		{"DCSA not a bill of lading", `{"hello":"world"}`, []string{"not a DCSA bill of lading"}},
		{"JSON malformed", `{"documentParties":`, []string{"malformed JSON"}},
		{"unknown format", "hello", []string{"not a message format"}},
		{"empty", "   ", []string{"not a message format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := message.Parse("pay.fin", []byte(tt.data))
			if err == nil {
				t.Fatalf("parsed %d messages, want an error", len(ms))
			}
			var pe *message.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a ParseError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestParse_limits checks that input beyond the size limit is refused.
func TestParse_limits(t *testing.T) {
	big := make([]byte, message.MaxFileBytes+1)
	copy(big, "{1:")
	if _, err := message.Parse("big.fin", big); err == nil || !strings.Contains(err.Error(), "larger than the limit") {
		t.Errorf("error %v, want one about the size limit", err)
	}
	deep := strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100)
	if _, err := message.Parse("deep.xml", []byte(deep)); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("error %v, want one about nesting", err)
	}
}
