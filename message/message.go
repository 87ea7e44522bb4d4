package message

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Syntax is the family of formats a message is written in.
type Syntax string

// The syntaxes Parse reads.
const (
	ISO20022 Syntax = "iso20022" // ISO 20022 XML, with or without the business application header
	SwiftMT  Syntax = "swift-mt" // SWIFT FIN (MT) blocks {1:}{2:}{3:}{4:}{5:}, one or many per file
	Fedwire  Syntax = "fedwire"  // Fedwire Funds tagged text ({1500}...)
	DCSA     Syntax = "dcsa-ebl" // DCSA electronic bill of lading 3.0 (shipping instructions or transport document JSON)
)

// Limits on input. A message or file beyond them is refused with an
// error, never cut.
const (
	// MaxMessageBytes bounds one message (an MT message, an XML or JSON
	// document, a Fedwire message).
	MaxMessageBytes = 1 << 20
	// MaxFileBytes bounds a file of many messages.
	MaxFileBytes = 64 << 20
	// MaxFields bounds the values read from one message.
	MaxFields = 10_000
	// maxDepth bounds the nesting of XML elements and JSON values.
	maxDepth = 64
)

// Value is one value of a message and the path of the field it was read
// from.
type Value struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// IsZero reports whether v holds no value.
func (v Value) IsZero() bool { return v.Value == "" }

// Party is one party or financial institution a message names.
type Party struct {
	// Role is the party's role in ISO 20022 terms for payments (Dbtr,
	// Cdtr, UltmtDbtr, UltmtCdtr, InitgPty, DbtrAgt, CdtrAgt, IntrmyAgt1,
	// InstgAgt, InstdAgt, DbtrAcct, ...), whatever the format, so that an
	// MT103 and its pacs.008 translation give the same roles; for bills of
	// lading the DCSA party function (shipper, consignee, notifyParty,
	// carrier, issuingParty, ...).
	Role string `json:"role"`
	// Path is the field the party is written in: "CdtTrfTxInf[0]/Dbtr",
	// ":50K:", "{5000}", "documentParties/shipper".
	Path string `json:"path"`
	// Agent is set for a financial institution (an ISO 20022 agent, an MT
	// option A or institution field, a Fedwire FI tag).
	Agent bool `json:"agent,omitempty"`
	// Person is set when the message says the party is a natural person
	// (DCSA typeOfPerson NATURAL_PERSON, a date of birth); Organization
	// when it says a legal person. Neither is set when it does not say.
	Person       bool `json:"person,omitempty"`
	Organization bool `json:"organization,omitempty"`
	// Name is the party's name; the first line of an MT option D or K
	// field, line 1/ of option F.
	Name Value `json:"name,omitzero"`
	// BIC is the party's BIC (BICFI, AnyBIC, an MT option A).
	BIC Value `json:"bic,omitzero"`
	// LEI is the party's legal entity identifier.
	LEI Value `json:"lei,omitzero"`
	// Account is the party's account: an IBAN, another account number, or
	// the party identifier line of an MT field.
	Account Value `json:"account,omitzero"`
	// Address is the postal address on one line.
	Address Value `json:"address,omitzero"`
	// Country is the ISO 3166-1 alpha-2 code of the address or residence
	// (PstlAdr/Ctry, CtryOfRes, MT 50F/59F line 3/CC/).
	Country Value `json:"country,omitzero"`
	// IDs are other identifiers of the party (OrgId/Othr/Id, DCSA
	// identifyingCodes, MT 50F national ID lines).
	IDs []Value `json:"ids,omitempty"`
	// DOB is a date of birth when the message gives one.
	DOB Value `json:"dob,omitzero"`
}

// Text is one free-text field: remittance information (RmtInf/Ustrd,
// :70:), instructions (InstrForCdtrAgt, :72:), narratives (:79:).
type Text struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// Vessel is a vessel named in a trade document.
type Vessel struct {
	Path string `json:"path"`
	Name Value  `json:"name,omitzero"`
	IMO  Value  `json:"imo,omitzero"`
}

// Place is a port or place a message names, or a country outside any
// party (a routing country, a regulatory reporting country).
type Place struct {
	// Role is the field's name: portOfLoading, placeOfDelivery,
	// routingOfConsignmentCountries, RgltryRptg, ...
	Role string `json:"role"`
	Path string `json:"path"`
	// Name is the place name as written.
	Name Value `json:"name,omitzero"`
	// LOCODE is the UN/LOCODE of a port or place (NLRTM).
	LOCODE Value `json:"locode,omitzero"`
	// Country is an ISO 3166-1 alpha-2 code.
	Country Value `json:"country,omitzero"`
}

// Goods is one goods description of a trade document, with its tariff
// codes.
type Goods struct {
	Path        string   `json:"path"`
	Description string   `json:"description"`
	HSCodes     []string `json:"hs_codes,omitempty"`
}

// Message is one message as read: its identity and every screenable field.
type Message struct {
	// ID identifies the message: the group header MsgId (or the business
	// message identifier, or the UETR) for ISO 20022, the UETR {121:} or
	// else the sender's reference :20: for MT, the IMAD {1520} for
	// Fedwire, the transport document or shipping instructions reference
	// for a bill of lading. It may be empty when a message carries none.
	ID string `json:"message_id"`
	// Syntax is the family of the format.
	Syntax Syntax `json:"syntax"`
	// Format names the message type: "pacs.008.001.08", "MT103",
	// "MT202COV", "fedwire CTR", "dcsa-ebl".
	Format string `json:"format"`
	// Cover is set for a cover payment (pacs.009 with
	// UndrlygCstmrCdtTrf, MT202/205 COV, Fedwire COVS).
	Cover bool `json:"cover,omitempty"`
	// Source says where the message was read: the file name and, for a
	// file of many, the message's position ("batch.rje#3").
	Source  string   `json:"source,omitempty"`
	Parties []Party  `json:"parties"`
	Texts   []Text   `json:"texts,omitempty"`
	Vessels []Vessel `json:"vessels,omitempty"`
	Places  []Place  `json:"places,omitempty"`
	Goods   []Goods  `json:"goods,omitempty"`
}

// Party returns the first party with role, or nil.
func (m *Message) Party(role string) *Party {
	for i := range m.Parties {
		if m.Parties[i].Role == role {
			return &m.Parties[i]
		}
	}
	return nil
}

// fields counts the values of m, for MaxFields.
func (m *Message) fields() int {
	return len(m.Parties)*4 + len(m.Texts) + len(m.Vessels) + len(m.Places) + len(m.Goods)
}

// ParseError is a message that could not be read: it names the source,
// the message, the line (for text formats) or element path (for XML and
// JSON) and the field.
type ParseError struct {
	// Source is the file or stream name.
	Source string
	// Index is the 1-based position of the message in a file of many; 0
	// when unknown.
	Index int
	// Syntax is the format family the input was read as, if detected.
	Syntax Syntax
	// Line is the 1-based line, when known.
	Line int
	// Path is the element or field path ("CdtTrfTxInf[0]/Dbtr", "{4200}",
	// "block 4").
	Path string
	Err  error
}

// Error implements error: "pay.fin: message 2: swift-mt: line 14: field
// :59F:: line 3 ...".
func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source)
		b.WriteString(": ")
	}
	if e.Index > 0 {
		fmt.Fprintf(&b, "message %d: ", e.Index)
	}
	if e.Syntax != "" {
		b.WriteString(string(e.Syntax))
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Path != "" {
		fmt.Fprintf(&b, "field %s: ", e.Path)
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// ErrUnknownFormat is returned (wrapped in a ParseError) for input that is
// none of the syntaxes Parse reads.
var ErrUnknownFormat = errors.New("not a message format interdict reads (ISO 20022 XML, SWIFT MT, Fedwire tags or a DCSA bill of lading)")

// Detect returns the syntax of data from its first bytes.
func Detect(data []byte) (Syntax, error) {
	d := trimStart(data)
	switch {
	case bytes.HasPrefix(d, []byte("<")):
		return ISO20022, nil
	case bytes.HasPrefix(d, []byte("{1:")):
		return SwiftMT, nil
	case len(d) >= 6 && d[0] == '{' && isDigits(d[1:5]) && d[5] == '}':
		return Fedwire, nil
	case bytes.HasPrefix(d, []byte("{")) || bytes.HasPrefix(d, []byte("[")):
		// JSON: a DCSA bill of lading, or the moov-io/wire JSON
		// rendering of a Fedwire message (read as Fedwire).
		return DCSA, nil
	}
	return "", ErrUnknownFormat
}

// trimStart drops a UTF-8 byte order mark, white space and RJE '$'
// separators.
func trimStart(d []byte) []byte {
	d = bytes.TrimPrefix(d, []byte("\xef\xbb\xbf"))
	return bytes.TrimLeft(d, " \t\r\n$")
}

func isDigits[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Parse reads every message in data, a file or request body named source.
// The syntax is detected (Detect). A file may hold many messages: MT
// messages one after another or separated by RJE '$', Fedwire messages
// each starting with {1500}, several ISO 20022 Documents in one XML root,
// a JSON array of bills of lading. Any message that cannot be read fails
// the whole input with a *ParseError naming the message, line or element,
// and field; nothing is skipped silently (MT acknowledgments, service
// messages with no payment, are not messages to screen and are left out).
func Parse(source string, data []byte) ([]*Message, error) {
	if len(data) > MaxFileBytes {
		return nil, &ParseError{Source: source, Err: fmt.Errorf("input of %d bytes is larger than the limit of %d", len(data), MaxFileBytes)}
	}
	syn, err := Detect(data)
	if err != nil {
		return nil, &ParseError{Source: source, Err: err}
	}
	var msgs []*Message
	switch syn {
	case ISO20022:
		msgs, err = parseISO(data)
	case SwiftMT:
		msgs, err = parseMT(data)
	case Fedwire:
		msgs, err = parseFedwire(data)
	case DCSA:
		msgs, err = parseDCSA(data)
	}
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.Source, pe.Syntax = source, syn
			return nil, pe
		}
		return nil, &ParseError{Source: source, Syntax: syn, Err: err}
	}
	if len(msgs) == 0 {
		return nil, &ParseError{Source: source, Syntax: syn, Err: errors.New("no message found")}
	}
	for i, m := range msgs {
		if m.Syntax == "" {
			m.Syntax = syn
		}
		m.Source = source
		if len(msgs) > 1 {
			m.Source = fmt.Sprintf("%s#%d", source, i+1)
		}
		if m.fields() > MaxFields {
			return nil, &ParseError{Source: source, Index: i + 1, Syntax: syn, Err: fmt.Errorf("more than %d fields", MaxFields)}
		}
	}
	return msgs, nil
}

// joinNonEmpty joins the non-empty strings with sep.
func joinNonEmpty(sep string, ss ...string) string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

// countryCode returns s upper-cased when it is two ASCII letters.
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) != 2 {
		return ""
	}
	u := strings.ToUpper(s)
	if u[0] < 'A' || u[0] > 'Z' || u[1] < 'A' || u[1] > 'Z' {
		return ""
	}
	return u
}
