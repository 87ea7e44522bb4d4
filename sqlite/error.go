package sqlite

import "github.com/interdict/interdict/sqlstore"

// wrap turns *err, unless it is nil or already an application error with a
// code, into an *interdict.Error naming the operation op (sqlstore.Wrap).
func wrap(err *error, op string) { sqlstore.Wrap(err, op) }
