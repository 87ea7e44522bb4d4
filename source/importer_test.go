package source_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/csl"
	"github.com/interdict/interdict/source/dpl"
	"github.com/interdict/interdict/source/ftm"
	"github.com/interdict/interdict/source/ofac"
	"github.com/interdict/interdict/sqlite"
)

// MustOpenImporter returns an Importer of every format tested here over a
// fresh SQLite store.
func MustOpenImporter(tb testing.TB) *source.Importer {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "interdict.db"))
	if err := db.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	var formats []source.Format
	for _, fs := range [][]source.Format{ofac.Formats, csl.Formats, dpl.Formats, ftm.Formats} {
		formats = append(formats, fs...)
	}
	return &source.Importer{Store: sqlite.NewListStore(db), Formats: formats}
}

// sdnSet generates an OFAC legacy CSV set of n records, each with two
// aliases and an address: the shape of the real sdn.csv, add.csv, alt.csv
// and sdn_comments.csv, with CRLF and the final Ctrl-Z.
func sdnSet(n int, prim, add, alt, comments string) []source.File {
	var p, ad, al bytes.Buffer
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&p, "%d,\"COMPANY NUMBER %d TRADING\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", i, i)
		fmt.Fprintf(&al, "%d,%d,\"aka\",\"ALIAS ONE OF %d\",-0- \r\n", i, 2*i, i)
		fmt.Fprintf(&al, "%d,%d,\"aka\",\"ALIAS TWO OF %d\",-0- \r\n", i, 2*i+1, i)
		fmt.Fprintf(&ad, "%d,%d,\"%d MAIN STREET\",\"Havana\",\"Cuba\",-0- \r\n", i, i, i)
	}
	files := []source.File{{Name: prim, Path: prim, Data: append(p.Bytes(), 0x1A)}}
	if add != "" {
		files = append(files, source.File{Name: add, Path: add, Data: append(ad.Bytes(), 0x1A)})
	}
	if alt != "" {
		files = append(files, source.File{Name: alt, Path: alt, Data: append(al.Bytes(), 0x1A)})
	}
	if comments != "" {
		files = append(files, source.File{Name: comments, Path: comments, Data: []byte("1,\"more remark\"\r\n\x1a")})
	}
	return files
}

// importOne imports files and returns the one outcome.
func importOne(tb testing.TB, im *source.Importer, files []source.File, opts source.ImportOptions) source.Outcome {
	tb.Helper()
	out, err := im.Import(context.Background(), files, opts)
	if err != nil {
		tb.Fatal(err)
	}
	if len(out) != 1 {
		tb.Fatalf("%d outcomes, want 1: %+v", len(out), out)
	}
	return out[0]
}

// current returns the current version of list.
func current(tb testing.TB, im *source.Importer, list string) *interdict.ListVersion {
	tb.Helper()
	vs, err := im.Store.FindCurrentVersions(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	for _, v := range vs {
		if v.List == list {
			return v
		}
	}
	tb.Fatalf("no current version of %s", list)
	return nil
}

// mustRefuse checks that o was refused with a reason holding each of want,
// and that the version current before is still current, checksum and all.
func mustRefuse(tb testing.TB, im *source.Importer, o source.Outcome, before *interdict.ListVersion, want ...string) {
	tb.Helper()
	if o.Status != source.StatusRefused {
		tb.Fatalf("status %s (%d entities), want refused", o.Status, o.Report.Entities)
	}
	for _, w := range want {
		if !strings.Contains(o.Reason, w) {
			tb.Errorf("reason %q does not say %q", o.Reason, w)
		}
	}
	if len(o.Reason) > 2*source.MaxMessageLen {
		tb.Errorf("reason is %d bytes long", len(o.Reason))
	}
	after := current(tb, im, before.List)
	if after.Version != before.Version || after.Checksum != before.Checksum {
		tb.Errorf("current version %d (%s) after the refusal, want %d (%s)", after.Version, after.Checksum, before.Version, before.Checksum)
	}
}

func TestImporter_Truncated(t *testing.T) {
	shared := func(rel string) func(t *testing.T) []source.File {
		return func(t *testing.T) []source.File {
			files, err := source.ReadPaths([]string{sourcetest.SharedList(t, rel)})
			if err != nil {
				t.Fatal(err)
			}
			return files
		}
	}
	tests := []struct {
		name  string
		files func(t *testing.T) []source.File
		list  string
	}{
		{"CSLCSV", shared("us_csl/consolidated_screening_list_2022-05.csv.gz"), interdict.ListCSL},
		{"DPLText", shared("us_bis/dpl_2023-11.txt"), interdict.ListBISDPL},
		{"FtMJSON", shared("opensanctions_ftm/yente_t1_entities.ftm.json"), interdict.ListFTM},
		{"OFACCSV", func(*testing.T) []source.File { return sdnSet(500, "sdn.csv", "", "", "") }, interdict.ListOFACSDN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := MustOpenImporter(t)
			files := tt.files(t)
			if o := importOne(t, im, files, source.ImportOptions{}); o.Status != source.StatusImported {
				t.Fatalf("whole file: %s %s", o.Status, o.Reason)
			}
			before := current(t, im, tt.list)
			// Cut at 99%, as a download that stopped short leaves it, and
			// import without --strict: the cut is refused all the same.
			cut := files[0]
			cut.Data = cut.Data[:len(cut.Data)*99/100]
			o := importOne(t, im, []source.File{cut}, source.ImportOptions{})
			mustRefuse(t, im, o, before, files[0].Name, "cut short")
		})
	}
}

func TestImporter_MissingMember(t *testing.T) {
	im := MustOpenImporter(t)
	whole := sdnSet(100, "sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
	if o := importOne(t, im, whole, source.ImportOptions{}); o.Status != source.StatusImported {
		t.Fatalf("whole set: %s %s", o.Status, o.Reason)
	}
	before := current(t, im, interdict.ListOFACSDN)

	t.Run("PrimaryAlone", func(t *testing.T) {
		o := importOne(t, im, sdnSet(100, "sdn.csv", "", "", ""), source.ImportOptions{})
		mustRefuse(t, im, o, before, "add.csv", "alt.csv", "sdn_comments.csv", "alias", "address", "comments", "--force")
	})
	t.Run("NoAliases", func(t *testing.T) {
		o := importOne(t, im, sdnSet(100, "sdn.csv", "add.csv", "", "sdn_comments.csv"), source.ImportOptions{})
		mustRefuse(t, im, o, before, "alt.csv", "alias")
		if strings.Contains(o.Reason, "add.csv") {
			t.Errorf("reason %q names add.csv, which is there", o.Reason)
		}
	})
	t.Run("Force", func(t *testing.T) {
		o := importOne(t, im, sdnSet(100, "sdn.csv", "add.csv", "", "sdn_comments.csv"), source.ImportOptions{Force: true})
		if o.Status != source.StatusImported {
			t.Fatalf("with Force: %s %s", o.Status, o.Reason)
		}
	})
}

func TestImporter_ShrinkGuardParts(t *testing.T) {
	im := MustOpenImporter(t)
	if o := importOne(t, im, sdnSet(100, "sdn.csv", "add.csv", "alt.csv", ""), source.ImportOptions{}); o.Status != source.StatusImported {
		t.Fatalf("first: %s %s", o.Status, o.Reason)
	}
	before := current(t, im, interdict.ListOFACSDN)
	// The same entities, the whole set, but the alias file lost its rows:
	// 300 names become 100 while the entity count stays.
	files := sdnSet(100, "sdn.csv", "add.csv", "alt.csv", "")
	files[2].Data = []byte("1,2,\"aka\",\"ALIAS ONE OF 1\",-0- \r\n\x1a")
	o := importOne(t, im, files, source.ImportOptions{})
	mustRefuse(t, im, o, before, "101 names", "300 in current version")
	// Addresses too.
	files = sdnSet(100, "sdn.csv", "add.csv", "alt.csv", "")
	files[1].Data = []byte("1,1,\"1 MAIN STREET\",\"Havana\",\"Cuba\",-0- \r\n\x1a")
	o = importOne(t, im, files, source.ImportOptions{})
	mustRefuse(t, im, o, before, "1 addresses", "100 in current version")
}

func TestImporter_OtherListsData(t *testing.T) {
	im := MustOpenImporter(t)
	sdn := sdnSet(300, "sdn.csv", "add.csv", "alt.csv", "")
	if o := importOne(t, im, sdn, source.ImportOptions{}); o.Status != source.StatusImported {
		t.Fatalf("sdn: %s %s", o.Status, o.Reason)
	}
	// The consolidated list's own set, then SDN data under its names.
	cons := sdnSet(20, "cons_prim.csv", "cons_add.csv", "cons_alt.csv", "")
	renumber(cons, 900000)
	if o := importOne(t, im, cons, source.ImportOptions{}); o.Status != source.StatusImported {
		t.Fatalf("cons: %s %s", o.Status, o.Reason)
	}
	before := current(t, im, interdict.ListOFACCons)
	wrong := sdnSet(300, "cons_prim.csv", "cons_add.csv", "cons_alt.csv", "")
	o := importOne(t, im, wrong, source.ImportOptions{})
	mustRefuse(t, im, o, before, "cons_prim.csv", "named as list ofac-cons", "hold list ofac-sdn")

	t.Run("FirstImport", func(t *testing.T) {
		im := MustOpenImporter(t)
		if o := importOne(t, im, sdn, source.ImportOptions{}); o.Status != source.StatusImported {
			t.Fatalf("sdn: %s %s", o.Status, o.Reason)
		}
		out, err := im.Import(context.Background(), wrong, source.ImportOptions{})
		if err != nil || len(out) != 1 || out[0].Status != source.StatusRefused || !strings.Contains(out[0].Reason, "hold list ofac-sdn") {
			t.Fatalf("SDN data named cons_prim.csv on a store without ofac-cons: %+v, %v", out, err)
		}
	})
}

// renumber adds base to the ent_num (and alias and address numbers) that
// start each row of files.
func renumber(files []source.File, base int) {
	for i := range files {
		var out bytes.Buffer
		for _, line := range bytes.SplitAfter(files[i].Data, []byte("\n")) {
			var n int
			if _, err := fmt.Sscanf(string(line), "%d,", &n); err == nil {
				rest := line[bytes.IndexByte(line, ','):]
				fmt.Fprintf(&out, "%d%s", n+base, rest)
				continue
			}
			out.Write(line)
		}
		files[i].Data = out.Bytes()
	}
}

func TestImporter_Encodings(t *testing.T) {
	im := MustOpenImporter(t)
	// A UTF-8 file with one Windows-1252 byte on another line: the UTF-8
	// names stay as written, the odd line is read as Windows-1252, and both
	// decisions are reported.
	data := "1,\"MÜLLER, JOSÉ\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n" +
		"2,\"CAF\xC9 NOIR\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n" +
		"3,\"BAD \xC3\xA9\xFF BYTE\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a"
	o := importOne(t, im, []source.File{{Name: "sdn.csv", Data: []byte(data)}}, source.ImportOptions{})
	if o.Status != source.StatusImported {
		t.Fatalf("%s %s", o.Status, o.Reason)
	}
	es, err := im.Store.FindEntities(context.Background(), interdict.ListOFACSDN, o.Version.Version)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, e := range es {
		names[e.SourceID] = e.PrimaryName()
	}
	for id, want := range map[string]string{"1": "MÜLLER, JOSÉ", "2": "CAFÉ NOIR", "3": "BAD é\uFFFD BYTE"} {
		if names[id] != want {
			t.Errorf("record %s: name %q, want %q", id, names[id], want)
		}
	}
	var lines []int
	for _, is := range o.Report.Issues {
		if is.Field == "encoding" {
			lines = append(lines, is.Line)
		}
	}
	if fmt.Sprint(lines) != "[2 3]" {
		t.Errorf("encoding warnings on lines %v, want [2 3]: %+v", lines, o.Report.Issues)
	}
}

func TestImporter_OversizedFields(t *testing.T) {
	im := MustOpenImporter(t)
	long := strings.Repeat("A", 4<<20)
	data := "1,\"GOOD NAME\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n" +
		"2,\"" + long + "\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n" +
		long + ",\"ID TOO LONG\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a"
	o := importOne(t, im, []source.File{{Name: "sdn.csv", Data: []byte(data)}}, source.ImportOptions{})
	if o.Status != source.StatusImported || o.Report.Entities != 1 || o.Report.Skipped != 2 {
		t.Fatalf("%s %s: %d entities, %d skipped", o.Status, o.Reason, o.Report.Entities, o.Report.Skipped)
	}
	var lines []int
	for _, is := range o.Report.Issues {
		if is.Severity != interdict.SeverityError {
			continue
		}
		lines = append(lines, is.Line)
		if s := source.DescribeIssue(is); len(s) > 300 || !strings.Contains(s, `"AAAA`) || !strings.Contains(s, "bytes)") {
			t.Errorf("issue %q (%d bytes): want a short quoted prefix", source.Cut(s, 300), len(s))
		}
	}
	if fmt.Sprint(lines) != "[2 3]" {
		t.Errorf("skipped lines %v, want [2 3]", lines)
	}
}

func TestImporter_InterruptedSaysCommitted(t *testing.T) {
	im := MustOpenImporter(t)
	ctx, cancel := context.WithCancel(context.Background())
	files := append(sdnSet(10, "sdn.csv", "", "", ""), sdnSet(10, "cons_prim.csv", "", "", "")...)
	renumber(files[1:], 5000)
	// Cancel once the first list is stored: the store's clock is read for
	// the second list's version after the first is committed.
	calls := 0
	im.Now = func() time.Time {
		calls++
		if calls == 2 {
			cancel()
		}
		return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	}
	_, err := im.Import(ctx, files, source.ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "committed: ofac-sdn version 1") || !strings.Contains(err.Error(), "not imported: ofac-cons") {
		t.Fatalf("err = %v, want one naming the committed and the missing list", err)
	}
}
