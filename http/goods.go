package http

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/http/html"
	"github.com/interdict/interdict/screen"
)

// Classifier classifies one goods line item against the control lists and
// the destination and end-user rules: the contract behind POST
// /v1/goods/classify and the Goods page. *classify.Classifier satisfies it.
// Classify returns EINVALID when the item has neither a description nor a
// tariff code, and the end-user screener's error when the end user cannot
// be screened. It must be safe for concurrent use.
type Classifier interface {
	Classify(ctx context.Context, item interdict.LineItem) (*interdict.Classification, error)
}

// PartyScreener returns the screener to give the goods Classifier for end
// users. It screens through the Service on the index the goods request
// started with (a batch keeps one index from its first line to its last)
// or, outside a request, on the current index, so that end users follow
// list reloads. It counts each screen in /metrics, and returns EUNAVAILABLE
// before the first index is loaded.
func (s *Server) PartyScreener() interdict.Screener { return partyScreener{s} }

type partyScreener struct{ s *Server }

func (p partyScreener) Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	snap, _ := ctx.Value(indexKey).(*screen.Index)
	if snap == nil {
		snap = p.s.Service.Current()
	}
	if snap == nil {
		return nil, interdict.Errorf(interdict.EUNAVAILABLE, "The lists are still being loaded, so the end user cannot be screened yet; try again in a few seconds.")
	}
	res, err := p.s.Service.ScreenWith(ctx, q, screen.ScreenOptions{Index: snap})
	if err != nil {
		return nil, err
	}
	if p.s.metrics != nil {
		p.s.metrics.screened(res)
	}
	return res, nil
}

// Limits on the fields of a line item, in bytes (see also the limits of a
// query).
const (
	maxDescriptionLen = 2000
	maxHSDigits       = 14
)

// validateLineItem checks and tidies a line item: a description or a
// tariff code is required, a tariff code is digits (2 to 14, with or
// without dots, spaces or hyphens), and every field is short and valid
// UTF-8. It returns a 422 problem listing every invalid field.
func validateLineItem(it *interdict.LineItem) error {
	var errs []FieldError
	add := func(field, msg string) { errs = append(errs, FieldError{Field: field, Message: msg}) }
	fields := []struct {
		name string
		v    *string
		max  int
	}{
		{"description", &it.Description, maxDescriptionLen}, {"hs", &it.HSCode, maxShortLen},
		{"quantity", &it.Quantity, maxShortLen}, {"value", &it.Value, maxShortLen},
		{"destination", &it.Destination, maxShortLen}, {"address", &it.Address, maxAddressLen},
		{"end_user", &it.EndUser, maxNameLen}, {"end_use", &it.EndUse, maxAddressLen}, {"id", &it.Ref, maxShortLen},
	}
	for _, f := range fields {
		*f.v = strings.TrimSpace(*f.v)
		if !utf8.ValidString(*f.v) {
			add(f.name, "must be valid UTF-8")
		} else if len(*f.v) > f.max {
			add(f.name, "must be at most "+itoa(f.max)+" bytes")
		}
	}
	if it.Description == "" && it.HSCode == "" {
		add("description", "is required (or give hs)")
	}
	if it.HSCode != "" && len(it.HSCode) <= maxShortLen && !validHSCode(it.HSCode) {
		add("hs", "must be a tariff code of 2 to 14 digits, with or without dots (got \""+truncate(it.HSCode, 40)+"\")")
	}
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Field + " " + e.Message
	}
	p := newProblem(http.StatusUnprocessableEntity, "Invalid line item: "+strings.Join(msgs, "; ")+".")
	p.Errors = errs
	return p
}

// validHSCode accepts HS-6, CN-8, TARIC and HTS-10 codes as they are
// written: digits with dots, spaces or hyphens between them.
func validHSCode(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r == '.' || r == ' ' || r == '-':
		default:
			return false
		}
	}
	return n >= 2 && n <= maxHSDigits
}

// classify classifies one valid line item, screening its end user on snap,
// and counts it. snap may be nil when the item names no end user.
func (s *Server) classify(ctx context.Context, snap *screen.Index, item interdict.LineItem) (*interdict.Classification, error) {
	if s.Goods == nil {
		return nil, newProblem(http.StatusServiceUnavailable, "Goods classification is not available on this server.")
	}
	if snap != nil {
		ctx = context.WithValue(ctx, indexKey, snap)
	} else if item.EndUser != "" {
		return nil, newProblem(http.StatusServiceUnavailable, "The lists are still being loaded, so the end user cannot be screened yet; try again in a few seconds.")
	}
	res, err := s.Goods.Classify(ctx, item)
	if err != nil {
		return nil, err
	}
	s.metrics.classified(res)
	return res, nil
}

// handleGoodsClassify classifies one line item. The answer is the
// Classification exactly as `interdict goods classify --json` prints it.
func (s *Server) handleGoodsClassify(w http.ResponseWriter, r *http.Request) {
	var item interdict.LineItem
	if err := s.decodeJSON(w, r, &item); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := validateLineItem(&item); err != nil {
		s.writeError(w, r, err)
		return
	}
	snap := s.Service.Current()
	if snap == nil && item.EndUser != "" {
		w.Header().Set("Retry-After", "5")
	}
	res, err := s.classify(r.Context(), snap, item)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// goodsLine is one line of a goods batch response: the classification of
// the line's item, or the problem with it.
type goodsLine struct {
	Line int `json:"line"`
	*interdict.Classification
	Error *Problem `json:"error,omitempty"`
}

// handleGoodsBatch classifies NDJSON: one line item per line in, one
// classification per line out, in order, streamed both ways as
// /v1/screen/batch is. End users are screened on the index the batch
// started with; before the first index is loaded, a line that names an
// end user gets a 503 error line and the others are classified.
func (s *Server) handleGoodsBatch(w http.ResponseWriter, r *http.Request) {
	if err := checkContentType(r, ndjsonTypes...); err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.Goods == nil {
		s.writeError(w, r, newProblem(http.StatusServiceUnavailable, "Goods classification is not available on this server."))
		return
	}
	snap := s.Service.Current()
	s.streamBatch(w, r, func(n int, line []byte) any {
		var item interdict.LineItem
		if p := s.decodeLine(n, line, &item); p != nil {
			return goodsLine{Line: n, Error: p}
		}
		if err := validateLineItem(&item); err != nil {
			return goodsLine{Line: n, Error: lineProblem(n, err)}
		}
		res, err := s.classify(r.Context(), snap, item)
		if err != nil {
			p := *toProblem(err)
			if p.Status >= 500 {
				s.logger(r).Error("batch classify", "line", n, "err", err.Error())
			}
			return goodsLine{Line: n, Error: &p}
		}
		return goodsLine{Line: n, Classification: res}
	})
}

// candidateView is a candidate entry with what the Goods page shows of it.
type candidateView struct {
	interdict.Candidate
	Rank int
	// TextSegments are the entry text with the matched terms marked.
	TextSegments []html.Segment
	// Terms are the matched terms, each split into the description's word
	// and the entry's.
	Terms []matchedTerm
}

// matchedTerm is one matched term of a candidate: the description's term
// and, when a synonym or keyword led to the entry, the entry's term.
type matchedTerm struct {
	Description, Entry string
	Keyword            bool
}

// parseTerm reads a matched term as the classifier writes it: "pump",
// "\"frequency changer\"" (a keyword phrase) or "hastelloy ≈ nickel" (a
// synonym).
func parseTerm(t string) matchedTerm {
	if d, e, ok := strings.Cut(t, " ≈ "); ok {
		return matchedTerm{Description: strings.TrimSpace(d), Entry: strings.TrimSpace(e)}
	}
	if len(t) > 2 && strings.HasPrefix(t, `"`) && strings.HasSuffix(t, `"`) {
		t = t[1 : len(t)-1]
		return matchedTerm{Description: t, Entry: t, Keyword: true}
	}
	return matchedTerm{Description: t, Entry: t}
}

type goodsPage struct {
	page
	Item       interdict.LineItem
	Result     *interdict.Classification
	Candidates []candidateView
	// DescriptionSegments are the description with every matched term
	// marked.
	DescriptionSegments []html.Segment
	EndUserHits         []hitView
	Error               string
}

// uiGoods is the Goods page. With a description or a tariff code it
// classifies the line and shows the verdict, its basis, the candidates with
// their evidence, the destination rules and the end-user screening; an
// htmx request gets the same page, from which htmx selects the results.
func (s *Server) uiGoods(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	data := goodsPage{page: s.page(r, "goods"), Item: interdict.LineItem{Description: v.Get("description"), HSCode: v.Get("hs"),
		Destination: v.Get("destination"), Address: v.Get("address"), EndUser: v.Get("end_user")}}
	status := http.StatusOK
	if strings.TrimSpace(data.Item.Description) != "" || strings.TrimSpace(data.Item.HSCode) != "" {
		item := data.Item
		err := validateLineItem(&item)
		snap := s.Service.Current()
		var res *interdict.Classification
		if err == nil {
			res, err = s.classify(r.Context(), snap, item)
		}
		if err != nil {
			p := toProblem(err)
			if p.Status >= 500 {
				s.logger(r).Error("classify", "err", err.Error())
			}
			data.Error = p.Detail
			status = p.Status
		} else {
			data.Result = res
			data.Candidates, data.DescriptionSegments = candidateViews(res)
			if eu := res.EndUser; eu != nil && len(eu.Hits) > 0 {
				data.EndUserHits = hitViews(&interdict.ScreenResult{Alert: eu.Attention, Hits: eu.Hits})
			}
		}
	}
	s.render(w, r, status, "goods", "layout", data)
}

// candidateViews prepares the candidates for the page, marking in each
// entry text the entry's side of its matched terms, and in the description
// every description term of every candidate.
func candidateViews(res *interdict.Classification) ([]candidateView, []html.Segment) {
	out := make([]candidateView, len(res.Candidates))
	desc := map[string]interdict.MatchKind{}
	for i, c := range res.Candidates {
		entry := map[string]interdict.MatchKind{}
		cv := candidateView{Candidate: c, Rank: i + 1}
		for _, t := range c.MatchedTerms {
			mt := parseTerm(t)
			cv.Terms = append(cv.Terms, mt)
			kind := interdict.MatchExact
			if mt.Description != mt.Entry {
				kind = "synonym"
			}
			entry[mt.Entry] = kind
			if _, ok := desc[mt.Description]; !ok || kind == interdict.MatchExact {
				desc[mt.Description] = kind
			}
		}
		cv.TextSegments = html.HighlightTerms(c.Text, entry)
		out[i] = cv
	}
	return out, html.HighlightTerms(res.Item.Description, desc)
}
