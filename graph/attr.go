package graph

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/interdict/interdict"
)

// normText folds s for comparison: compatibility-decomposed, marks dropped,
// upper case, every run of non-alphanumerics one space.
func normText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToUpper(r))
		default:
			space = true
		}
	}
	return b.String()
}

// addressKey is the comparable form of an address, or "" for an address
// too vague to link anything (a city or a country alone).
func addressKey(a interdict.Address) string {
	var s string
	switch {
	case a.Street != "":
		s = strings.Join([]string{a.Street, a.City, a.PostalCode, a.Country}, " ")
	case a.Full != "" && strings.ContainsAny(a.Full, "0123456789") && strings.Count(a.Full, ",") >= 1:
		s = a.Full
	default:
		return ""
	}
	k := normText(s)
	if len(k) < 10 {
		return ""
	}
	return k
}

// phoneKey keeps a phone number's digits; numbers of fewer than 7 digits
// are not specific enough.
func phoneKey(s string) string {
	d := digits(s)
	if len(d) < 7 {
		return ""
	}
	// The same number with and without its country code: compare the last
	// nine digits.
	if len(d) > 9 {
		d = d[len(d)-9:]
	}
	return d
}

func emailKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if !strings.Contains(s, "@") || len(s) < 6 {
		return ""
	}
	return s
}

// imoKey is an IMO number's seven digits, or "".
func imoKey(s string) string {
	d := digits(s)
	if len(d) != 7 {
		return ""
	}
	return d
}

// idKey is an identifier's letters and digits in upper case; identifiers of
// fewer than 5 characters are not specific enough.
func idKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	if b.Len() < 5 {
		return ""
	}
	return b.String()
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
