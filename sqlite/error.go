package sqlite

import "github.com/interdict/interdict"

// wrap turns *err, unless it is nil or already an application error with a
// code, into an *interdict.Error naming the operation op.
func wrap(err *error, op string) {
	if *err == nil {
		return
	}
	if c := interdict.ErrorCode(*err); c != interdict.EINTERNAL {
		return
	}
	*err = interdict.OpError(op, *err)
}
