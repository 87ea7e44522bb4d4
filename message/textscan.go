package message

import (
	"context"
	"fmt"
	"sort"

	"github.com/interdict/interdict/scan"
)

// DocScanner scans free-text fields (remittance information, :70:, :72:,
// instructions, shipping marks) with the document scanner of package
// scan: an automaton over every listed name finds the spans that may name
// a listed party, and each is verified by the screener. A party mention
// holds the message when it reaches the threshold and the text spells the
// listed name (see verbatim and oneWordAlerts); a controlled-goods
// term is reported without holding it (goods are judged by
// classification); embargoed places and regions are found as in
// LineScanner, by the destination rules. It is safe for concurrent use.
type DocScanner struct {
	s    *Screener
	live *scan.Live
}

// NewDocScanner returns a DocScanner over the scanners of live (kept for
// the screening service's current lists) and makes it the text scanner of
// s in place of LineScanner; call it before s screens.
func NewDocScanner(s *Screener, live *scan.Live) *DocScanner {
	d := &DocScanner{s: s, live: live}
	s.opt.Text = d
	return d
}

// ScanText implements TextScanner.
func (d *DocScanner) ScanText(ctx context.Context, field, text string) ([]Hit, error) {
	sc, err := d.live.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	if len(text) > MaxMessageBytes {
		text = text[:MaxMessageBytes]
	}
	res, err := sc.Scan(ctx, field, text)
	if err != nil {
		return nil, fmt.Errorf("scan field %s: %w", field, err)
	}
	var out []Hit
	best := map[string]int{} // entity → index in out
	for _, m := range res.Mentions {
		switch m.Kind {
		case scan.KindParty:
			h := Hit{Field: field, Value: m.Text, Check: CheckText, EntityID: m.EntityID, List: m.List, Name: m.Name,
				Programs: m.Programs, Score: m.Score, Also: m.Also}
			if m.Explanation != nil {
				h.Explanation = *m.Explanation
				// Free text is full of ordinary words: a mention holds the
				// message only when the text spells the listed name.
				h.Alert = m.Score >= d.s.opt.Threshold && verbatim(h) && oneWordAlerts(*m.Explanation)
			} else {
				h.Explanation = m.Why
			}
			if i, ok := best[h.EntityID]; ok {
				if h.Score > out[i].Score {
					out[i] = h
				}
				continue
			}
			best[h.EntityID] = len(out)
			out = append(out, h)
		case scan.KindGoods:
			out = append(out, Hit{Field: field, Value: m.Text, Check: CheckText, EntityID: m.EntityID, Name: m.Name, Score: m.Score, Explanation: m.Why})
		}
	}
	// The line scan as well: the automaton may take a span that names
	// nothing ("SPARE PARTS") where a line of a payment names a listed
	// party after it ("INV 123 SPARE PARTS FOR MAHAN AIR"). It also finds
	// the embargoed places and regions.
	lines, err := (&LineScanner{s: d.s}).ScanText(ctx, field, text)
	if err != nil {
		return nil, err
	}
	for _, h := range lines {
		if h.Check == CheckText && h.List != "" {
			if i, ok := best[h.EntityID]; ok {
				if h.Score > out[i].Score || h.Alert && !out[i].Alert {
					out[i] = h
				}
				continue
			}
			best[h.EntityID] = len(out)
		}
		out = append(out, h)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out, nil
}

var _ TextScanner = (*DocScanner)(nil)
