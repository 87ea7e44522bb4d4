// Package classify proposes control-list entries for goods line items: EU
// Dual-Use Regulation 2021/821 Annex I (with Category 0, the NSG Trigger
// List) and the US Commerce Control List, with the Common High Priority List
// and HS 2022 for tariff codes (docs/DOMAIN.md section 5).
//
// Each line gets three separate signals and one verdict:
//
//   - the code signal: the HS code's CHPL tier and the entries it relates to
//     (a tariff code raises candidates; it never decides);
//   - the text signal: technical terms of the description matched against
//     the entry headings and item text, with phrases, defined terms and
//     synonyms ("frequency changer" ≈ converter ≈ inverter);
//   - missing parameters: what decides control but is not stated (wetted
//     materials, flow rate, frequency, accuracy). Stated numeric parameters
//     ("40 kW", "600-2000 Hz", "UTS 2,050 MPa") are compared with the
//     thresholds of the key entries, so a fully specified item can be listed.
//
// The text signal reads the line as an analyst does: the head noun of the
// first phrase ("pumps" in "pumps for nuclear plant cooling") and the
// application it names ("for nuclear plant cooling", "for missile
// guidance") weigh more than incidental words, and an entry that matches
// only generic words is no candidate unless the tariff code supports it.
// Which words are generic is learned from the texts, not listed by hand:
// words spread over many entries (system, equipment, part) and words that
// the HS nomenclature, the vocabulary of all traded goods, uses about as
// often as the control lists (steel, paper, chair, plant, office).
//
// Each line then gets one decision (interdict.GoodsDecision): prohibited,
// licence-required, review or no-licence-required, with its reasons. A
// listed end user or a destination under a comprehensive or regional
// embargo decides the line whatever the goods are; then bans and licence
// requirements for listed goods, a WMD or military end use (catch-all),
// listed goods, and candidates that need a review. An unknown destination
// is an EINVALID error rather than a line judged without one.
//
// Destination rules (embargoes, dual-use bans, arms embargoes, sanctioned
// regions) and the simplified Commerce Country Chart are embedded data
// (data/destinations.json, data/countrychart.json), not code. The end user is
// screened through a PartyScreener when one is configured.
//
// The control-list tables in data/ are generated from ../shared/data/goods by
// `go test ./classify -run TestData -update`; see data/MANIFEST.md.
//
// A Classifier is immutable once built and safe for concurrent use.
package classify
