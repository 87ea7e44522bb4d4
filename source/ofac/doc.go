// Package ofac reads the sanctions lists of the US Treasury's Office of
// Foreign Assets Control (OFAC) into interdict entities: the Specially
// Designated Nationals (SDN) list and the Consolidated (non-SDN) list, each in
// three published formats.
//
//   - "ofac-csv": the legacy CSV set. sdn.csv holds one primary record per
//     line (ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
//     Tonnage, GRT, Vess_flag, Vess_owner, Remarks), add.csv the addresses,
//     alt.csv the strong aliases and sdn_comments.csv the overflow of remarks
//     longer than 1,000 characters. The consolidated list uses cons_prim.csv,
//     cons_add.csv, cons_alt.csv and cons_comments.csv. There is no header;
//     "-0- " marks a null field; lines end in CRLF and the file in Ctrl-Z.
//     Files that are not valid UTF-8 are read as Windows-1252.
//   - "ofac-xml": the sdnList XML (sdn.xml, consolidated.xml). Element names
//     are matched without their namespace, which OFAC has changed over time.
//   - "ofac-enhanced-xml": the Enhanced XML (sanctionsData schema), whose
//     features, documents and lookups are resolved through its
//     referenceValues and featureTypes.
//
// The Remarks field of the CSV (and the idList of the XML) is a ";"-separated
// run of labelled facts: "DOB 10 Dec 1948; alt. DOB 1950; POB Tehran, Iran;
// Passport A123 (Iran) issued 01 Jan 2010; Linked To: HIZBALLAH.; a.k.a.
// 'ABU ALI'". One table of labels (see facts.go) maps them, for all three
// formats alike, to identifiers, dates, places, countries, relations, names
// and attributes; the whole remark is kept in Entity.Remarks as well. Weak
// aliases ("a.k.a. 'NAME'") appear in the CSV only in the remarks and are
// given NameWeak quality, as the XML's category "weak" is.
//
// Entity IDs are "ofac-sdn:<ent_num>" and "ofac-cons:<ent_num>", the uid OFAC
// keeps across versions and formats, so the CSV, XML and Enhanced XML of one
// record yield the same ID. "Linked To: NAME" relations name the other party
// only; when exactly one record of the same file has that primary name, its ID
// is set as the relation's Target.
package ofac
