package batch_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/interdict/interdict/batch"
	"github.com/xuri/excelize/v2"
)

// xlsxBomb returns a small workbook whose shared-strings part declares
// size bytes once expanded (0 keeps the true size), as a 3.6 MB workbook holding a 3 GB part does.
// The part's bytes are copied raw, so the declared size is all that
// changes: opening it must be refused on the declaration, before any part
// is read.
func xlsxBomb(tb testing.TB, size uint64) []byte {
	tb.Helper()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"name", "country"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"ACME TRADING", "IR"})
	var wb bytes.Buffer
	if err := f.Write(&wb); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	zr, err := zip.NewReader(bytes.NewReader(wb.Bytes()), int64(wb.Len()))
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, zf := range zr.File {
		hdr := zf.FileHeader
		if strings.EqualFold(zf.Name, "xl/sharedStrings.xml") {
			if size > 0 {
				hdr.UncompressedSize64 = size
			}
			found = true
		}
		w, err := zw.CreateRaw(&hdr)
		if err != nil {
			tb.Fatal(err)
		}
		rc, err := zf.OpenRaw()
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := io.Copy(w, rc); err != nil {
			tb.Fatal(err)
		}
	}
	if !found {
		tb.Fatal("the workbook has no shared strings part")
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

func TestOpen_XLSXExpansionBounded(t *testing.T) {
	data := xlsxBomb(t, 3<<30)
	_, err := batch.Open(bytes.NewReader(data), "customers.xlsx", batch.ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "customers.xlsx") || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("a workbook declaring a 3 GB part: err = %v, want the size limit named", err)
	}
	// The same workbook with its true sizes opens.
	rd, err := batch.Open(bytes.NewReader(xlsxBomb(t, 0)), "ok.xlsx", batch.ReadOptions{})
	if err != nil {
		t.Fatalf("the workbook with its true sizes: %v", err)
	}
	rd.Close()
}
