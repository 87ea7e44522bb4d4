package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/interdict/interdict"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// checkContentType returns a 415 problem unless the request's media type is
// one of want.
func checkContentType(r *http.Request, want ...string) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil {
		for _, w := range want {
			if strings.EqualFold(mt, w) {
				return nil
			}
		}
	}
	if ct == "" {
		ct = "none"
	}
	return problemf(http.StatusUnsupportedMediaType, "Content-Type must be %s (got %s).", strings.Join(want, " or "), ct)
}

// decodeJSON reads one JSON object from the request body into v: the body
// must be application/json, no larger than MaxBodyBytes, hold one value
// and no field that v does not have.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if err := checkContentType(r, "application/json"); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxBodyBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return s.jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return s.jsonProblem(err)
		}
		return newProblem(http.StatusBadRequest, "The body must hold exactly one JSON object; found more after it.")
	}
	return nil
}

// jsonProblem describes a JSON decoding error to the client without
// quoting the decoder's own message.
func (s *Server) jsonProblem(err error) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		te  *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return problemf(http.StatusRequestEntityTooLarge, "The body is larger than the limit of %d bytes.", mbe.Limit)
	case errors.Is(err, io.EOF):
		return newProblem(http.StatusBadRequest, "The body is empty; send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newProblem(http.StatusBadRequest, "The body is not valid JSON: it ends too early.")
	case errors.As(err, &se):
		return problemf(http.StatusBadRequest, "The body is not valid JSON (error at byte %d).", se.Offset)
	case errors.As(err, &te):
		if te.Field == "" {
			return problemf(http.StatusBadRequest, "The body must be a JSON object, not %s.", te.Value)
		}
		// A field of a query embedded in a request (ScreenRequest) is
		// named as the client wrote it, not by its Go path.
		return problemf(http.StatusBadRequest, "Field %q must be a %s, not %s.", strings.TrimPrefix(te.Field, "Query."), jsonTypeName(te.Type.Kind().String()), te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return problemf(http.StatusBadRequest, "Unknown field %s.", name)
	}
	return newProblem(http.StatusBadRequest, "The body is not valid JSON.")
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "map", "struct":
		return "object"
	}
	return "number"
}

// Limits on the fields of a query, in bytes.
const (
	maxNameLen    = 1000
	maxAddressLen = 2000
	maxShortLen   = 200
)

// limitQuery is the transport-level check of a query: every field valid
// UTF-8 and within its length limit, surrounding space trimmed. It returns
// a 422 problem listing every field over its limit. What the fields mean
// is checked by the screening service (interdict.Query.Check).
func limitQuery(q *interdict.Query) error {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	fields := []struct {
		name string
		v    *string
		max  int
	}{
		{"name", &q.Name, maxNameLen}, {"type", (*string)(&q.Kind), maxShortLen}, {"dob", &q.DOB, maxShortLen}, {"country", &q.Country, maxShortLen},
		{"id_number", &q.IDNumber, maxShortLen}, {"address", &q.Address, maxAddressLen}, {"id", &q.Ref, maxShortLen},
		{"gender", &q.Gender, maxShortLen},
	}
	for _, f := range fields {
		*f.v = strings.TrimSpace(*f.v)
		if !utf8.ValidString(*f.v) {
			add(f.name, "must be valid UTF-8")
		} else if len(*f.v) > f.max {
			add(f.name, "must be at most %d bytes", f.max)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	p := newProblem(http.StatusUnprocessableEntity, "")
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Field + " " + e.Message
	}
	p.Detail = "Invalid query: " + strings.Join(msgs, "; ") + "."
	p.Errors = errs
	return p
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// queryFromURL reads a screen request from URL parameters; unknown
// parameters are a 400 problem.
func queryFromURL(v url.Values) (ScreenRequest, error) {
	var req ScreenRequest
	q := &req.Query
	for k, vals := range v {
		if len(vals) > 1 {
			return req, problemf(http.StatusBadRequest, "Parameter %q is given %d times; give it once.", truncate(k, 40), len(vals))
		}
		var dst *string
		switch k {
		case "name":
			dst = &q.Name
		case "type":
			dst = (*string)(&q.Kind)
		case "dob":
			dst = &q.DOB
		case "country":
			dst = &q.Country
		case "id_number":
			dst = &q.IDNumber
		case "address":
			dst = &q.Address
		case "gender":
			dst = &q.Gender
		case "id":
			dst = &q.Ref
		case "strict":
			b, err := strconv.ParseBool(vals[0])
			if err != nil {
				return req, problemf(http.StatusBadRequest, "Parameter \"strict\" must be true or false, not %q.", truncate(vals[0], 20))
			}
			req.Strict = b
			continue
		default:
			return req, problemf(http.StatusBadRequest, "Unknown parameter %q; use name, type, dob, country, id_number, address, gender, id or strict.", truncate(k, 40))
		}
		*dst = vals[0]
	}
	return req, nil
}

// intParam reads an optional positive integer parameter; 0 when absent.
func intParam(v url.Values, name string) (int, error) {
	s := v.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, problemf(http.StatusBadRequest, "Parameter %q must be a version number (1, 2, ...), not %q.", name, truncate(s, 20))
	}
	return n, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
