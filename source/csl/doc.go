// Package csl reads the US Consolidated Screening List (CSL) published by the
// International Trade Administration of the US Department of Commerce: the
// bulk CSV file ("csl-csv") and the JSON of the trade.gov API and bulk
// download ("csl-json"). The CSL merges up to 13 US lists (OFAC SDN, SSI,
// PLC, CMIC, CAPTA, NS-MBS and FSE; BIS Entity List, Denied Persons,
// Unverified and Military End User lists; State's ITAR debarred and
// nonproliferation lists).
//
// Both formats are read into the same intermediate record and mapped by the
// same code, so one CSL record gives an identical interdict.Entity whichever
// format it came in. Where the CSV loses structure that the JSON has, the
// entity keeps only what both formats can give:
//
//   - Addresses: the CSV joins the non-empty parts (street, city, state,
//     postal code, country) with ", ", and streets hold commas, so the parts
//     cannot be split back. Both formats keep the whole address in
//     Address.Full and the resolved ISO country (the last part) in
//     Address.Country.
//   - Identifiers: the CSV writes each id as its non-empty JSON fields in
//     alphabetical key order ("country, expiration_date, issue_date, number,
//     type", e.g. "JO, 2014-08-30, 2009-08-31, K475336, Passport"). With two
//     dates the first is the expiry and the second the issue date; a single
//     date cannot be told apart and is noted as "issued or expires".
//
// Entity IDs are "csl:<_id>" (the JSON "id"). For SDN rows the _id is the
// OFAC entity number, and for BIS and State rows it is a SHA-1 of the record.
// The other Treasury sub-lists (SSI, PLC, CMIC, CAP, NS-MBS, FSE) also use
// the OFAC entity number, and the same party often appears on several of
// them and on the SDN list, so their rows get "csl:<code>-<_id>" (for
// example "csl:SSI-18741" beside "csl:18741" for the SDN row). Rows that
// still share an ID (the 2022-05 file lists BANK OF KUNLUN twice on CAP) are
// merged into one entity with a warning.
//
// Each entity carries its sub-list's short code ("SDN", "EL", "DPL", ...) in
// Attributes["source_list"], and in Programs when the row lists no program.
// The CSL type column is blank for Entity List, DPL, UVL, MEU, ISN and ITAR
// rows; those entities are interdict.KindUnknown. The file states no
// publication date, so Result.Published is "".
package csl
