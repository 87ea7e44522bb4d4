package source

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// zipOf returns a ZIP archive of members, each n zero bytes: a bomb when
// there are many (each compresses to about a thousandth of its size).
func zipOf(tb testing.TB, members, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zero := make([]byte, 64<<10)
	for i := 0; i < members; i++ {
		w, err := zw.Create(fmt.Sprintf("member%02d.csv", i))
		if err != nil {
			tb.Fatal(err)
		}
		for left := n; left > 0; left -= len(zero) {
			if _, err := w.Write(zero[:min(left, len(zero))]); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestExpand_Bounded(t *testing.T) {
	const limit = 4 << 20
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(make([]byte, limit+1))
	zw.Close()

	// A member whose header claims 10 bytes but holds 8 MiB.
	raw := zipOf(t, 1, 8<<20)
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var liar bytes.Buffer
	w := zip.NewWriter(&liar)
	hdr := zr.File[0].FileHeader
	hdr.UncompressedSize64 = 10
	dst, err := w.CreateRaw(&hdr)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].OpenRaw()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, rc); err != nil {
		t.Fatal(err)
	}
	w.Close()

	tests := []struct {
		name string
		data []byte
		want string
	}{
		// Twelve members under the limit each, far over it together.
		{"ManyMembers", zipOf(t, 12, 1<<20), "over 4194304 bytes expanded"},
		{"OneBigMember", zipOf(t, 1, limit+1), "over 4194304 bytes expanded"},
		{"Gzip", gz.Bytes(), "more than 4194304 bytes"},
		{"LyingHeader", liar.Bytes(), "liar.zip: read member00.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := strings.ToLower(tt.name) + ".zip"
			if tt.name == "LyingHeader" {
				name = "liar.zip"
			}
			files, err := expand(name, tt.data, limit)
			if err == nil {
				total := 0
				for _, f := range files {
					total += len(f.Data)
				}
				t.Fatalf("expanded %d files of %d bytes, want an error", len(files), total)
			}
			if !strings.Contains(err.Error(), tt.want) || len(err.Error()) > 400 {
				t.Errorf("err = %v, want a short one containing %q", err, tt.want)
			}
		})
	}
	// Under the limit in all: expanded.
	files, err := expand("ok.zip", zipOf(t, 3, 1<<20), limit)
	if err != nil || len(files) != 3 {
		t.Fatalf("3 members of 1 MiB: %d files, %v", len(files), err)
	}
}

// FuzzExpand checks that no archive, however broken, makes Expand panic or
// return more bytes than its limit.
func FuzzExpand(f *testing.F) {
	f.Add(zipOf(f, 2, 100))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("1,\"NAME\"\r\n"))
	zw.Close()
	f.Add(gz.Bytes())
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte("\x1f\x8b\x08"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const limit = 1 << 20
		files, err := expand("f.zip", data, limit)
		if err != nil {
			return
		}
		total := 0
		for _, file := range files {
			total += len(file.Data)
		}
		if total > limit && !bytes.Equal(files[0].Data, data) {
			t.Fatalf("expanded %d bytes, limit %d", total, limit)
		}
	})
}

// FuzzDecodeText checks that DecodeText always returns valid UTF-8, returns
// valid UTF-8 input unchanged, and reports every line it changed.
func FuzzDecodeText(f *testing.F) {
	f.Add([]byte("1,\"MÜLLER, JOSÉ\"\r\n2,\"CAF\xC9\"\r\n"))
	f.Add([]byte("\xef\xbb\xbfplain\n"))
	f.Add([]byte("\xC3\xA9\xFF\n\xE9\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &Result{List: "x"}
		out := DecodeText(r, "x", File{Name: "f.csv", Data: data})
		if !utf8.Valid(out) {
			t.Fatalf("DecodeText(%q) = %q, not UTF-8", data, out)
		}
		in := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if utf8.Valid(in) {
			if !bytes.Equal(out, in) || r.Report.Warnings != 0 {
				t.Fatalf("valid UTF-8 %q changed to %q (%d warnings)", in, out, r.Report.Warnings)
			}
			return
		}
		if r.Report.Warnings == 0 {
			t.Fatalf("invalid UTF-8 %q decoded without a warning", data)
		}
	})
}

func TestReadPaths_SparseFileRefusedUnread(t *testing.T) {
	p := t.TempDir() + "/huge.csv"
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	// 2 GB that take no disk: refused by its size, before a byte is read.
	if err := f.Truncate(2 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadPaths([]string{p})
	if err == nil || !strings.Contains(err.Error(), "2147483648 bytes, larger than") {
		t.Fatalf("err = %v, want the size refused", err)
	}
}
