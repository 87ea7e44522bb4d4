// Package ftm reads OpenSanctions data in the FollowTheMoney (FtM) entity
// format: JSON lines, one entity per line ({"id", "schema", "properties":
// {name: [...], ...}, "datasets", "referents", "first_seen", "last_seen",
// "last_change", "target"}), and the delta files OpenSanctions publishes
// between full exports, one operation per line ({"op": "ADD"|"MOD"|"DEL",
// "entity": {...}}). See https://followthemoney.tech/explorer/schemata/ and
// https://www.opensanctions.org/docs/bulk/delta/.
//
// Formats: "ftm-json" (entities.ftm.json, *.ftm.json, *.ftm.jsonl) and
// "ftm-delta" (entities.delta.json, *.delta.jsonl). Both are detected by file
// name or, failing that, by the first line: a delta line starts with {"op";
// an entity line starts with {"id" or holds "schema" and "properties".
//
// Mapping. Only entities of the party schemata become interdict entities:
// Person → person; Organization, Company, LegalEntity, PublicBody →
// organization; Vessel → vessel; Airplane → aircraft. The entity ID is
// "ftm:<FtM id>", which OpenSanctions keeps stable across versions (merged
// records keep their canonical "NK-" id and list the merged ids in
// "referents", kept in Attributes). The other schemata are folded into the
// parties that reference them when those are in the same file set:
//
//   - Address (addressEntity) → Addresses;
//   - Ownership, Directorship, Family, Associate, UnknownLink, Employment,
//     Membership, Representation → Relations on both sides, Target set to the
//     other party's "ftm:" id;
//   - Sanction (entity) → Programs, ListedOn (listingDate or startDate);
//   - Identification, Passport (holder) → Identifiers; CryptoWallet (holder)
//     → crypto Identifiers.
//
// An entity of those schemata that references no party in the file set, and
// an entity of any other schema, is left out with a warning (never silently).
// Property values may be nested entities (the FtM "nested" export); they are
// read as if they were lines of their own.
//
// Names: the caption, when it is one of the "name" values, is the primary
// name (OpenSanctions chooses it as the display name; the first "name" value
// is often in Cyrillic or Arabic); otherwise the first Latin-script "name",
// otherwise the first "name". The other "name" values and "alias" are strong,
// "weakAlias" weak, "previousName" former, and non-Latin aliases
// original-script (source.NewName). Name parts come from firstName,
// middleName, secondName, fatherName, motherName and lastName when at least
// two of them appear as words of a name.
//
// Countries are ISO 3166-1 alpha-2 in lower case ("ru"); FtM also writes
// codes for former states ("suhh" Soviet Union, "csxx", "yucs", "ddde") that
// have no alpha-2 code: those are kept in Attributes under the property name
// and reported as a warning. Dates are ISO prefixes (YYYY, YYYY-MM,
// YYYY-MM-DD) read with source.ParseDate; an implausible one is kept in
// Date.Raw with a warning. createdAt is the listing date unless a Sanction
// gives one. Properties without a field of their own go to Attributes under
// their FtM name, so no value is dropped.
//
// PEPs: OpenSanctions marks politically exposed persons with the topic
// "role.pep" and their relatives and close associates with "role.rca"
// (https://www.opensanctions.org/docs/topics/). Topics are kept in
// Attributes["topics"] as published; screening marks a hit on an entity
// with either topic as a PEP hit (interdict.HitPEP) rather than a sanction.
//
// Deltas: Result.Delta is true; ADD and MOD entities are Entities, DEL ids
// (as "ftm:<id>") are Result.Deleted. Files are applied in the order given
// (file-name order, which for OpenSanctions' timestamped delta names is
// chronological) and a later operation on an id replaces an earlier one.
// A delta that changes an Address or link entity can only update parties in
// the same delta set; parties in the stored version keep their old data.
//
// Published is the latest last_change or last_seen date (YYYY-MM-DD) of the
// entities read, or "" when none has one; FtM files carry no date of their
// own. The data is published by OpenSanctions under CC BY-NC 4.0 (commercial
// use needs an OpenSanctions licence).
package ftm
