// Package batch screens files of parties: it reads customer files as they
// come (CSV in any dialect, XLSX, JSON lines), screens every row through an
// interdict.Screener, and writes the input's rows back with the results, in
// input order, resumably.
//
// The one pipeline every entry point uses:
//
//	rd, err := batch.Open(f, "customers.csv", batch.ReadOptions{Map: map[string]string{"name": "Client Name"}})
//	wr, err := batch.CreateOutput("results.csv", "csv", rd, opt) // or batch.NewWriter(w, "csv", rd.Header())
//	sum, err := batch.Run(ctx, rd, screener, wr, batch.RunOptions{
//		Check: interdict.CheckOptions{Country: country.Resolve, DateOrder: interdict.DateOrderAuto},
//		Checkpoint: "results.csv.checkpoint", Progress: bar,
//	})
//	err = wr.Close()
//
// Reading. Open detects the format: ReadOptions.Format, else a ZIP archive
// is XLSX, else the file extension (.jsonl, .ndjson, .json, .tsv, .tab),
// else a first '{' is JSON lines, else delimited text (.csv, .txt).
// CSV: the delimiter (comma, semicolon, tab or pipe) is sniffed from the
// header; UTF-8 with or without BOM, UTF-16 with BOM, and lines that are not
// UTF-8 are read as Windows-1252 with a warning. Quoted fields may span
// lines, but the reader assembles records from physical lines itself: a
// quoted field that runs on past 64 lines or MaxRecordBytes, to the end of
// the file, into a record of the wrong field count, or over whole lines of
// delimited fields is a damaged record (a stray quote). It becomes one
// error row naming its lines and reading resumes at the next physical line,
// so a stray quote never swallows the rows after it. JSON lines: a line
// longer than MaxRecordBytes is one error row and reading goes on. XLSX:
// date cells in the dob column are read as YYYY-MM-DD whatever their
// format, and a plain number there that can only be a serial date (2201 to
// 73050) is read as one with a warning; Line is the row number.
//
// Columns. Header names are matched to query fields case-insensitively,
// ignoring punctuation ("Date_of_Birth" is "Date of Birth"), through
// aliases: id ("ID", "Customer ID", "Client No", "Reference": the
// customer's own reference, echoed back), name ("Name", "Full Name",
// "Customer Name", "Client Name", ...; or "First Name" + "Middle Name" +
// "Last Name" joined), type, dob ("DOB", "Date of Birth", "Birthdate",
// "Birth Date"), country ("Nationality", "Citizenship", "Country", in that
// order of preference), id_number ("ID Number", "National ID", "Passport",
// "Passport No", "Registration Number", ...: a document number, screened)
// and address. ReadOptions.Map overrides the aliases. Columns not mapped
// are named in a file-level warning and carried through to the output
// unchanged, so results join back to the input.
//
// Screening. Run checks each record's query with Query.Check (lenient
// dates, country names in many languages through CheckOptions.Country):
// an unreadable date or country is a warning on the row, never a lost row.
// A record with no usable name and no identifier, and a damaged record, are
// error rows. Records == Screened + Errors, and every record is one output
// row.
//
// Output. CSV and XLSX: the input columns, then ResultColumns. JSON lines:
// one object per row with "input", "result" (the full ScreenResult),
// "warnings", "error", "line" and "end_line". Cells that a spreadsheet
// would evaluate as a formula are defused (see Defuse).
//
// Resume. With RunOptions.Checkpoint, Run flushes and syncs the output and
// writes a checkpoint (records done, output offset, the input's size and
// SHA-256 of its first 64 KiB) every CheckpointEvery rows, by renaming a
// temporary file into place. After a crash, CreateOutput and Run with
// Resume check the input, cut the output back to the checkpoint, skip the
// records done and append: the output is byte for byte that of an
// uninterrupted run. XLSX output cannot be resumed.
package batch
