package cli

import (
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/canada"
	"github.com/interdict/interdict/source/csl"
	"github.com/interdict/interdict/source/dfat"
	"github.com/interdict/interdict/source/dpl"
	"github.com/interdict/interdict/source/eu"
	"github.com/interdict/interdict/source/ftm"
	"github.com/interdict/interdict/source/ofac"
	"github.com/interdict/interdict/source/pakote"
	"github.com/interdict/interdict/source/uk"
	"github.com/interdict/interdict/source/ukflat"
	"github.com/interdict/interdict/source/un"
)

// formats returns every list format interdict reads, in detection order.
// Adding a list format is one line here.
func formats() []source.Format {
	var all []source.Format
	for _, fs := range [][]source.Format{
		ofac.Formats,
		un.Formats,
		eu.Formats,
		uk.Formats,
		csl.Formats,
		dpl.Formats,
		canada.Formats,
		dfat.Formats,
		ftm.Formats,
		pakote.Formats,
		ukflat.Formats,
	} {
		all = append(all, fs...)
	}
	return all
}
