package batch_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/interdict/interdict/batch"
)

// fuzzRun reads data as format with a small record bound and checks the
// reader's invariants: it ends with io.EOF, records do not overlap and run
// forward, and a run writes one row per record with Records == Screened +
// Errors.
func fuzzRun(t *testing.T, data []byte, format string) {
	ropt := batch.ReadOptions{Format: format, MaxRecordBytes: 256}
	rd, err := batch.Open(bytes.NewReader(data), "fuzz", ropt)
	if err != nil {
		return
	}
	prevEnd, n := 0, 0
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v (in-memory input cannot fail to read)", err)
		}
		n++
		if rec.Line <= prevEnd || rec.EndLine < rec.Line {
			t.Fatalf("record %d: lines %d-%d after a record ending on line %d", n, rec.Line, rec.EndLine, prevEnd)
		}
		if rec.Err == nil && len(rec.Values) != len(rd.Header()) {
			t.Fatalf("record %d: %d values, header has %d", n, len(rec.Values), len(rd.Header()))
		}
		prevEnd = rec.EndLine
	}
	rd, err = batch.Open(bytes.NewReader(data), "fuzz", ropt)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	var out bytes.Buffer
	wr, err := batch.NewWriter(&out, "csv", rd.Header())
	if err != nil {
		t.Fatal(err)
	}
	sum, err := batch.Run(context.Background(), rd, fakeScreener{}, wr, batch.RunOptions{Check: checkOpts, Workers: 2})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	wr.Close()
	if sum.Records != n || sum.Records != sum.Screened+sum.Errors {
		t.Fatalf("summary %+v, %d records read", sum, n)
	}
	cr := csv.NewReader(&out)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	if len(rows)-1 != sum.Records {
		t.Fatalf("%d output rows, %d records", len(rows)-1, sum.Records)
	}
}

func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{
		"Name,DOB\nAli,1970\n",
		"Name;Country\r\n\"A;B\";DE\r\n",
		"Name,Address\n\"X\",\"1\n2\"\nY,3\n",
		"Name,DOB,Country\n\"Broken,1970,DE\nB,1980,FR\nC,\"q\"x,IR\n",
		"\xef\xbb\xbfName\tDOB\nA\t1\n",
		"\xff\xfeN\x00a\x00m\x00e\x00\n\x00A\x00\n\x00",
		"Name|X\nM\xfcller|1\n",
		"First Name,Last Name\n,\n\"\"\"\",\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRun(t, data, "csv")
	})
}

func FuzzJSONLReader(f *testing.F) {
	for _, s := range []string{
		`{"name":"Ali","dob":"1970"}` + "\n" + `{"name":"B"}`,
		`{"Full Name":"A","x":{"y":1}}` + "\n\n" + `not json` + "\n" + `{"name":null,"id_number":"7"}`,
		`{"name":"` + strings.Repeat("x", 300) + `"}` + "\n" + `{"name":"C"}`,
		`{"name":"A"} {"name":"B"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRun(t, data, "jsonl")
	})
}
