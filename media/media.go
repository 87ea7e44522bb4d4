// Package media keeps the adverse-media record: it ingests articles from
// files (text, HTML, PDF, DOCX through package document) and from RSS and
// Atom feeds (a local file or a URL), de-duplicates them by content hash
// and URL, scans each with the document scanner (package scan) for listed
// parties, embargoed places, controlled goods and risk topics, finds the
// parties of the book it names (a scanner over the book, see bookScanner),
// stores it all through interdict.MediaStore, and raises one review alert
// per party of the book and article when the party is named together with
// a risk topic.
package media

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/document"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
)

// Alerter raises the alerts of adverse media (review.Service.RaiseAlert).
type Alerter interface {
	RaiseAlert(ctx context.Context, actor string, a *interdict.Alert) error
}

// Config configures a Service.
type Config struct {
	// Store keeps the articles.
	Store interdict.MediaStore
	// Book is the review store whose parties are looked for in articles.
	Book interdict.ReviewStore
	// Scanner returns the scanner of the current lists (scan.Live.Scanner).
	Scanner func(ctx context.Context) (*scan.Scanner, error)
	// Alerts raises the alerts (the review service); nil raises none.
	Alerts Alerter
	// Policy is the screening policy; its threshold is the one a mention of
	// a party of the book must reach.
	Policy screen.Policy
	// Limits bound each document read; FeedLimits each feed.
	Limits     document.Limits
	FeedLimits FeedLimits
	// Client fetches URLs; nil uses http.DefaultClient.
	Client *http.Client
	// BookRefresh is how long the parties of the book, once read, are
	// looked for without reading the book again (a party added is looked
	// for at most this long after); 0 means DefaultBookRefresh, a negative
	// value reads the book for every input ingested.
	BookRefresh time.Duration
}

// DefaultBookRefresh is how long a reading of the book is used.
const DefaultBookRefresh = 10 * time.Second

// Service ingests adverse media. It is safe for concurrent use.
type Service struct {
	cfg  Config
	book bookScanner
}

// NewService returns a service; Store, Book and Scanner are required.
func NewService(cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("media: no media store")
	case cfg.Book == nil:
		return nil, errors.New("media: no review store (the book)")
	case cfg.Scanner == nil:
		return nil, errors.New("media: no scanner")
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	if cfg.Limits.MaxBytes <= 0 {
		cfg.Limits = document.DefaultLimits()
	}
	if cfg.FeedLimits.MaxBytes <= 0 {
		cfg.FeedLimits = DefaultFeedLimits()
	}
	if cfg.BookRefresh == 0 {
		cfg.BookRefresh = DefaultBookRefresh
	}
	return &Service{cfg: cfg}, nil
}

// Store returns the media store.
func (s *Service) Store() interdict.MediaStore { return s.cfg.Store }

// Report is what ingesting one input (a file, a URL, an upload) did.
type Report struct {
	Input string `json:"input"`
	// Format is "rss", "atom", "rdf" for a feed, else the document format.
	Format string `json:"format"`
	// Source is the feed's title or the input's name.
	Source   string    `json:"source"`
	Articles []Outcome `json:"articles"`
	// Stored counts the new articles, Duplicates those stored before,
	// Failed the items that could not be ingested, Alerts the alerts
	// raised.
	Stored     int `json:"stored"`
	Duplicates int `json:"duplicates"`
	Failed     int `json:"failed"`
	Alerts     int `json:"alerts"`
}

// Outcome is what became of one article (a feed item or a document).
type Outcome struct {
	// Item is the item's number in the feed, from 1 (0 for a document).
	Item  int    `json:"item,omitempty"`
	ID    string `json:"id,omitempty"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
	// Duplicate is true when the article was stored before (ID is then
	// the stored one).
	Duplicate bool `json:"duplicate,omitempty"`
	// Entities, Parties and Topics are what the article mentions: listed
	// entities, parties of the book, risk topics.
	Entities []string `json:"entities,omitempty"`
	Parties  []string `json:"parties,omitempty"`
	Topics   []string `json:"topics,omitempty"`
	// Alerts are the alerts raised.
	Alerts []string `json:"alerts,omitempty"`
	// Warnings are what was read only in part (a date not understood).
	Warnings []string `json:"warnings,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// Draft is an article to ingest.
type Draft struct {
	Title     string
	URL       string
	Source    string
	Feed      string
	Published time.Time
	Text      string
}

// Ingest ingests a file or an http(s) URL as actor: a feed's items, or a
// document as one article.
func (s *Service) Ingest(ctx context.Context, actor, arg string) (*Report, error) {
	var data []byte
	var ctype string
	var err error
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		data, ctype, err = s.fetch(ctx, arg)
	} else {
		var f *os.File
		f, err = os.Open(arg)
		if err == nil {
			data, err = document.ReadAll(f, max(s.cfg.Limits.MaxBytes, s.cfg.FeedLimits.MaxBytes))
			f.Close()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", arg, err)
	}
	return s.IngestData(ctx, actor, arg, data, ctype)
}

// fetch gets a URL within the time and size limits.
func (s *Service) fetch(ctx context.Context, url string) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Limits.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("User-Agent", "interdict-media")
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/xml, text/html;q=0.9, */*;q=0.5")
	client := s.cfg.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("HTTP %s", resp.Status)
	}
	limit := max(s.cfg.Limits.MaxBytes, s.cfg.FeedLimits.MaxBytes)
	if resp.ContentLength > limit {
		return nil, "", fmt.Errorf("%w: %d bytes announced, limit %d", document.ErrTooLarge, resp.ContentLength, limit)
	}
	b, err := document.ReadAll(resp.Body, limit)
	return b, resp.Header.Get("Content-Type"), err
}

// IngestData ingests data named name (a file name or URL; ctype its media
// type, if known): an RSS or Atom feed item by item, anything else as one
// document. A feed that cannot be read is refused whole with a *FeedError;
// an item that cannot be ingested is reported in its Outcome and the
// others are ingested.
func (s *Service) IngestData(ctx context.Context, actor, name string, data []byte, ctype string) (*Report, error) {
	mt, _, _ := mime.ParseMediaType(ctype)
	isFeed := mt == "application/rss+xml" || mt == "application/atom+xml" || mt == "application/rdf+xml" || IsFeed(data)
	if isFeed {
		feed, err := ParseFeed(name, strings.NewReader(string(data)), s.cfg.FeedLimits)
		if err != nil {
			return nil, err
		}
		return s.IngestFeed(ctx, actor, name, feed)
	}
	if int64(len(data)) > s.cfg.Limits.MaxBytes {
		return nil, fmt.Errorf("read %s: %w: %d bytes, limit %d", name, document.ErrTooLarge, len(data), s.cfg.Limits.MaxBytes)
	}
	format := ""
	if mt == "text/html" || mt == "application/xhtml+xml" {
		format = document.FormatHTML
	}
	if format == "" {
		format = document.Detect(name, data)
	}
	doc, err := document.Parse(ctx, name, data, format, s.cfg.Limits)
	if err != nil {
		return nil, err
	}
	d := Draft{Title: documentTitle(doc, data), Source: filepath.Base(name), Feed: name, Text: doc.Text}
	if strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://") {
		d.URL = name
		d.Source = hostOf(name)
	}
	rep := &Report{Input: name, Format: doc.Format, Source: d.Source}
	o := s.IngestArticle(ctx, actor, d)
	if doc.Truncated {
		o.Warnings = append(o.Warnings, "the text was cut at the size limit")
	}
	rep.add(o)
	return rep, nil
}

func hostOf(u string) string {
	u = u[strings.Index(u, "//")+2:]
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

func (r *Report) add(o Outcome) {
	switch {
	case o.Error != "":
		r.Failed++
	case o.Duplicate:
		r.Duplicates++
	default:
		r.Stored++
	}
	r.Alerts += len(o.Alerts)
	r.Articles = append(r.Articles, o)
}

// documentTitle is an HTML page's <title>, or else the document's first
// line of text, cut to 200 bytes.
func documentTitle(doc *document.Document, raw []byte) string {
	if doc.Format == document.FormatHTML {
		if t := htmlPageTitle(raw); t != "" {
			return t
		}
	}
	for _, line := range strings.Split(doc.Text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return clip(line, 200)
		}
	}
	return filepath.Base(doc.Name)
}

// htmlPageTitle returns the text of the first <title> element of an HTML
// page, if any, within its first 64 KiB.
func htmlPageTitle(b []byte) string {
	head := strings.ToLower(string(b[:min(len(b), 64<<10)]))
	i := strings.Index(head, "<title")
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(head[i:], '>')
	if j < 0 {
		return ""
	}
	start := i + j + 1
	end := strings.Index(head[start:], "</title")
	if end < 0 {
		return ""
	}
	raw := string(b[start : start+end])
	if !utf8.ValidString(raw) {
		return ""
	}
	return clip(strings.Join(strings.Fields(stripTags(raw)), " "), 200)
}

// IngestFeed ingests the items of a parsed feed named name.
func (s *Service) IngestFeed(ctx context.Context, actor, name string, feed *Feed) (*Report, error) {
	source := feed.Title
	if source == "" {
		source = filepath.Base(name)
	}
	rep := &Report{Input: name, Format: feed.Format, Source: source, Articles: []Outcome{}}
	book := &bookSnap{}
	for i, it := range feed.Items {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		d := Draft{Title: strings.TrimSpace(it.Title), URL: strings.TrimSpace(it.Link), Source: source, Feed: name, Published: it.Published}
		if d.URL == "" && (strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://")) {
			d.URL = it.GUID
		}
		body := it.Body
		var warns []string
		if it.HTML && body != "" {
			doc, err := document.Parse(ctx, fmt.Sprintf("%s item %d", name, i+1), []byte(body), document.FormatHTML, s.cfg.Limits)
			if err != nil {
				rep.add(Outcome{Item: i + 1, Title: d.Title, URL: d.URL, Error: fmt.Sprintf("feed %s, line %d, item %d: content: %v", name, it.Line, i+1, err)})
				continue
			}
			body = doc.Text
		}
		if it.DateText != "" && it.Published.IsZero() {
			warns = append(warns, fmt.Sprintf("date %q not understood", clip(it.DateText, 60)))
		}
		if d.Title == "" {
			d.Title = clip(firstLine(body), 200)
		}
		d.Text = strings.TrimSpace(d.Title + "\n\n" + strings.TrimSpace(body))
		o := s.ingestArticle(ctx, actor, d, book)
		o.Item = i + 1
		if o.Error != "" {
			o.Error = fmt.Sprintf("feed %s, line %d, item %d: %s", name, it.Line, i+1, o.Error)
		}
		o.Warnings = append(warns, o.Warnings...)
		rep.add(o)
	}
	return rep, nil
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// bookSnap is the book scanner of one ingestion (a feed's items share it,
// so that the book is read once per input, not once per article).
type bookSnap struct {
	sc    *scan.Scanner
	names map[string]string
	err   error
	done  bool
}

func (s *Service) bookFor(ctx context.Context, b *bookSnap) *bookSnap {
	if !b.done {
		b.sc, b.names, b.err = s.book.scanner(ctx, s.cfg.Book, s.cfg.Policy, s.cfg.BookRefresh)
		b.done = true
	}
	return b
}

// IngestArticle stores one article unless it is stored already (the same
// text, white space aside, or the same URL), with its mentions and topics,
// and raises the alerts of the parties of the book it names with a risk
// topic. An error is reported in the outcome.
func (s *Service) IngestArticle(ctx context.Context, actor string, d Draft) Outcome {
	return s.ingestArticle(ctx, actor, d, &bookSnap{})
}

func (s *Service) ingestArticle(ctx context.Context, actor string, d Draft, book *bookSnap) Outcome {
	text := strings.ReplaceAll(strings.ToValidUTF8(d.Text, "\uFFFD"), "\x00", "")
	o := Outcome{Title: d.Title, URL: d.URL}
	if strings.TrimSpace(text) == "" {
		o.Error = "the article has no text"
		return o
	}
	if o.Title == "" {
		o.Title = clip(firstLine(text), 200)
	}
	hash := interdict.ContentHash(text)
	if prev, err := s.cfg.Store.FindArticleByKey(ctx, hash, d.URL); err == nil {
		o.ID, o.Duplicate, o.Title = prev.ID, true, prev.Title
		return o
	} else if interdict.ErrorCode(err) != interdict.ENOTFOUND {
		o.Error = err.Error()
		return o
	}
	a, err := s.scanArticle(ctx, d, text, hash, s.bookFor(ctx, book))
	if err != nil {
		o.Error = err.Error()
		return o
	}
	if err := s.cfg.Store.CreateArticle(ctx, a); interdict.ErrorCode(err) == interdict.ECONFLICT {
		// Stored meanwhile by another ingestion.
		if prev, err := s.cfg.Store.FindArticleByKey(ctx, hash, d.URL); err == nil {
			o.ID, o.Duplicate, o.Title = prev.ID, true, prev.Title
			return o
		}
		o.Error = err.Error()
		return o
	} else if err != nil {
		o.Error = err.Error()
		return o
	}
	o.ID = a.ID
	o.Entities = a.EntityIDs()
	for _, p := range a.Parties {
		o.Parties = append(o.Parties, p.PartyID)
	}
	for _, t := range a.Topics {
		o.Topics = append(o.Topics, t.Topic)
	}
	ids, err := s.raiseAlerts(ctx, actor, a)
	o.Alerts = ids
	if err != nil {
		o.Error = err.Error()
	}
	return o
}

// scanArticle scans the text for listed parties, places, goods and topics,
// and for the parties of the book.
func (s *Service) scanArticle(ctx context.Context, d Draft, text, hash string, book *bookSnap) (*interdict.Article, error) {
	sc, err := s.cfg.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	res, err := sc.Scan(ctx, d.Title, text)
	if err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	a := &interdict.Article{Title: d.Title, URL: d.URL, Source: d.Source, Feed: d.Feed, Published: d.Published, Text: text, Hash: hash,
		Mentions: []interdict.ArticleMention{}, Topics: []interdict.ArticleTopic{}, Parties: []interdict.ArticleParty{}}
	if a.Title == "" {
		a.Title = clip(firstLine(text), 200)
	}
	for _, m := range res.Mentions {
		a.Mentions = append(a.Mentions, mention(m, m.Kind, m.EntityID, ""))
	}
	for _, t := range res.Topics {
		a.Topics = append(a.Topics, interdict.ArticleTopic{Topic: t.Topic, Sentences: t.Sentences, Terms: t.Terms})
	}
	bsc, names := book.sc, book.names
	if book.err != nil {
		return nil, book.err
	}
	if bsc.Entities() > 0 {
		bres, err := bsc.Scan(ctx, d.Title, text)
		if err != nil {
			return nil, fmt.Errorf("scan for parties of the book: %w", err)
		}
		for _, m := range bres.Mentions {
			if m.Kind != scan.KindParty {
				continue
			}
			pid := strings.TrimPrefix(m.EntityID, bookList+":")
			if partOfLongerName(text, m, names[pid]) {
				continue
			}
			bm := mention(m, interdict.MentionBookParty, "", pid)
			bm.Name = names[pid]
			a.Mentions = append(a.Mentions, bm)
		}
		sort.SliceStable(a.Mentions, func(i, j int) bool { return a.Mentions[i].Start < a.Mentions[j].Start })
	}
	a.Parties = bookParties(text, a.Mentions, a.Topics)
	return a, nil
}

// legalForms are the words of legal forms that may follow a party's name
// as written without making it another name.
var legalForms = map[string]bool{
	"ag": true, "gmbh": true, "kg": true, "ltd": true, "limited": true, "llc": true, "llp": true, "inc": true, "corp": true,
	"corporation": true, "co": true, "company": true, "plc": true, "sa": true, "sas": true, "sarl": true, "srl": true, "spa": true,
	"bv": true, "nv": true, "uab": true, "oü": true, "as": true, "ab": true, "oy": true, "sp": true, "zoo": true, "jsc": true,
	"pjsc": true, "ooo": true, "fze": true, "fzco": true, "pte": true, "bhd": true, "sdn": true, "a.ş": true, "aş": true,
	"jr": true, "sr": true,
}

// partOfLongerName reports whether a mention of a party of the book that
// is not the party's whole name runs on into another capitalised word
// ("Deutsche Werft" of "Deutsche Werft Service GmbH" for the party
// "Deutsche Werft Holding"): the text names another company or person
// sharing the first words. A legal form after the name does not count.
func partOfLongerName(text string, m scan.Mention, name string) bool {
	if strings.EqualFold(strings.Join(strings.Fields(m.Text), " "), strings.Join(strings.Fields(name), " ")) {
		return false
	}
	rest := text[min(m.End, len(text)):]
	if len(rest) < 2 || rest[0] != ' ' {
		return false
	}
	word := rest[1:]
	if i := strings.IndexFunc(word, func(r rune) bool {
		return unicode.IsSpace(r) || (unicode.IsPunct(r) && r != '.' && r != '-' && r != '&')
	}); i >= 0 {
		word = word[:i]
	}
	word = strings.TrimRight(word, ".")
	r, _ := utf8.DecodeRuneInString(word)
	if word == "" || !unicode.IsUpper(r) {
		return false
	}
	if legalForms[strings.ToLower(strings.ReplaceAll(word, ".", ""))] {
		return false
	}
	// A word of the party's own name (the name written in another order).
	for _, w := range strings.Fields(name) {
		if strings.EqualFold(w, word) {
			return false
		}
	}
	return true
}

func mention(m scan.Mention, kind, entity, party string) interdict.ArticleMention {
	return interdict.ArticleMention{Kind: kind, EntityID: entity, PartyID: party, Name: m.Name, Text: m.Text, Start: m.Start, End: m.End,
		CharStart: m.CharStart, CharEnd: m.CharEnd, Sentence: m.Sentence, Score: m.Score, Why: m.Why}
}

// bookParties groups the mentions of parties of the book by party, each
// with its count, best score and the risk topics supported in a sentence
// that mentions it or in the sentence right after one.
func bookParties(text string, ms []interdict.ArticleMention, topics []interdict.ArticleTopic) []interdict.ArticleParty {
	norm, at := collapse(text)
	byID := map[string]*interdict.ArticleParty{}
	var order []string
	for _, m := range ms {
		if m.Kind != interdict.MentionBookParty {
			continue
		}
		p := byID[m.PartyID]
		if p == nil {
			p = &interdict.ArticleParty{PartyID: m.PartyID, Name: m.Name}
			byID[m.PartyID] = p
			order = append(order, m.PartyID)
		}
		p.Count++
		p.Score = max(p.Score, m.Score)
		// The sentence of the mention in the collapsed text, and what follows it.
		sent := strings.Trim(m.Sentence, "…")
		pos := at(m.Start)
		from := max(0, pos-len(sent))
		i := strings.Index(norm[from:], sent)
		if i < 0 {
			continue
		}
		end := from + i + len(sent)
		for _, t := range topics {
			if slices.Contains(p.Topics, t.Topic) {
				continue
			}
			for _, ts := range t.Sentences {
				ts = strings.Trim(ts, "…")
				if ts == sent || strings.Contains(sent, ts) || strings.Contains(ts, sent) {
					p.Topics = append(p.Topics, t.Topic)
					break
				}
				if j := strings.Index(norm[end:], ts); j >= 0 && strings.TrimSpace(norm[end:end+j]) == "" {
					p.Topics = append(p.Topics, t.Topic)
					break
				}
			}
		}
	}
	out := make([]interdict.ArticleParty, 0, len(order))
	for _, id := range order {
		p := byID[id]
		sort.Strings(p.Topics)
		out = append(out, *p)
	}
	return out
}

// collapse returns text with every run of white space made one space (as
// the scanner writes sentences), and a function from a byte offset in text
// to the offset in the collapsed text.
func collapse(text string) (string, func(int) int) {
	var b strings.Builder
	offs := make([]int32, len(text)+1)
	space := false
	for i, r := range text {
		n := utf8.RuneLen(r)
		if n < 0 {
			n = 1
		}
		for k := i; k < i+n && k < len(text); k++ {
			offs[k] = int32(b.Len())
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
			for k := i; k < i+n && k < len(text); k++ {
				offs[k] = int32(b.Len())
			}
		}
		b.WriteRune(r)
	}
	offs[len(text)] = int32(b.Len())
	norm := b.String()
	return norm, func(i int) int {
		if i < 0 || i >= len(offs) {
			return len(norm)
		}
		return int(offs[i])
	}
}

// Policy is the policy name of adverse-media alerts.
const Policy = "adverse-media"

// alertExplanation is the explanation of an adverse-media alert.
type alertExplanation struct {
	Source    string                     `json:"source"`
	ArticleID string                     `json:"article_id"`
	Title     string                     `json:"title"`
	URL       string                     `json:"url,omitempty"`
	Published time.Time                  `json:"published,omitzero"`
	Topics    []interdict.ArticleTopic   `json:"topics"`
	Mentions  []interdict.ArticleMention `json:"mentions"`
	Entities  []string                   `json:"entities,omitempty"`
}

// raiseAlerts raises an alert for each party of the book the article names
// with a risk topic, once per party and article (the store's claim).
func (s *Service) raiseAlerts(ctx context.Context, actor string, a *interdict.Article) ([]string, error) {
	if s.cfg.Alerts == nil {
		return nil, nil
	}
	var ids []string
	var errs []error
	for i := range a.Parties {
		p := &a.Parties[i]
		if len(p.Topics) == 0 {
			continue
		}
		ok, err := s.cfg.Store.ClaimArticleAlert(ctx, a.ID, p.PartyID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue
		}
		ex := alertExplanation{Source: "adverse-media", ArticleID: a.ID, Title: a.Title, URL: a.URL, Published: a.Published, Entities: a.EntityIDs()}
		for _, t := range a.Topics {
			if slices.Contains(p.Topics, t.Topic) {
				ex.Topics = append(ex.Topics, t)
			}
		}
		for _, m := range a.Mentions {
			if m.Kind == interdict.MentionBookParty && m.PartyID == p.PartyID {
				ex.Mentions = append(ex.Mentions, m)
			}
		}
		expl, err := json.Marshal(ex)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		al := &interdict.Alert{PartyID: p.PartyID, EntityID: "media:" + a.ID, EntityName: "Adverse media: " + clip(a.Title, 160),
			Listings: []interdict.AlertListing{{EntityID: "media:" + a.ID, List: "media", Score: p.Score}},
			Policy:   Policy, Score: p.Score, Explanation: expl}
		if err := s.cfg.Alerts.RaiseAlert(ctx, actor, al); err != nil {
			if rerr := s.cfg.Store.SetArticleAlert(ctx, a.ID, p.PartyID, ""); rerr != nil {
				errs = append(errs, rerr)
			}
			errs = append(errs, fmt.Errorf("alert on party %s: %w", p.PartyID, err))
			continue
		}
		if err := s.cfg.Store.SetArticleAlert(ctx, a.ID, p.PartyID, al.ID); err != nil {
			errs = append(errs, err)
		}
		p.AlertID = al.ID
		ids = append(ids, al.ID)
	}
	return ids, errors.Join(errs...)
}

// ReadAll reads r up to limit bytes (for callers that read a body).
func ReadAll(r io.Reader, limit int64) ([]byte, error) { return document.ReadAll(r, limit) }
