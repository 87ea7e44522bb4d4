package cli

import (
	"github.com/interdict/interdict/source"
)

// formats returns every list format interdict reads, in detection order.
// Adding a list format is one line here.
func formats() []source.Format {
	var all []source.Format
	for _, fs := range [][]source.Format{} {
		all = append(all, fs...)
	}
	return all
}
