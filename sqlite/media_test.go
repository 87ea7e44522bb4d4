package sqlite_test

import (
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/storetest"
	"github.com/interdict/interdict/sqlite"
)

func TestMediaStoreContract(t *testing.T) {
	storetest.Media(t, func(t *testing.T) interdict.MediaStore { return sqlite.NewMediaStore(MustOpenDB(t)) })
}
