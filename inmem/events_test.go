package inmem_test

import (
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/inmem"
	"github.com/interdict/interdict/internal/storetest"
)

func TestEvents(t *testing.T) {
	storetest.Events(t, func(t *testing.T) interdict.Events { return inmem.NewEvents() })
}

func TestJobStore(t *testing.T) {
	storetest.JobStore(t, func(t *testing.T) interdict.JobStore { return inmem.NewJobStore() })
}
