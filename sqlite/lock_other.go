//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package sqlite

import "context"

// lockFile does nothing where flock(2) is missing: the migration's own
// transactions and the busy timeout are the only guard there.
func lockFile(ctx context.Context, dsn string) (func(), error) {
	return func() {}, nil
}
