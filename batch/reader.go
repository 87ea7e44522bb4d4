package batch

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/interdict/interdict"
)

// DefaultMaxRecordBytes bounds one input record (a CSV record with its
// quoted line breaks, or a JSON line) when ReadOptions.MaxRecordBytes is 0.
const DefaultMaxRecordBytes = 1 << 20

// identityBytes is how much of the input's start identifies it for resume.
const identityBytes = 64 << 10

// ReadOptions tune Open.
type ReadOptions struct {
	// Sheet is the XLSX sheet to read; "" is the first.
	Sheet string
	// Map maps query fields (id, name, type, dob, country, id_number, gender,
	// address, first_name, middle_name, last_name) to header names, matched
	// case-insensitively; it overrides the header aliases. A mapped header
	// that is missing is an error.
	Map map[string]string
	// Format is csv, tsv, txt, xlsx, jsonl or ndjson; "" detects it from the
	// content (a ZIP archive is XLSX, a first character '{' is JSON lines)
	// and the file name.
	Format string
	// MaxRecordBytes bounds one record; 0 is DefaultMaxRecordBytes. A longer
	// record is one error row and reading goes on.
	MaxRecordBytes int
}

// Record is one input record.
type Record struct {
	// Line and EndLine are the record's first and last physical lines in
	// the input, 1-based (the row number for XLSX).
	Line, EndLine int
	// Values holds every input column in header order, for pass-through.
	// For a damaged CSV record it holds the fields of its first line split
	// plainly (quotes as text), so that the error row can be traced; it is
	// nil when nothing of the record can be shown (an overlong line, a JSON
	// line that is not an object).
	Values []string
	// Query holds the mapped fields as read, not yet checked.
	Query interdict.Query
	// Warnings are what reading this record noticed (a line decoded as
	// Windows-1252, an Excel serial number read as a date).
	Warnings []interdict.Warning
	// Err is set for a damaged record, which becomes an error row; it
	// names the input and the lines.
	Err error

	extra [][2]string // JSON keys not in the header
}

// Identity identifies an input for resume: its size when known and the
// SHA-256 of its first 64 KiB.
type Identity struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	Head string `json:"head_sha256"`
}

// Reader reads the records of one input file. It is not safe for concurrent
// use, except Progress, which may be called from any goroutine.
type Reader struct {
	name     string
	format   string
	header   []string
	cols     columns
	warnings []interdict.Warning
	src      source
	count    *countingReader
	total    int64
	id       Identity
}

// source is one file format's record reader.
type source interface {
	header() []string
	// next returns the next record's values, or io.EOF.
	next() (Record, error)
	close() error
}

// Open reads the header of r, named name (a file name or "-"), and returns
// a Reader of its records. It fails when the file is empty, not of a
// readable format, or has no column for a name or an identifier.
func Open(r io.Reader, name string, opt ReadOptions) (*Reader, error) {
	if opt.MaxRecordBytes <= 0 {
		opt.MaxRecordBytes = DefaultMaxRecordBytes
	}
	rd := &Reader{name: name, total: -1}
	switch v := r.(type) {
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			rd.total = fi.Size()
		}
	case interface{ Size() int64 }:
		rd.total = v.Size()
	}
	rd.count = &countingReader{r: r}
	br := bufio.NewReaderSize(rd.count, identityBytes+4096)
	head, err := br.Peek(identityBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%s: read: %w", name, err)
	}
	sum := sha256.Sum256(head)
	rd.id = Identity{Name: filepath.Base(name), Size: rd.total, Head: hex.EncodeToString(sum[:])}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, fmt.Errorf("%s: empty file, no header", name)
	}
	format, err := detectFormat(opt.Format, name, head)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rd.format = format
	switch format {
	case "xlsx":
		rd.src, err = newXLSXSource(br, name, opt, rd)
	case "jsonl":
		rd.src, err = newJSONSource(br, name, opt, rd)
	default:
		rd.src, err = newCSVSource(br, name, format, opt, rd)
	}
	if err != nil {
		return nil, err
	}
	rd.header = rd.src.header()
	// JSON lines leave out empty keys: the first object need not name
	// every field.
	if rd.cols, err = mapColumns(rd.header, opt.Map, format != "jsonl"); err != nil {
		rd.src.close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if un := rd.cols.unmapped(rd.header); len(un) > 0 {
		rd.warnings = append([]interdict.Warning{{Field: "header", Value: cut(strings.Join(un, ", "), 200),
			Message: "columns not screened; carried through to the output unchanged"}}, rd.warnings...)
	}
	return rd, nil
}

// Name returns the input's name as given to Open.
func (rd *Reader) Name() string { return rd.name }

// Format returns the input format read: csv, tsv, xlsx or jsonl.
func (rd *Reader) Format() string { return rd.format }

// Header returns the input's column names as written (for JSON lines, the
// keys of the first object).
func (rd *Reader) Header() []string { return rd.header }

// Warnings returns the file-level warnings noticed so far: columns that are
// not mapped to a query field, a fallback to the Windows-1252 encoding
// (noticed when the first such line is read). Call it before or after Run,
// not while Run is reading.
func (rd *Reader) Warnings() []interdict.Warning { return rd.warnings }

// Close releases what reading holds (an XLSX workbook's temporary files).
// It does not close the io.Reader given to Open.
func (rd *Reader) Close() error { return rd.src.close() }

// Identity returns what identifies the input for resume.
func (rd *Reader) Identity() Identity { return rd.id }

// Progress returns the input bytes consumed so far and the input's size, or
// -1 when it is not known (a pipe). Safe for concurrent use.
func (rd *Reader) Progress() (done, total int64) {
	done = rd.count.n.Load()
	if rd.total >= 0 && done > rd.total {
		done = rd.total
	}
	return done, rd.total
}

// Next returns the next record, or io.EOF after the last. A damaged record
// is returned with Err set and reading goes on; any other error (the
// input could not be read at all) ends reading.
func (rd *Reader) Next() (Record, error) {
	rec, err := rd.src.next()
	if err != nil {
		return Record{}, err
	}
	if rec.Err == nil {
		rec.Query = rd.cols.query(rec.Values)
		for _, kv := range rec.extra {
			if a, ok := aliasRank[foldHeader(kv[0])]; ok {
				setField(&rec.Query, a[0], strings.TrimSpace(kv[1]))
			}
		}
		rec.extra = nil
	}
	return rec, nil
}

// warnFile adds a file-level warning once per message.
func (rd *Reader) warnFile(w interdict.Warning) {
	for _, o := range rd.warnings {
		if o.Field == w.Field && o.Message == w.Message {
			return
		}
	}
	rd.warnings = append(rd.warnings, w)
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// detectFormat returns csv, tsv, xlsx or jsonl.
func detectFormat(format, name string, head []byte) (string, error) {
	switch f := strings.ToLower(format); f {
	case "csv", "txt", "":
		if f != "" {
			return "csv", nil
		}
	case "tsv", "tab":
		return "tsv", nil
	case "xlsx", "xlsm":
		return "xlsx", nil
	case "jsonl", "ndjson", "json":
		return "jsonl", nil
	default:
		return "", fmt.Errorf("format %q: use csv, tsv, txt, xlsx or jsonl", format)
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return "xlsx", nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return "", fmt.Errorf("not an XLSX workbook (no ZIP archive)")
	case ".xls":
		return "", fmt.Errorf("the old binary .xls format cannot be read; save the sheet as .xlsx or .csv")
	case ".jsonl", ".ndjson", ".json":
		return "jsonl", nil
	case ".tsv", ".tab":
		return "tsv", nil
	}
	if t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return "jsonl", nil
	}
	return "csv", nil
}

// Query fields a column can map to.
const (
	fieldID = iota
	fieldName
	fieldType
	fieldDOB
	fieldCountry
	fieldIDNumber
	fieldAddress
	fieldFirst
	fieldMiddle
	fieldLast
	fieldGender
	numFields
)

var fieldNames = [numFields]string{"id", "name", "type", "dob", "country", "id_number", "address", "first_name", "middle_name", "last_name", "gender"}

// headerAliases are the header names each field is read from, most
// specific first: when two columns fit a field, the one whose alias comes
// first wins and the other is carried through unmapped. The customer's own
// reference ("Customer ID", "Client No") is id; a document or registration
// number ("ID Number", "Passport", "National ID") is id_number.
var headerAliases = [numFields][]string{
	fieldID: {"id", "ref", "reference", "customer id", "customer ref", "customer reference", "customer number",
		"customer no", "client id", "client ref", "client reference", "client number", "client no", "cust id",
		"record id", "row id", "external id", "account id", "account number", "account no", "kundennummer",
		"kunden nr", "party id", "uid", "key"},
	fieldName: {"name", "full name", "fullname", "customer name", "client name", "party name", "entity name",
		"account name", "account holder", "legal name", "company name", "organisation name", "organization name",
		"person name", "beneficiary name", "beneficiary", "counterparty name", "counterparty", "vessel name",
		"name of customer", "customer", "client", "company", "nom", "nombre", "nome", "kundenname"},
	fieldType: {"type", "entity type", "party type", "customer type", "client type", "kind", "category", "party kind"},
	fieldDOB: {"dob", "date of birth", "birth date", "birthdate", "birthday", "born", "d o b", "date birth",
		"geburtsdatum", "date de naissance", "fecha de nacimiento", "data di nascita", "data de nascimento"},
	fieldCountry: {"nationality", "citizenship", "country of nationality", "country of citizenship", "country",
		"country code", "country of residence", "residence country", "country of incorporation",
		"country of registration", "jurisdiction", "nation", "pays", "pais", "land", "staatsangehorigkeit",
		"nationalite", "nacionalidad", "country of birth"},
	fieldIDNumber: {"id number", "id no", "idnumber", "identification number", "identifier", "national id",
		"national id number", "passport", "passport no", "passport number", "document number", "id card",
		"id card number", "registration number", "company number", "registration no", "tax id", "tin", "vat number",
		"ssn", "imo", "imo number", "lei", "bic", "swift", "swift code"},
	fieldAddress: {"address", "full address", "street address", "residential address", "registered address",
		"postal address", "addr", "adresse", "direccion", "indirizzo", "endereco", "anschrift"},
	fieldFirst:  {"first name", "firstname", "given name", "given names", "forename", "forenames", "vorname", "prenom", "first"},
	fieldMiddle: {"middle name", "middle names", "middlename", "second name"},
	fieldLast:   {"last name", "lastname", "surname", "family name", "nachname", "nom de famille", "apellido", "apellidos", "last"},
	fieldGender: {"gender", "sex", "geschlecht", "sexe", "sexo", "genere", "sesso"},
}

// aliasRank maps a folded header name to its field and rank.
var aliasRank = func() map[string][2]int {
	m := map[string][2]int{}
	for f, names := range headerAliases {
		for i, n := range names {
			m[foldHeader(n)] = [2]int{f, i}
		}
	}
	return m
}()

// foldHeader folds a header name: lower case, no diacritics, no BOM, any run
// of punctuation, underscores or spaces one space ("Date_of_Birth",
// "date-of-birth" and "Date of Birth" are one).
func foldHeader(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		r = foldLatin(r)
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// foldLatin drops the accent of the Latin letters header names use.
func foldLatin(r rune) rune {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return 'a'
	case 'è', 'é', 'ê', 'ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		return 'o'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	case 'ç':
		return 'c'
	case 'ñ':
		return 'n'
	}
	return r
}

// columns holds the column index of each query field, -1 when absent.
type columns [numFields]int

func mapColumns(header []string, m map[string]string, needName bool) (columns, error) {
	var c columns
	rank := [numFields]int{}
	for f := range c {
		c[f], rank[f] = -1, 1<<30
	}
	folded := make([]string, len(header))
	for i, h := range header {
		folded[i] = foldHeader(h)
	}
	for f, h := range m {
		fi := -1
		for i, n := range fieldNames {
			if n == strings.ToLower(strings.TrimSpace(f)) {
				fi = i
			}
		}
		if fi < 0 {
			return c, fmt.Errorf("--map %s: not a query field (use %s)", f, strings.Join(fieldNames[:], ", "))
		}
		want := foldHeader(h)
		for i, fh := range folded {
			if fh == want {
				c[fi], rank[fi] = i, -1
				break
			}
		}
		if c[fi] < 0 {
			return c, fmt.Errorf("--map %s=%q: no such column in the header %q", f, h, strings.Join(header, ", "))
		}
	}
	taken := map[int]bool{}
	for _, i := range c {
		if i >= 0 {
			taken[i] = true
		}
	}
	for i, fh := range folded {
		if taken[i] {
			continue
		}
		a, ok := aliasRank[fh]
		if !ok {
			continue
		}
		if f := a[0]; a[1] < rank[f] {
			if c[f] >= 0 {
				delete(taken, c[f])
			}
			c[f], rank[f] = i, a[1]
			taken[i] = true
		}
	}
	if needName && c[fieldName] < 0 && c[fieldFirst] < 0 && c[fieldLast] < 0 && c[fieldIDNumber] < 0 {
		return c, fmt.Errorf("no name column in the header %q (name it Name or Full Name, or use --map name=COLUMN)", strings.Join(header, ", "))
	}
	return c, nil
}

func (c columns) unmapped(header []string) []string {
	used := map[int]bool{}
	for _, i := range c {
		used[i] = true
	}
	var out []string
	for i, h := range header {
		if !used[i] {
			out = append(out, h)
		}
	}
	return out
}

func (c columns) get(vals []string, f int) string {
	if i := c[f]; i >= 0 && i < len(vals) {
		return strings.TrimSpace(vals[i])
	}
	return ""
}

// query builds the raw query of a record: the mapped fields as written, a
// name joined from first, middle and last name columns when there is no
// name column or it is empty.
func (c columns) query(vals []string) interdict.Query {
	q := interdict.Query{
		Ref: c.get(vals, fieldID), Name: c.get(vals, fieldName), Kind: interdict.Kind(c.get(vals, fieldType)),
		DOB: c.get(vals, fieldDOB), Country: c.get(vals, fieldCountry), IDNumber: c.get(vals, fieldIDNumber),
		Address: c.get(vals, fieldAddress), Gender: c.get(vals, fieldGender),
	}
	if q.Name == "" {
		var parts []string
		for _, f := range []int{fieldFirst, fieldMiddle, fieldLast} {
			if v := c.get(vals, f); v != "" {
				parts = append(parts, v)
			}
		}
		q.Name = strings.Join(parts, " ")
	}
	return q
}

// setField sets a field of q that is still empty.
func setField(q *interdict.Query, f int, v string) {
	var p *string
	switch f {
	case fieldID:
		p = &q.Ref
	case fieldName:
		p = &q.Name
	case fieldType:
		if q.Kind == "" {
			q.Kind = interdict.Kind(v)
		}
		return
	case fieldDOB:
		p = &q.DOB
	case fieldCountry:
		p = &q.Country
	case fieldIDNumber:
		p = &q.IDNumber
	case fieldAddress:
		p = &q.Address
	case fieldGender:
		p = &q.Gender
	default:
		return
	}
	if *p == "" {
		*p = v
	}
}

// cut shortens s to at most n bytes on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
