package message_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/interdict/interdict/message"
)

// TestReader_stream writes sample files of every syntax one after another
// on one stream, separated as the Reader documents, and checks that it
// reads the same messages as Parse reads from each file, and goes on after
// a broken one.
func TestReader_stream(t *testing.T) {
	files := []string{
		"mt/prowide/MT103-bulk-with-ack.rje",
		"mt/prowide/MT103-out-ack.rje",
		"mt/ballerina-mt-mx/p_2_3_1_b__mt202_pacs_009COV_A_B.fin",
		"trade-docs/dcsa-ebl/ebl-api-3.0.0-request.json",
		"fedwire/fedWireMessage-CustomerTransfer.txt",
		"iso20022/cbpr-examples/pacs008_credit_transfer_sample.xml",
		"fedwire/fedWireMessage-fiserv.json",
	}
	var want []string
	var in strings.Builder
	for i, f := range files {
		for _, m := range readSample(t, f) {
			want = append(want, m.Format+" "+m.ID)
		}
		in.WriteString(sampleText(t, f))
		if i == 2 {
			// A broken message between good ones.
			in.WriteString("\n{1:F01AAAABBCCXXXX0000000000}{2:I103DDDDEEFFXXXXN}{4:\n:57A:NOT A BIC\n-}\n")
		}
		if strings.HasSuffix(f, ".txt") || strings.HasSuffix(f, ".xml") {
			in.WriteString("\n$\n")
		}
	}
	rd := message.NewReader(strings.NewReader(in.String()), "stdin")
	var got []string
	broken := 0
	for {
		ms, err := rd.Next()
		if err == io.EOF {
			break
		}
		var pe *message.ParseError
		if errors.As(err, &pe) {
			broken++
			if !strings.Contains(err.Error(), "stdin#") || pe.Path != ":57A:" {
				t.Errorf("error %q, want one naming the stream position and field :57A:", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			got = append(got, m.Format+" "+m.ID)
		}
	}
	if broken != 1 {
		t.Errorf("%d broken messages, want 1", broken)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("read from the stream:\n%s\nwant (as Parse reads the files):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
