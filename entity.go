package interdict

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// Kind is the kind of a listed party.
type Kind string

// The kinds of entity. KindUnknown is used where the list does not say, as the
// US Consolidated Screening List does for Entity List and Denied Persons rows.
const (
	KindPerson       Kind = "person"
	KindOrganization Kind = "organization"
	KindVessel       Kind = "vessel"
	KindAircraft     Kind = "aircraft"
	KindUnknown      Kind = "unknown"
)

// Kinds lists every Kind in display order.
var Kinds = []Kind{KindPerson, KindOrganization, KindVessel, KindAircraft, KindUnknown}

// ParseKind maps common spellings ("individual", "entity", "ship", ...) to a
// Kind. It returns KindUnknown and false for anything it does not recognise.
func ParseKind(s string) (Kind, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person", "individual", "individuals", "natural person", "p":
		return KindPerson, true
	case "organization", "organisation", "entity", "entities", "company", "enterprise", "legalentity", "legal entity", "o", "e":
		return KindOrganization, true
	case "vessel", "ship", "v":
		return KindVessel, true
	case "aircraft", "a":
		return KindAircraft, true
	case "unknown", "":
		return KindUnknown, s != ""
	}
	return KindUnknown, false
}

// NameQuality grades how a list presents a name.
type NameQuality string

// The qualities of a name. A weak alias is one the publisher marks as weak or
// low quality (OFAC "weak", UN "Low", UK "Low quality a.k.a."); OFAC's guidance
// treats such names as confirming a hit raised by other data, not as a trigger.
const (
	NamePrimary  NameQuality = "primary"
	NameStrong   NameQuality = "strong"
	NameWeak     NameQuality = "weak"
	NameFormer   NameQuality = "former"
	NameOriginal NameQuality = "original-script"
)

// NamePartType is the role of one part of a structured name.
type NamePartType string

// Name part types, as lists give them.
const (
	PartGiven      NamePartType = "given"
	PartMiddle     NamePartType = "middle"
	PartFamily     NamePartType = "family"
	PartPatronymic NamePartType = "patronymic"
	PartMatronymic NamePartType = "matronymic"
	PartTitle      NamePartType = "title"
	PartOther      NamePartType = "other"
)

// NamePart is one part of a structured name.
type NamePart struct {
	Type  NamePartType `json:"type"`
	Value string       `json:"value"`
}

// Name is one name of an entity, as the list writes it.
type Name struct {
	// Full is the whole name as published, in its own script.
	Full string `json:"full"`
	// Quality says whether this is the primary name, an alias, a former name or
	// a name in its original (non-Latin) script.
	Quality NameQuality `json:"quality"`
	// Script is the ISO 15924 code of the dominant script of Full ("Latn",
	// "Arab", "Cyrl", "Hani", ...), or "" when Full has no letters.
	Script string `json:"script,omitempty"`
	// Lang is the language tag the list gives for the name, if any.
	Lang string `json:"lang,omitempty"`
	// Parts holds the name parts when the list gives them.
	Parts []NamePart `json:"parts,omitempty"`
}

// IdentifierType is the kind of document or code an Identifier is.
type IdentifierType string

// Identifier types. Lists use many more labels; importers map what they can and
// keep the list's own label in Identifier.Label.
const (
	IDPassport     IdentifierType = "passport"
	IDNational     IdentifierType = "national-id"
	IDTax          IdentifierType = "tax-id"
	IDRegistration IdentifierType = "registration"
	IDIMO          IdentifierType = "imo"
	IDMMSI         IdentifierType = "mmsi"
	IDCallSign     IdentifierType = "call-sign"
	IDBIC          IdentifierType = "bic"
	IDLEI          IdentifierType = "lei"
	IDCrypto       IdentifierType = "crypto"
	IDAircraft     IdentifierType = "aircraft"
	IDEmail        IdentifierType = "email"
	IDPhone        IdentifierType = "phone"
	IDWebsite      IdentifierType = "website"
	IDOther        IdentifierType = "other"
)

// Identifier is a document number or code that identifies an entity.
type Identifier struct {
	Type IdentifierType `json:"type"`
	// Label is the list's own wording for the type ("Passport", "NIT #",
	// "Digital Currency Address - XBT").
	Label string `json:"label,omitempty"`
	// Value is the identifier as published, with the list's own spacing.
	Value string `json:"value"`
	// Country is the ISO 3166-1 alpha-2 code of the issuing country, if known.
	Country string `json:"country,omitempty"`
	// Note holds the list's qualifications ("issued 2010", "expires ...").
	Note string `json:"note,omitempty"`
	// KnownFalse marks identifiers the publisher flags as false or fraudulent.
	KnownFalse bool `json:"known_false,omitempty"`
}

// DateType is the meaning of a Date.
type DateType string

// Date types.
const (
	DateBirth         DateType = "birth"
	DateIncorporation DateType = "incorporation"
	DateBuild         DateType = "build"
	DateOther         DateType = "other"
)

// DatePrecision says how exactly a list gives a date.
type DatePrecision string

// Date precisions.
const (
	PrecisionDay   DatePrecision = "day"
	PrecisionMonth DatePrecision = "month"
	PrecisionYear  DatePrecision = "year"
	PrecisionRange DatePrecision = "range"
	PrecisionCirca DatePrecision = "circa"
)

// Date is an imprecise date held as a closed interval [From, To]. A date given
// to the day has From == To; "1968" is [1968-01-01, 1968-12-31]; "circa 1963"
// and ranges widen the interval. From and To are ISO 8601 (YYYY-MM-DD). Raw
// keeps the text as published.
type Date struct {
	Type      DateType      `json:"type"`
	From      string        `json:"from,omitempty"`
	To        string        `json:"to,omitempty"`
	Precision DatePrecision `json:"precision,omitempty"`
	Raw       string        `json:"raw,omitempty"`
}

// Address is a postal address. Country is an ISO 3166-1 alpha-2 code when the
// list's country could be resolved; Full is the whole address as one line.
type Address struct {
	Street     string `json:"street,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
	// CountryName is the list's own wording of the country, kept when it could
	// not be resolved to a code or differs from the code's name (e.g. "Crimea").
	CountryName string `json:"country_name,omitempty"`
	Full        string `json:"full,omitempty"`
}

// Line returns the address on one line: Full when the list gives it,
// otherwise the parts joined with commas.
func (a Address) Line() string {
	if a.Full != "" {
		return a.Full
	}
	var parts []string
	for _, s := range []string{a.Street, a.City, a.Region, a.PostalCode, a.CountryName} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// Place is a place such as a place of birth: free text plus the country code
// where it can be resolved.
type Place struct {
	Text    string `json:"text,omitempty"`
	Country string `json:"country,omitempty"`
}

// RelationType is the kind of link between two entities.
type RelationType string

// Relation types.
const (
	RelLinkedTo  RelationType = "linked-to"
	RelOwnedBy   RelationType = "owned-by"
	RelActingFor RelationType = "acting-for"
	RelFamily    RelationType = "family"
	RelAssociate RelationType = "associate"
	RelDirector  RelationType = "director-of"
	RelOwnerOf   RelationType = "owner-of"
)

// Relation is a typed link from an entity to another. Target is the other
// entity's ID when the importer could resolve it; TargetName is the name the
// list gives, kept always because lists such as OFAC's name the other party
// in free text only.
type Relation struct {
	Type       RelationType `json:"type"`
	Target     string       `json:"target,omitempty"`
	TargetName string       `json:"target_name,omitempty"`
	Note       string       `json:"note,omitempty"`
}

// Entity is one listed party in the common model that every list maps to.
type Entity struct {
	// ID is "<list>:<the list's own id>", for example "ofac-sdn:36" or
	// "un:QDi.430"; it is stable across versions of the list.
	ID string `json:"id"`
	// List is the list identifier (see Lists).
	List string `json:"list"`
	// SourceID is the list's own record identifier.
	SourceID string `json:"source_id"`
	// SourceURL links to the published record or list.
	SourceURL string `json:"source_url,omitempty"`
	Kind      Kind   `json:"kind"`
	// Names holds every name; the first name with quality NamePrimary is the
	// display name.
	Names         []Name       `json:"names"`
	Identifiers   []Identifier `json:"identifiers,omitempty"`
	Addresses     []Address    `json:"addresses,omitempty"`
	Dates         []Date       `json:"dates,omitempty"`
	BirthPlaces   []Place      `json:"birth_places,omitempty"`
	Nationalities []string     `json:"nationalities,omitempty"`
	Citizenships  []string     `json:"citizenships,omitempty"`
	// Countries are other countries the list associates with the entity:
	// registration, location, vessel flag, the country heading of a listing.
	Countries []string `json:"countries,omitempty"`
	// Gender is "male", "female" or "".
	Gender string `json:"gender,omitempty"`
	// Titles holds titles and positions ("Minister of Defence").
	Titles []string `json:"titles,omitempty"`
	// Programs are the sanctions programs or regimes ("SDGT", "IRAN-EO13902").
	Programs []string `json:"programs,omitempty"`
	// ListedOn is the date of first listing, YYYY-MM-DD, when given.
	ListedOn  string     `json:"listed_on,omitempty"`
	Remarks   []string   `json:"remarks,omitempty"`
	Relations []Relation `json:"relations,omitempty"`
	// Attributes keeps list-specific facts that have no field of their own
	// (vessel type and tonnage, licence policy, Federal Register citation).
	Attributes map[string][]string `json:"attributes,omitempty"`
}

// PrimaryName returns the entity's display name: its first primary name, or
// its first name of any quality, or "".
func (e *Entity) PrimaryName() string {
	for _, n := range e.Names {
		if n.Quality == NamePrimary {
			return n.Full
		}
	}
	if len(e.Names) > 0 {
		return e.Names[0].Full
	}
	return ""
}

// AddAttribute appends value to the named attribute, ignoring empty values.
func (e *Entity) AddAttribute(key, value string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	if e.Attributes == nil {
		e.Attributes = map[string][]string{}
	}
	e.Attributes[key] = append(e.Attributes[key], value)
}

// Hash returns a hex SHA-256 of the entity's canonical JSON encoding. Two
// versions of an entity with the same hash are identical; diffs use it.
func (e *Entity) Hash() string {
	_, h := e.Encode()
	return h
}

// Encode returns the entity's canonical JSON encoding and its hex SHA-256,
// the value Hash returns, so that callers storing the JSON hash it once.
func (e *Entity) Encode() (data []byte, hash string) {
	b, err := json.Marshal(e)
	if err != nil {
		panic("interdict: entity not encodable: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

// EntityID joins a list identifier and a list's own record id into an entity
// ID of the form "<list>:<id>".
func EntityID(list, sourceID string) string {
	return list + ":" + sourceID
}

// SplitEntityID splits an entity ID into its list and the list's own id. It
// returns ok == false when id has no list prefix.
func SplitEntityID(id string) (list, sourceID string, ok bool) {
	list, sourceID, ok = strings.Cut(id, ":")
	if !ok || list == "" || sourceID == "" {
		return "", "", false
	}
	return list, sourceID, true
}
