package interdict_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/interdict/interdict"
)

func TestOpError(t *testing.T) {
	cause := fs.ErrPermission
	err := interdict.OpError("sqlite.CreateJob", cause)
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("errors.Is(%v, fs.ErrPermission) = false", err)
	}
	if got := interdict.ErrorCode(err); got != interdict.EINTERNAL {
		t.Errorf("ErrorCode = %q, want internal", got)
	}
	if got := interdict.ErrorMessage(err); got != "Internal error." {
		t.Errorf("ErrorMessage = %q", got)
	}
	if !strings.Contains(err.Error(), "sqlite.CreateJob") || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("Error() = %q, want the operation and the cause", err.Error())
	}
	// An operation error over an application error keeps its code and message.
	nf := interdict.OpError("sqlite.FindJob", interdict.Errorf(interdict.ENOTFOUND, "No job %s.", "x"))
	if interdict.ErrorCode(nf) != interdict.ENOTFOUND || interdict.ErrorMessage(nf) != "No job x." {
		t.Errorf("code %q message %q, want not_found and the cause's message", interdict.ErrorCode(nf), interdict.ErrorMessage(nf))
	}
	if interdict.OpError("x", nil) != nil {
		t.Error("OpError(op, nil) is not nil")
	}
	if interdict.ErrorCode(nil) != "" || interdict.ErrorMessage(nil) != "" {
		t.Error("nil error has a code or message")
	}
}
