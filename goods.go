package interdict

// Goods and export control: the entries of the control lists (EU Dual-Use
// Regulation 2021/821 Annex I, the US Commerce Control List), the line items
// an exporter screens against them, and the classification of one line.
// See docs/DOMAIN.md section 5.

// Control-list identifiers used in ControlEntry.Lists.
const (
	// ListEUAnnexI is Annex I of Regulation (EU) 2021/821 (dual-use items).
	ListEUAnnexI = "eu-annex-i"
	// ListUSCCL is the Commerce Control List, Supp. No. 1 to 15 CFR Part 774.
	ListUSCCL = "us-ccl"
)

// ControlReason is one reason for control of an entry and the column of the
// Commerce Country Chart (Supp. No. 1 to 15 CFR Part 738) it points to.
type ControlReason struct {
	// Reason is the code the list writes: NS, MT, NP, CB, RS, CC, AT, EI,
	// FC, UN, SL, CW ...
	Reason string `json:"reason"`
	// Column is the country-chart column ("NS1", "NP1"), or "" when the
	// reason has no column (EI refers to 15 CFR 742.15).
	Column string `json:"column,omitempty"`
	// Scope is the list's own words for the part of the entry the reason
	// covers ("applies to entire entry").
	Scope string `json:"scope,omitempty"`
}

// ControlParameter is a technical threshold that decides whether an item
// falls under an entry: Name Op Value Unit, such as "frequency >= 600 Hz".
type ControlParameter struct {
	// Name is the quantity ("power", "frequency", "volume").
	Name string `json:"name"`
	// Op is one of ">=", ">", "<=", "<", "in" (a material or property from
	// Allowed), or "stated" (the fact must be stated; it has no number).
	Op string `json:"op"`
	// Value is the threshold in Unit; zero for "in" and "stated".
	Value float64 `json:"value,omitempty"`
	// Max is the upper bound of a range ("volume between 0.1 and 20 m3").
	Max float64 `json:"max,omitempty"`
	// Unit is the SI unit the threshold is written in ("Hz", "Pa", "m3").
	Unit string `json:"unit,omitempty"`
	// Allowed lists the materials or properties that meet an "in" parameter.
	Allowed []string `json:"allowed,omitempty"`
	// Text is the entry's own wording of the parameter.
	Text string `json:"text"`
}

// ControlEntry is one entry, or one sub-item, of a control list, with its
// code written as the list writes it: "2B350", "2B350.i", "3A001.a.1",
// "0B001".
type ControlEntry struct {
	Code string `json:"code"`
	// Parent is the code of the enclosing entry for a sub-item, "" for an
	// entry.
	Parent string `json:"parent,omitempty"`
	// Lists holds the lists that carry the code (ListEUAnnexI, ListUSCCL).
	Lists []string `json:"lists"`
	// Regime is the multilateral regime the numbering points to: Wassenaar,
	// MTCR, NSG, NSG Trigger List, Australia Group, CWC, US unilateral (see
	// docs/DOMAIN.md 5.1).
	Regime string `json:"regime"`
	// Heading is the entry's heading as published.
	Heading string `json:"heading"`
	// Text is the item text of the entry or sub-item as published.
	Text string `json:"text,omitempty"`
	// Reasons are the reasons for control (US CCL); empty for entries only
	// on the EU list.
	Reasons []ControlReason `json:"reasons,omitempty"`
	// Parameters are the thresholds that decide control, when known.
	Parameters []ControlParameter `json:"parameters,omitempty"`
}

// LineItem is one line of an order or invoice to classify.
type LineItem struct {
	// Ref is the caller's line or row id, echoed back.
	Ref string `json:"id,omitempty"`
	// Description is the goods description as written on the document.
	Description string `json:"description"`
	// HSCode is a tariff code: HS-6, CN-8, TARIC or HTS-10, with or
	// without dots.
	HSCode   string `json:"hs,omitempty"`
	Quantity string `json:"quantity,omitempty"`
	Value    string `json:"value,omitempty"`
	// Destination is the destination country as an ISO 3166-1 code or a
	// name.
	Destination string `json:"destination,omitempty"`
	// Address is the free-text delivery address; it is searched for
	// sanctioned regions (Crimea, Donetsk, Luhansk, Zaporizhzhia, Kherson).
	Address string `json:"address,omitempty"`
	// EndUser is the end user's name; it goes through party screening.
	EndUser string `json:"end_user,omitempty"`
	// EndUse is the stated end use, if any.
	EndUse string `json:"end_use,omitempty"`
}

// GoodsQuery is a batch of line items, such as one order or invoice.
type GoodsQuery struct {
	Items []LineItem `json:"items"`
}

// Verdict is the outcome of classifying one line item.
type Verdict string

// Verdicts, from most to least severe.
const (
	// VerdictListed: the text states every parameter that decides an entry
	// and each is met.
	VerdictListed Verdict = "listed"
	// VerdictCandidate: the item may fall under an entry; the candidate
	// names the parameters still needed.
	VerdictCandidate Verdict = "candidate"
	// VerdictNotListed: no entry applies on the evidence of the text and
	// tariff code (EAR99 if the item is subject to the EAR).
	VerdictNotListed Verdict = "not-listed"
)

// ParameterCheck compares one parameter stated in the description with an
// entry's threshold.
type ParameterCheck struct {
	Name string `json:"name"`
	// Stated is the value as found in the description ("40 kW").
	Stated string `json:"stated"`
	// Threshold is the entry's wording of the threshold.
	Threshold string `json:"threshold"`
	Met       bool   `json:"met"`
}

// Candidate is one control entry a line item may fall under, with the
// evidence of each signal.
type Candidate struct {
	// Entry is the code as the list writes it ("2B350.i").
	Entry  string `json:"entry"`
	Regime string `json:"regime"`
	// Lists holds the lists that carry the entry.
	Lists []string `json:"lists,omitempty"`
	// Score is in [0, 1]; candidates are sorted by it, highest first.
	Score float64 `json:"score"`
	// Status is "listed" (every parameter stated and met), "candidate" or
	// "excluded" (a stated parameter rules the entry out; kept so the
	// analyst sees why).
	Status string `json:"status"`
	// MatchedTerms are the description's terms found in the entry text
	// (text signal), written "description term ≈ entry term" for synonyms.
	MatchedTerms []string `json:"matched_terms"`
	// Tariff is the tariff-code evidence for this entry, if any (code
	// signal): "HS 8413.70 → 2B350.i".
	Tariff string `json:"tariff,omitempty"`
	// MissingParameters are the parameters that decide control but that the
	// description does not state.
	MissingParameters []string `json:"missing_parameters"`
	// Parameters are the stated parameters compared with the thresholds.
	Parameters []ParameterCheck `json:"parameters,omitempty"`
	// Heading and Text are the entry heading and the item text the
	// candidate rests on.
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text"`
	// Reasons are the entry's reasons for control.
	Reasons []ControlReason `json:"reasons,omitempty"`
}

// TariffSignal is what the tariff code says about a line: its HS
// description, its Common High Priority List tier, and the entries it relates
// to. A tariff code raises candidates; it never decides.
type TariffSignal struct {
	// HSCode is the code as given; HS6 its first six digits.
	HSCode      string `json:"hs"`
	HS6         string `json:"hs6,omitempty"`
	Description string `json:"description,omitempty"`
	// CHPLTier is the tier of the G7 Common High Priority List ("1", "2",
	// "3.A", "3.B", "4.A", "4.B"), "" when the code is not on it.
	CHPLTier string `json:"chpl_tier,omitempty"`
	CHPLNote string `json:"chpl_note,omitempty"`
	// Related are entries the code points to (many-to-many, "ex" codes).
	Related []string `json:"related,omitempty"`
}

// Measure is one restrictive measure that applies to a destination.
type Measure struct {
	// Authority is "EU", "US", "UN" or "UK".
	Authority string `json:"authority"`
	// Kind is "comprehensive-embargo", "dual-use-ban", "sectoral",
	// "arms-embargo" or "regional-embargo".
	Kind    string `json:"kind"`
	Summary string `json:"summary"`
	// LegalBasis cites the instrument ("Council Regulation (EU) No 833/2014,
	// Art. 2").
	LegalBasis string `json:"legal_basis"`
	// Applies says whether the measure bites on this line: "all goods",
	// "listed goods", "military goods", and so on.
	Applies string `json:"applies,omitempty"`
}

// LicenceRequirement is the Commerce Country Chart result for one reason for
// control of a candidate entry and the destination.
type LicenceRequirement struct {
	Entry  string `json:"entry"`
	Reason string `json:"reason"`
	Column string `json:"column,omitempty"`
	// Required is true when the chart has an X at (destination, column).
	Required bool   `json:"required"`
	Basis    string `json:"basis"`
}

// DestinationCheck is the destination section of a classification.
type DestinationCheck struct {
	// Country is the ISO 3166-1 alpha-2 code; Name its English name.
	Country string `json:"country,omitempty"`
	Name    string `json:"name,omitempty"`
	// Region is a sanctioned region found in the address or destination
	// text ("Crimea").
	Region   string    `json:"region,omitempty"`
	Measures []Measure `json:"measures,omitempty"`
	// Licence is the per-entry licence summary from the country chart.
	Licence []LicenceRequirement `json:"licence,omitempty"`
	// Attention is true when a measure or licence requirement applies.
	Attention bool     `json:"attention"`
	Notes     []string `json:"notes,omitempty"`
}

// EndUserCheck is the end-user section of a classification: the party
// screening of the end user's name.
type EndUserCheck struct {
	Name string `json:"name"`
	// Screened is false when no party screener is configured.
	Screened bool `json:"screened"`
	// Attention is true when a hit reached the alert threshold.
	Attention bool   `json:"attention"`
	Hits      []Hit  `json:"hits,omitempty"`
	Note      string `json:"note,omitempty"`
}

// GoodsDecision is what an exporter may do with one line: the answer that
// combines the end user, the destination and the goods.
type GoodsDecision string

// Decisions, from most to least severe. Decide which one a line gets with
// the first rule that applies, most severe first.
const (
	// DecisionProhibited: the end user is on a sanctions list (asset
	// freeze, denial order), the destination is under a comprehensive or
	// regional embargo, or the goods fall under a ban for the destination.
	DecisionProhibited GoodsDecision = "prohibited"
	// DecisionLicenceRequired: the goods are listed (export authorisation,
	// EU Reg. 2021/821 Art. 3; or an X in the Commerce Country Chart), the
	// end user is on a licence-requirement list (BIS Entity List), or the
	// stated end use is a catch-all case.
	DecisionLicenceRequired GoodsDecision = "licence-required"
	// DecisionReview: the goods may be listed and the parameters that
	// decide are missing, the destination restricts such goods, or the end
	// user could not be screened.
	DecisionReview GoodsDecision = "review"
	// DecisionNoLicenceRequired: no entry, destination rule or end-user
	// listing applies on the evidence given.
	DecisionNoLicenceRequired GoodsDecision = "no-licence-required"
)

// Severity orders decisions: 3 for prohibited down to 0 for
// no-licence-required, -1 for an unknown value.
func (d GoodsDecision) Severity() int {
	switch d {
	case DecisionProhibited:
		return 3
	case DecisionLicenceRequired:
		return 2
	case DecisionReview:
		return 1
	case DecisionNoLicenceRequired:
		return 0
	}
	return -1
}

// Sources of a DecisionReason.
const (
	ReasonEndUser     = "end-user"    // the end user's listing or screening
	ReasonDestination = "destination" // a destination measure or the country chart
	ReasonEndUse      = "end-use"     // the stated end use (catch-all)
	ReasonEntry       = "entry"       // a control entry the goods fall or may fall under
	ReasonGoods       = "goods"       // the goods match no entry
)

// DecisionReason is one ground of a line's decision, naming its source: the
// end user's listing (EntityID, List, Score), the destination rule
// (Authority, Measure, LegalBasis) or the control entry (Entry, Missing).
type DecisionReason struct {
	// Source is ReasonEndUser, ReasonDestination, ReasonEndUse, ReasonEntry
	// or ReasonGoods.
	Source string `json:"source"`
	// Decision is what this reason alone calls for.
	Decision GoodsDecision `json:"decision"`
	// Text states the reason in one sentence.
	Text string `json:"text"`
	// EntityID, List and Score identify the end user's listing; Score is
	// in [0, 1].
	EntityID string  `json:"entity_id,omitempty"`
	List     string  `json:"list,omitempty"`
	Score    float64 `json:"score,omitempty"`
	// Country, Region, Authority, Measure (a Measure.Kind) and LegalBasis
	// identify the destination rule.
	Country    string `json:"country,omitempty"`
	Region     string `json:"region,omitempty"`
	Authority  string `json:"authority,omitempty"`
	Measure    string `json:"measure,omitempty"`
	LegalBasis string `json:"legal_basis,omitempty"`
	// Entry is the control entry; Missing the parameters still needed to
	// decide it.
	Entry   string   `json:"entry,omitempty"`
	Missing []string `json:"missing_parameters,omitempty"`
}

// Classification is the result of classifying one line item.
type Classification struct {
	// Decision is the one answer for the line; Reasons its grounds, most
	// severe first. The sections below are the evidence.
	Decision GoodsDecision    `json:"decision"`
	Reasons  []DecisionReason `json:"reasons"`
	Verdict  Verdict          `json:"verdict"`
	// Basis states in one sentence what the verdict rests on, citing the
	// entry text.
	Basis string `json:"basis"`
	// Candidates are sorted by score, highest first; excluded candidates
	// come last.
	Candidates  []Candidate       `json:"candidates"`
	Tariff      *TariffSignal     `json:"tariff,omitempty"`
	Destination *DestinationCheck `json:"destination,omitempty"`
	EndUser     *EndUserCheck     `json:"end_user,omitempty"`
	Item        LineItem          `json:"item"`
	// Attention is true when the verdict is listed or the destination or
	// end user needs attention.
	Attention bool `json:"attention"`
}
