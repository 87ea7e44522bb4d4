package interdict

import (
	"errors"
	"fmt"
)

// Application error codes. They are mapped to CLI exit codes and HTTP statuses
// at the edges; every other error is reported as "Internal error."
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EUNAVAILABLE  = "unavailable"
	EINTERNAL     = "internal"
)

// Error is an application error. Message is written for the end user; Op
// names the operation that failed ("sqlite.CreateJob") and Err is its cause,
// for logs and for errors.Is and errors.As. A store wraps every failure of
// its database in an Error with Op and Err set; such an error with no Code
// and no Message takes the code and message of its cause (EINTERNAL and
// "Internal error." for a cause that is not an *Error).
type Error struct {
	Code    string
	Message string
	Op      string
	Err     error
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := "interdict error:"
	if e.Op != "" {
		s += " op=" + e.Op
	}
	if e.Code != "" {
		s += " code=" + e.Code
	}
	if e.Message != "" {
		s += " message=" + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// OpError returns an *Error naming the operation op that failed with err,
// or nil when err is nil. Its code and message are err's (see Error).
func OpError(op string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Op: op, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain that has
// one, EINTERNAL for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	for {
		var e *Error
		if !errors.As(err, &e) {
			return EINTERNAL
		}
		if e.Code != "" {
			return e.Code
		}
		if e.Err == nil {
			return EINTERNAL
		}
		err = e.Err
	}
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain that has a code, "Internal error." for any other non-nil error, and
// "" for nil.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	for {
		var e *Error
		if !errors.As(err, &e) {
			return "Internal error."
		}
		if e.Code != "" {
			if e.Message == "" && e.Code == EINTERNAL {
				return "Internal error."
			}
			return e.Message
		}
		if e.Err == nil {
			return "Internal error."
		}
		err = e.Err
	}
}
