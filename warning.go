package interdict

import "encoding/json"

// Warning is a field of a query or of an input row that could not be read, or
// was read only in part. A warning never stops screening: the row is screened
// on its name and every field that could be read.
type Warning struct {
	// Field is the query field ("dob", "country", "type", ...) or, for a
	// batch, the input column it came from.
	Field string `json:"field"`
	// Value is the raw value as given, cut to a readable length.
	Value string `json:"value,omitempty"`
	// Message says why the value was not (or not wholly) used.
	Message string `json:"message"`
}

// DateOrder says how to read an ambiguous numeric date such as 03/04/1970.
type DateOrder string

// Date orders. DateOrderAuto reads an ambiguous date as the interval covering
// both readings.
const (
	DateOrderAuto DateOrder = ""
	DateOrderDMY  DateOrder = "dmy"
	DateOrderMDY  DateOrder = "mdy"
	DateOrderYMD  DateOrder = "ymd"
)

// CheckOptions tune Query.Check.
type CheckOptions struct {
	// DateOrder reads ambiguous numeric dates; "" means both readings.
	DateOrder DateOrder
	// Country resolves a country code or name to an ISO 3166-1 alpha-2 code;
	// nil keeps the value as given. (The root package imports no country
	// tables; the screening service passes country.Resolve.)
	Country func(string) (string, bool)
	// Strict makes an unreadable secondary field an EINVALID error instead
	// of a warning.
	Strict bool
}

// Warnings is a list of warnings that is written to JSON as an array, empty
// when there are none, never null.
type Warnings []Warning

// MarshalJSON implements json.Marshaler.
func (w Warnings) MarshalJSON() ([]byte, error) {
	if w == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]Warning(w))
}
