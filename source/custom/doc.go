// Package custom reads the institution's own lists — exited customers,
// parties a regulator or a correspondent bank warned about, an export
// team's "do not ship" list, PEP data bought from a provider — from the
// files compliance officers keep them in: CSV in any dialect, XLSX or JSON
// lines, read through package batch exactly as files of parties to screen
// are (the same encodings, delimiters, date forms and warnings).
//
// Columns. One row is one party. The name column is required; the others
// are optional. Header names are matched case-insensitively, ignoring
// punctuation and spaces, through the aliases package batch knows for id,
// name (or first, middle and last name), type, dob, country, id_number and
// address, and these of its own:
//
//	aliases       "Aliases", "Alias", "AKA", "Also Known As", "Other Names"   (several, separated by ";")
//	id_numbers    "ID Numbers", "Identifiers", "Documents"                   (several, separated by ";")
//	remarks       "Remarks", "Notes", "Comments", "Description"
//	listed_since  "Listed Since", "Listed On", "Date Listed", "Date Added"
//	reason        "Reason", "Reason for Listing", "Grounds", "Program"
//	topics        "Topics", "Tags"                                          (FtM topics: "role.pep" marks a PEP)
//
// Options.Map maps any field to a header of the file's own and overrides
// the aliases.
//
// IDs. A custom list's entity IDs are "<list>:<the row's id column>" or,
// when the row has no id, "<list>:<a stable hash of the row>": the first 16
// hex digits of the SHA-256 of its name, type, date of birth, country and
// identifiers, so that a row whose remarks or reason change is the same
// entity, changed, in the next version's diff.
//
// Errors. A row with no name, a damaged CSV record or an overlong line is
// left out and reported as an error naming the file, the line and the
// field; an unreadable date of birth, country or type is kept out of the
// entity and reported as a warning. The rows of a file are bounded by
// MaxRows and a row by batch.DefaultMaxRecordBytes.
package custom
