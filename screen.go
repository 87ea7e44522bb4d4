package interdict

import "context"

// Query is one party to screen: a name in any script plus whatever else the
// caller knows. Only Name is required; every other field is optional and,
// when empty, counts as unknown (never as a mismatch).
type Query struct {
	// Name is the party's name as the caller has it, in any script.
	Name string `json:"name"`
	// Kind restricts and informs matching; "" or KindUnknown means any.
	Kind Kind `json:"type,omitempty"`
	// DOB is a birth date: YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or
	// DD/MM/YYYY.
	DOB string `json:"dob,omitempty"`
	// Country is a nationality, citizenship or country of residence or
	// registration: an ISO 3166-1 code or a name.
	Country string `json:"country,omitempty"`
	// IDNumber is a passport, national ID, IMO, BIC, LEI, registration number
	// or similar, with any spacing.
	IDNumber string `json:"id_number,omitempty"`
	// Address is a free-text address.
	Address string `json:"address,omitempty"`
	// Gender is the person's gender: "male", "female" or "" (Check reads
	// m, f, man, woman and their capitals too).
	Gender string `json:"gender,omitempty"`
	// Ref is the caller's own row or record id, echoed back.
	Ref string `json:"id,omitempty"`
}

// MatchKind is how a pair of tokens was judged alike.
type MatchKind string

// Token match kinds, from strongest to weakest.
const (
	MatchExact           MatchKind = "exact"
	MatchTransliteration MatchKind = "transliteration" // equal after romanizing a non-Latin name
	MatchPhonetic        MatchKind = "phonetic"        // same consonant skeleton (Mohammed/Muhammad)
	MatchNickname        MatchKind = "nickname"        // Bob/Robert
	MatchJoined          MatchKind = "joined"          // Binladen / Bin Laden
	MatchTypo            MatchKind = "typo"            // within the edit budget for the token length
	MatchInitial         MatchKind = "initial"         // J / John
)

// TokenMatch is one aligned pair of tokens (or joined tokens) of the query and
// the matched name.
type TokenMatch struct {
	// Query and Entity are the romanized tokens; a joined pair is written
	// with a space ("bin laden").
	Query  string `json:"query"`
	Entity string `json:"entity"`
	// Similarity is in [0, 1].
	Similarity float64   `json:"similarity"`
	Kind       MatchKind `json:"kind"`
	// Weight is the pair's share of the name score, from the tokens'
	// inverse document frequency and class; common tokens weigh little.
	Weight float64 `json:"weight"`
}

// Evidence is one piece of secondary evidence and its effect on the score.
type Evidence struct {
	// Feature is "dob", "country", "gender", "identifier", "address",
	// "kind", "alias_quality" or "numbers".
	Feature string `json:"feature"`
	Query   string `json:"query,omitempty"`
	Entity  string `json:"entity,omitempty"`
	// Effect is what the evidence added to (positive) or took from
	// (negative) the score.
	Effect float64 `json:"effect"`
	Note   string  `json:"note,omitempty"`
}

// Explanation says why a hit scored what it did: which of the entity's names
// matched, the token alignment, and each piece of secondary evidence.
type Explanation struct {
	// NameQuality and NameScript describe the entity name that matched.
	NameQuality NameQuality `json:"name_quality,omitempty"`
	NameScript  string      `json:"name_script,omitempty"`
	// QueryForm and EntityForm are the romanized forms that were aligned.
	QueryForm  string `json:"query_form,omitempty"`
	EntityForm string `json:"entity_form,omitempty"`
	// NameScore is the score of the names alone, in [0, 1].
	NameScore float64      `json:"name_score"`
	Alignment []TokenMatch `json:"alignment,omitempty"`
	// UnmatchedQuery and UnmatchedEntity are the tokens left over, with
	// their class when it is not an ordinary name part ("llc (legal-form)").
	UnmatchedQuery  []string   `json:"unmatched_query,omitempty"`
	UnmatchedEntity []string   `json:"unmatched_entity,omitempty"`
	Evidence        []Evidence `json:"evidence,omitempty"`
}

// HitKind says what a hit's listing means for the institution.
type HitKind string

// Hit kinds. A sanction hit is on a list a public authority publishes
// (interdict.Lists); a PEP hit is on a politically exposed person or a
// relative or close associate of one (enhanced due diligence, not a
// sanctions alert); an internal hit is on a list of the institution's own.
const (
	HitSanction HitKind = "sanction"
	HitPEP      HitKind = "pep"
	HitInternal HitKind = "internal"
)

// AttrUnofficialCopy is the entity attribute in which a list format that
// reads a third party's copy of a list, rather than the publisher's file,
// says so ("EU list, from an unofficial copy dated 2026-01-28"); the note
// goes with every hit on the entity (Hit.Note, Listing.Note).
const AttrUnofficialCopy = "unofficial_copy"

// Hit is one listed entity a query may be.
type Hit struct {
	EntityID string `json:"entity_id"`
	List     string `json:"list"`
	// Party is the ID of the party the entity belongs to: the lead entity
	// of the records of one listed party on several lists (see ListedParty).
	Party string `json:"party,omitempty"`
	// Note says when the entity comes from an unofficial copy of its list
	// ("EU list, from an unofficial copy dated 2026-01-28").
	Note string `json:"note,omitempty"`
	// Kind is the kind of the listed party; HitKind the kind of listing.
	Kind    Kind    `json:"kind"`
	HitKind HitKind `json:"hit_kind,omitempty"`
	// Name is the entity's display name; MatchedName the name that matched.
	Name        string `json:"name"`
	MatchedName string `json:"matched_name"`
	// Score is in [0, 1].
	Score float64 `json:"score"`
	// Alert is true when the hit alerts under the policy: its score reaches
	// the threshold of its list (Policy.PerList) or, for a list without
	// one, the policy's threshold, and the list's hits alert at all.
	Alert       bool        `json:"alert"`
	Programs    []string    `json:"programs,omitempty"`
	Explanation Explanation `json:"explanation"`
}

// Listing is one list's record of a party in a screening result.
type Listing struct {
	EntityID string   `json:"entity_id"`
	List     string   `json:"list"`
	Name     string   `json:"name,omitempty"`
	Programs []string `json:"programs,omitempty"`
	// Score is the record's score for the query, in [0, 1]; 0 for a record
	// carried only because it is linked to one that matched (its names did
	// not reach the policy's minimum score).
	Score float64 `json:"score"`
	Note  string  `json:"note,omitempty"`
}

// ListedParty is one listed party a query may be: the records of one party on
// several lists (linked by the same source record, UN reference number,
// strong identifier or sameAs; never by name alone), best match first.
type ListedParty struct {
	// ID is the party's ID: the entity ID of its record on the first list
	// in the order of Lists.
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Kind  Kind    `json:"kind"`
	Score float64 `json:"score"`
	// Alert is true when any of the party's hits alerts (Hit.Alert).
	Alert bool `json:"alert"`
	// Listings are the party's records: the best-matching first, then the
	// others by score and list.
	Listings []Listing `json:"listings"`
}

// ScreenResult is the outcome of screening one query: the hits sorted by
// score (ties by entity ID), whether any reaches the alert threshold, the
// policy hash and the list versions screened against.
type ScreenResult struct {
	Query Query `json:"query"`
	Alert bool  `json:"alert"`
	// Policy is the hex SHA-256 of the canonical JSON of the policy used.
	Policy string `json:"policy"`
	// Lists maps each list screened to its version ("ofac-sdn": "12" or a
	// checksum), when the screener knows them.
	Lists map[string]string `json:"lists,omitempty"`
	// Warnings name the query fields that could not be read and were left
	// out of screening (the name was screened all the same).
	Warnings Warnings `json:"warnings"`
	// TotalHits is the number of entities that reached the policy's minimum
	// score; Hits holds at most the policy's limit of them, never cutting
	// entities that tie on the last score kept.
	TotalHits int   `json:"total_hits"`
	Hits      []Hit `json:"hits"`
	// Parties groups Hits by listed party, in the order of each party's
	// best hit: one entry per party with every list that carries it;
	// omitted when there are no hits.
	Parties []ListedParty `json:"parties,omitempty"`
	// Network holds what the network of relationships and ownership says
	// about the query (connected to a listed party, blocked by ownership),
	// as signals of their own, never part of any score; omitted when none.
	Network []NetworkSignal `json:"network,omitempty"`
}

// Screener screens parties against the loaded lists.
type Screener interface {
	// Screen returns the ranked hits for q. Returns EINVALID when q has no
	// name and no identifier.
	Screen(ctx context.Context, q Query) (*ScreenResult, error)
}
