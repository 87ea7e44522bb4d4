package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/interdict/interdict"
)

// errorStatus maps application error codes to HTTP statuses. Codes that
// only the HTTP layer raises (a body too large, a wrong content type, too
// many requests) are written with their status directly (see Problem).
var errorStatus = map[string]int{
	interdict.EINVALID:      http.StatusUnprocessableEntity,
	interdict.ENOTFOUND:     http.StatusNotFound,
	interdict.ECONFLICT:     http.StatusConflict,
	interdict.EUNAUTHORIZED: http.StatusUnauthorized,
	interdict.EFORBIDDEN:    http.StatusForbidden,
	interdict.EUNAVAILABLE:  http.StatusServiceUnavailable,
	interdict.EINTERNAL:     http.StatusInternalServerError,
}

// ErrorStatus returns the HTTP status for an error's application code:
// 422 for EINVALID, 404 for ENOTFOUND, 409 for ECONFLICT, 401 for
// EUNAUTHORIZED, 403 for EFORBIDDEN, 503 for EUNAVAILABLE and 500 for any
// other error.
func ErrorStatus(err error) int {
	if s, ok := errorStatus[interdict.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem details object. Type is a URI reference
// naming the problem ("about:blank" when the status says it all); Title is
// the short, fixed summary of that type; Detail is written for the end user
// and never holds internal error text.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	// RequestID repeats the X-Request-ID of the request, to quote to support.
	RequestID string `json:"request_id,omitempty"`
	// Errors lists the invalid fields of a request, when there are several.
	Errors []FieldError `json:"errors,omitempty"`
}

// FieldError is one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error implements error so that handlers can return a *Problem.
func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// newProblem returns a problem with the given status and user-facing detail.
func newProblem(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// problemf returns a problem with a formatted detail.
func problemf(status int, format string, args ...any) *Problem {
	return newProblem(status, fmt.Sprintf(format, args...))
}

// toProblem turns any error into a problem: a *Problem as it is, an
// *interdict.Error by its code and message, anything else as a 500 with
// the fixed message "Internal error.".
func toProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	status := ErrorStatus(err)
	return newProblem(status, interdict.ErrorMessage(err))
}

// writeError writes err as problem+json and logs it: internal errors at
// error level with their full text, client errors at debug level.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := *toProblem(err)
	p.Instance = r.URL.Path
	p.RequestID = requestID(r.Context())
	if p.Status >= 500 {
		s.logger(r).Error("request failed", "status", p.Status, "err", err.Error())
	} else {
		s.logger(r).Debug("request refused", "status", p.Status, "detail", p.Detail)
	}
	writeProblem(w, &p)
}

func writeProblem(w http.ResponseWriter, p *Problem) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Del("Content-Length")
	if p.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="interdict"`)
	}
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// logger returns the request's logger, carrying its ID.
func (s *Server) logger(r *http.Request) *slog.Logger {
	return s.Logger.With("request_id", requestID(r.Context()))
}
