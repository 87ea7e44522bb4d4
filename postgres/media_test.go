package postgres_test

import (
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/storetest"
	"github.com/interdict/interdict/postgres"
)

func TestMediaStoreContract(t *testing.T) {
	storetest.Media(t, func(t *testing.T) interdict.MediaStore { return postgres.NewMediaStore(MustOpenDB(t)) })
}
