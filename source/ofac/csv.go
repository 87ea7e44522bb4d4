package ofac

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// csvRole is the part a legacy CSV file plays in its set.
type csvRole int

const (
	rolePrimary  csvRole = iota + 1 // sdn.csv, cons_prim.csv
	roleAddress                     // add.csv, cons_add.csv
	roleAlias                       // alt.csv, cons_alt.csv
	roleComments                    // sdn_comments.csv, cons_comments.csv
)

// roleColumns is the number of columns of each role's rows.
var roleColumns = map[csvRole]int{rolePrimary: 12, roleAddress: 6, roleAlias: 5, roleComments: 2}

// roleHeaders names the columns of each role's rows, as OFAC's data
// specification does; the files themselves carry no header.
var roleHeaders = map[csvRole][]string{
	rolePrimary:  {"ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"},
	roleAddress:  {"ent_num", "Add_num", "Address", "City/State/Province/Postal Code", "Country", "Add_remarks"},
	roleAlias:    {"ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"},
	roleComments: {"ent_num", "Remarks_Extension"},
}

// roleNames is the role of each kind of file in the set, as the importer
// names a missing member.
var roleNames = map[csvRole]string{rolePrimary: "primary", roleAddress: "address", roleAlias: "alias", roleComments: "comments"}

// csvMember returns the role a file plays in the OFAC CSV set, by name.
func csvMember(name string) string {
	_, role, ok := csvFileRole(name)
	if !ok {
		return ""
	}
	return roleNames[role]
}

// csvFileRole says which list and role a legacy CSV file has by its lower-case
// base name.
func csvFileRole(name string) (list string, role csvRole, ok bool) {
	if !strings.HasSuffix(name, ".csv") {
		return "", 0, false
	}
	base := strings.TrimSuffix(name, ".csv")
	is := func(stem string) bool {
		return base == stem || strings.HasPrefix(base, stem+"_") || strings.HasPrefix(base, stem+"-")
	}
	switch {
	case is("sdn_comments"):
		return interdict.ListOFACSDN, roleComments, true
	case is("cons_comments"):
		return interdict.ListOFACCons, roleComments, true
	case is("cons_prim"):
		return interdict.ListOFACCons, rolePrimary, true
	case is("cons_add"):
		return interdict.ListOFACCons, roleAddress, true
	case is("cons_alt"):
		return interdict.ListOFACCons, roleAlias, true
	case is("add"):
		return interdict.ListOFACSDN, roleAddress, true
	case is("alt"):
		return interdict.ListOFACSDN, roleAlias, true
	case strings.HasPrefix(base, "sdn"):
		return interdict.ListOFACSDN, rolePrimary, true
	}
	return "", 0, false
}

// detectCSV claims OFAC legacy CSV files by name, checking that the first
// line starts with a numeric ent_num and, for address and alias files, a
// numeric second column.
func detectCSV(name string, head []byte) (string, bool) {
	list, role, ok := csvFileRole(name)
	if !ok {
		return "", false
	}
	text := decodeText(head)
	line, _, _ := strings.Cut(text, "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return list, true // an empty file: Parse reports it
	}
	f := strings.SplitN(line, ",", 4)
	if !isUID(strings.Trim(f[0], `" `)) {
		return "", false
	}
	if role == roleAddress || role == roleAlias {
		if len(f) < 3 || !isUID(strings.Trim(f[1], `" `)) {
			return "", false
		}
	}
	if role == rolePrimary && len(f) < 3 {
		return "", false
	}
	return list, true
}

// csvRow is one row of a CSV file with where it came from.
type csvRow struct {
	file   string
	line   int
	fields []string
}

// readCSV reads every row of one file, reporting rows that cannot be read or
// have the wrong number of columns with r.Skip.
func readCSV(r *source.Result, list string, f source.File, role csvRole) []csvRow {
	cr := csv.NewReader(bytes.NewReader(trimEOF(source.DecodeText(r, list, f))))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			if role == rolePrimary {
				r.Report.Records++
			}
			r.Skip(&source.ParseError{List: list, File: f.Name, Line: line, Err: fmt.Errorf("read csv: %w", err)})
			if pe == nil {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		rec0 := ""
		if len(rec) > 0 {
			rec0 = strings.TrimSpace(rec[0])
		}
		if want := roleColumns[role]; len(rec) != want {
			if role == rolePrimary {
				r.Report.Records++
			}
			r.Skip(&source.ParseError{List: list, File: f.Name, Line: line, Record: rec0, Err: fmt.Errorf("row has %d columns, want %d", len(rec), want)})
			continue
		}
		if name, err := source.CheckFields(roleHeaders[role], rec, "ent_num", "SDN_Name", "alt_name"); err != nil {
			if role == rolePrimary {
				r.Report.Records++
			}
			r.Skip(&source.ParseError{List: list, File: f.Name, Line: line, Record: rec0, Field: name, Err: err})
			continue
		}
		rows = append(rows, csvRow{file: f.Name, line: line, fields: rec})
	}
	return rows
}

// parseCSV reads an OFAC legacy CSV set: one or more primary files plus any
// address, alias and comment files.
func parseCSV(list string, files []source.File) (*source.Result, error) {
	r := &source.Result{List: list, Format: "ofac-csv", Publisher: Publisher}
	byRole := map[csvRole][]source.File{}
	for _, f := range files {
		_, role, ok := csvFileRole(strings.ToLower(f.Name))
		if !ok {
			return nil, fmt.Errorf("ofac-csv: %s: not a file of the OFAC CSV set (sdn.csv, add.csv, alt.csv, sdn_comments.csv, cons_*.csv)", f.Name)
		}
		if err := source.CheckEnd(list, f); err != nil {
			return nil, err
		}
		byRole[role] = append(byRole[role], f)
	}
	if len(byRole[rolePrimary]) == 0 {
		var names []string
		for _, f := range files {
			names = append(names, f.Name)
		}
		return nil, fmt.Errorf("ofac-csv: %s: no primary file (sdn.csv or cons_prim.csv) in the set %v", list, names)
	}

	// Primary records, in file order.
	var prim []csvRow
	index := map[string]int{} // ent_num -> index in prim
	for _, f := range byRole[rolePrimary] {
		for _, row := range readCSV(r, list, f, rolePrimary) {
			r.Report.Records++
			uid := strings.TrimSpace(row.fields[0])
			if !isUID(uid) {
				r.Skip(&source.ParseError{List: list, File: row.file, Line: row.line, Record: uid, Field: "ent_num", Err: fmt.Errorf("ent_num %q is not a number", uid)})
				continue
			}
			if _, dup := index[uid]; dup {
				r.Skip(&source.ParseError{List: list, File: row.file, Line: row.line, Record: uid, Field: "ent_num", Err: fmt.Errorf("duplicate ent_num %s", uid)})
				continue
			}
			index[uid] = len(prim)
			prim = append(prim, row)
		}
	}

	// Remark overflow: the comment continues the remark where the primary
	// file cut it at 1,000 characters.
	extra := map[string][]string{} // remarks that do not continue a cut remark
	for _, f := range byRole[roleComments] {
		for _, row := range readCSV(r, list, f, roleComments) {
			uid := strings.TrimSpace(row.fields[0])
			i, ok := index[uid]
			if !ok {
				r.Warn(&source.ParseError{List: list, File: row.file, Line: row.line, Record: uid, Field: "ent_num", Err: fmt.Errorf("remark overflow for ent_num %s, which is not in the primary file", uid)})
				continue
			}
			text := row.fields[1]
			rem := prim[i].fields[11]
			if len(rem) < 1000 || field(rem) == "" {
				r.Warn(&source.ParseError{List: list, File: row.file, Line: row.line, Record: uid, Field: "Remarks", Err: errors.New("remark overflow for a remark that was not cut; kept as a separate remark (files of different dates?)")})
				extra[uid] = append(extra[uid], field(text))
				continue
			}
			prim[i].fields[11] = rem + text
		}
	}

	aliases := map[string][]csvRow{}
	for _, f := range byRole[roleAlias] {
		for _, row := range readCSV(r, list, f, roleAlias) {
			uid := strings.TrimSpace(row.fields[0])
			if _, ok := index[uid]; !ok {
				r.Warn(&source.ParseError{List: list, File: row.file, Line: row.line, Record: uid, Field: "ent_num", Err: fmt.Errorf("alias %q for ent_num %s, which is not in the primary file", field(row.fields[3]), uid)})
				continue
			}
			aliases[uid] = append(aliases[uid], row)
		}
	}
	addresses := map[string][]csvRow{}
	for _, f := range byRole[roleAddress] {
		for _, row := range readCSV(r, list, f, roleAddress) {
			uid := strings.TrimSpace(row.fields[0])
			if _, ok := index[uid]; !ok {
				r.Warn(&source.ParseError{List: list, File: row.file, Line: row.line, Record: uid, Field: "ent_num", Err: fmt.Errorf("address for ent_num %s, which is not in the primary file", uid)})
				continue
			}
			addresses[uid] = append(addresses[uid], row)
		}
	}

	r.Entities = make([]interdict.Entity, 0, len(prim))
	for _, row := range prim {
		uid := strings.TrimSpace(row.fields[0])
		m := &mapper{r: r, list: list, file: row.file, line: row.line, uid: uid}
		e, ok := m.csvEntity(row.fields, aliases[uid], addresses[uid])
		if !ok {
			continue
		}
		for _, x := range extra[uid] {
			if x != "" {
				e.Remarks = append(e.Remarks, x)
				m.applyRemarks(&e, x)
			}
		}
		r.Entities = append(r.Entities, e)
	}
	resolveLinks(r.Entities)
	r.Finish()
	return r, nil
}

// csvEntity maps one primary row and its alias and address rows.
func (m *mapper) csvEntity(f []string, alts, adds []csvRow) (interdict.Entity, bool) {
	e := newEntity(m.list, m.uid)
	typ := field(f[2])
	switch typ {
	case "":
		e.Kind = interdict.KindOrganization // OFAC writes "-0-" for entities
	default:
		k, ok := interdict.ParseKind(typ)
		if !ok {
			m.warn("SDN_Type", fmt.Errorf("unknown SDN_Type %q", typ))
		}
		e.Kind = k
	}
	n, ok := personName(f[1], interdict.NamePrimary, e.Kind)
	if !ok {
		m.r.Skip(&source.ParseError{List: m.list, File: m.file, Line: m.line, Record: m.uid, Field: "SDN_Name", Err: errors.New("record has no name")})
		return e, false
	}
	e.Names = append(e.Names, n)
	e.Programs = splitPrograms(f[3])
	if t := field(f[4]); t != "" {
		e.Titles = append(e.Titles, t)
	}
	// Vessel columns.
	if cs := field(f[5]); cs != "" {
		e.Identifiers = append(e.Identifiers, interdict.Identifier{Type: interdict.IDCallSign, Label: "Call Sign", Value: cs})
	}
	e.AddAttribute("Vessel Type", field(f[6]))
	e.AddAttribute("Vessel Tonnage", field(f[7]))
	e.AddAttribute("Vessel GRT", field(f[8]))
	if flag := field(f[9]); flag != "" {
		m.applyItem(&e, "Vessel Flag "+flag, factCtx{field: "Vess_flag"})
	}
	e.AddAttribute("Vessel Owner", field(f[10]))

	for _, a := range alts {
		q := aliasQuality(field(a.fields[2]), "strong")
		n, ok := personName(a.fields[3], q, e.Kind)
		if !ok {
			m.r.Warn(&source.ParseError{List: m.list, File: a.file, Line: a.line, Record: m.uid, Field: "alt_name", Err: errors.New("alias row without a name")})
			continue
		}
		source.AddName(&e, n)
		e.AddAttribute("Alias Remarks", field(a.fields[4]))
	}
	for _, a := range adds {
		cityEtc := field(a.fields[3])
		addAddress(&e, field(a.fields[2]), cityEtc, "", "", field(a.fields[4]), "")
		e.AddAttribute("Address Remarks", field(a.fields[5]))
	}
	if rem := field(f[11]); rem != "" {
		e.Remarks = append(e.Remarks, rem)
		m.applyRemarks(&e, rem)
	}
	return e, true
}
