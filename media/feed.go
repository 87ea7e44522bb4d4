package media

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// FeedLimits bound what a feed may make the reader do.
type FeedLimits struct {
	// MaxBytes is the largest feed read.
	MaxBytes int64
	// MaxItems is the most items (RSS) or entries (Atom) read.
	MaxItems int
	// MaxDepth is the deepest element nesting allowed.
	MaxDepth int
	// MaxField is the largest text of one field of an item (title, link,
	// content), in bytes.
	MaxField int
}

// DefaultFeedLimits are the limits of a feed read without others.
func DefaultFeedLimits() FeedLimits {
	return FeedLimits{MaxBytes: 32 << 20, MaxItems: 10000, MaxDepth: 64, MaxField: 2 << 20}
}

// Item is one item of an RSS feed or entry of an Atom feed.
type Item struct {
	Title string
	// Link is the item's web address.
	Link string
	// GUID is the RSS guid or Atom id.
	GUID string
	// Body is the item's content (content:encoded or Atom content) or,
	// when it has none, its description (Atom summary); HTML says whether
	// Body is HTML to be reduced to text.
	Body string
	HTML bool
	// Published is the item's date (pubDate, dc:date, Atom published or
	// updated), zero when it has none or it cannot be read (DateText then
	// holds it).
	Published time.Time
	DateText  string
	// Line is the line of the feed where the item starts.
	Line int

	fromContent bool // Body is from a content element, not a description
}

// Feed is a parsed RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 feed.
type Feed struct {
	// Format is "rss", "rdf" or "atom".
	Format string
	// Title is the channel's (feed's) title.
	Title string
	// Link is the channel's web address.
	Link  string
	Items []Item
}

// FeedError is a feed refused: its name, and the item (1-based, 0 for the
// feed itself) and line where reading stopped.
type FeedError struct {
	Feed string
	Item int
	// Title is the title of the item, when it was read before the error.
	Title string
	Line  int
	Err   error
}

func (e *FeedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "feed %s", e.Feed)
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	if e.Item > 0 {
		fmt.Fprintf(&b, ", item %d", e.Item)
		if e.Title != "" {
			fmt.Fprintf(&b, " (%q)", clip(e.Title, 80))
		}
	}
	return b.String() + ": " + e.Err.Error()
}

func (e *FeedError) Unwrap() error { return e.Err }

// Errors of a refused feed.
var (
	ErrFeedTooLarge = errors.New("larger than the limit")
	ErrNotFeed      = errors.New("not an RSS or Atom feed")
)

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// IsFeed reports whether b looks like an RSS or Atom feed: an XML document
// whose first element is rss, feed or rdf:RDF.
func IsFeed(b []byte) bool {
	head := b[:min(len(b), 4096)]
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	i := 0
	for {
		j := bytes.IndexByte(head[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		if i >= len(head) {
			return false
		}
		switch head[i] {
		case '?', '!':
			continue // declaration, comment or DOCTYPE
		}
		rest := head[i:]
		for _, name := range []string{"rss", "feed", "rdf:RDF", "RDF"} {
			if bytes.HasPrefix(rest, []byte(name)) && len(rest) > len(name) && (rest[len(name)] == ' ' || rest[len(name)] == '>' || rest[len(name)] == '\n' || rest[len(name)] == '\t' || rest[len(name)] == '\r') {
				return true
			}
		}
		return false
	}
}

// ParseFeed reads an RSS 2.0, RSS 1.0 or Atom 1.0 feed named name within
// lim. It refuses a feed larger than lim.MaxBytes, with more items, with
// elements nested deeper than lim.MaxDepth or a field larger than
// lim.MaxField, with a DOCTYPE (the only way to declare entities, so no
// entity is ever expanded), or that is not well-formed XML, with a
// *FeedError naming the feed, the line and the item.
func ParseFeed(name string, r io.Reader, lim FeedLimits) (*Feed, error) {
	def := DefaultFeedLimits()
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = def.MaxBytes
	}
	if lim.MaxItems <= 0 {
		lim.MaxItems = def.MaxItems
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = def.MaxDepth
	}
	if lim.MaxField <= 0 {
		lim.MaxField = def.MaxField
	}
	lr := &limitedReader{r: r, n: lim.MaxBytes}
	dec := xml.NewDecoder(lr)
	dec.Strict = true
	dec.CharsetReader = charsetReader
	// HTML's named entities (a fixed table: nothing is declared or
	// expanded recursively) are accepted, as feeds use them.
	dec.Entity = xml.HTMLEntity
	p := &feedParser{name: name, dec: dec, lim: lim, lr: lr}
	f, err := p.parse()
	if err != nil {
		return nil, err
	}
	return f, nil
}

// limitedReader reads at most n bytes and then fails, so that a feed over
// the limit is refused rather than cut.
type limitedReader struct {
	r    io.Reader
	n    int64
	over bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// One more byte tells a feed of exactly the limit from a larger one.
		var one [1]byte
		k, err := l.r.Read(one[:])
		if k > 0 {
			l.over = true
			return 0, ErrFeedTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	k, err := l.r.Read(p)
	l.n -= int64(k)
	return k, err
}

// charsetReader accepts the encodings feeds are written in besides UTF-8:
// ISO-8859-1 and US-ASCII are decoded; any other is refused by name.
func charsetReader(charset string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
		return &latin1Reader{r: in}, nil
	}
	return nil, fmt.Errorf("encoding %q is not supported (use UTF-8)", charset)
}

type latin1Reader struct {
	r   io.Reader
	buf []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.buf) == 0 {
		tmp := make([]byte, max(len(p)/2, 1))
		k, err := l.r.Read(tmp)
		for _, c := range tmp[:k] {
			l.buf = utf8.AppendRune(l.buf, rune(c))
		}
		if k == 0 {
			return 0, err
		}
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}

type feedParser struct {
	name string
	dec  *xml.Decoder
	lim  FeedLimits
	lr   *limitedReader

	feed  Feed
	item  *Item
	items int
}

func (p *feedParser) fail(err error) error {
	line, _ := p.dec.InputPos()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
		err = errors.New("invalid XML: " + se.Msg)
	}
	if p.lr.over || errors.Is(err, ErrFeedTooLarge) {
		err = fmt.Errorf("%w of %d bytes", ErrFeedTooLarge, p.lim.MaxBytes)
	}
	fe := &FeedError{Feed: p.name, Line: line, Err: err}
	if p.item != nil {
		fe.Item, fe.Title = p.items, p.item.Title
	}
	return fe
}

// elem is an open element: its local name and the text gathered for it
// (only for the fields of an item or of the channel).
type elem struct {
	name  string
	space string
	field *strings.Builder // the field being gathered, nil outside one
	attrs []xml.Attr
}

func (p *feedParser) parse() (*Feed, error) {
	var stack []elem
	root := ""
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, p.fail(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return nil, p.fail(errors.New("a DOCTYPE declaration is not allowed in a feed (it could declare entities to expand)"))
			}
		case xml.StartElement:
			if len(stack) >= p.lim.MaxDepth {
				return nil, p.fail(fmt.Errorf("elements nested deeper than %d", p.lim.MaxDepth))
			}
			name := t.Name.Local
			if len(stack) == 0 {
				switch name {
				case "rss":
					root = "rss"
				case "feed":
					root = "atom"
				case "RDF":
					root = "rdf"
				default:
					return nil, p.fail(fmt.Errorf("%w: the root element is <%s>", ErrNotFeed, name))
				}
			}
			e := elem{name: name, space: t.Name.Space, attrs: t.Attr}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1].name
				e.field = stack[len(stack)-1].field
				if e.field != nil {
					// An element inside a field (XHTML content): its text
					// starts a new line.
					e.field.WriteByte('\n')
				}
			}
			switch {
			case (name == "item" || name == "entry") && p.item == nil:
				p.items++
				line, _ := p.dec.InputPos()
				p.item = &Item{Line: line}
				if p.items > p.lim.MaxItems {
					return nil, p.fail(fmt.Errorf("more than %d items", p.lim.MaxItems))
				}
			case p.item != nil && e.field == nil:
				// A field of the item.
				e.field = &strings.Builder{}
				if name == "link" && root == "atom" {
					if href := attr(t.Attr, "href"); href != "" {
						rel := attr(t.Attr, "rel")
						if (rel == "" || rel == "alternate") && p.item.Link == "" {
							p.item.Link = href
						}
					}
				}
			case p.item == nil && e.field == nil && (parent == "channel" || (root == "atom" && len(stack) == 1)) && (name == "title" || name == "link"):
				e.field = &strings.Builder{}
				if name == "link" && root == "atom" && p.feed.Link == "" {
					if rel := attr(t.Attr, "rel"); rel == "" || rel == "alternate" {
						p.feed.Link = attr(t.Attr, "href")
					}
				}
			}
			stack = append(stack, e)
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1].field != nil {
				f := stack[len(stack)-1].field
				if f.Len()+len(t) > p.lim.MaxField {
					return nil, p.fail(fmt.Errorf("the text of <%s> is larger than the limit of %d bytes", fieldName(stack), p.lim.MaxField))
				}
				f.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, p.fail(errors.New("unexpected end element"))
			}
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch {
			case p.item != nil && e.field == nil && (e.name == "item" || e.name == "entry"):
				p.feed.Items = append(p.feed.Items, *p.item)
				p.item = nil
			case p.item != nil && e.field != nil && (len(stack) == 0 || stack[len(stack)-1].field != e.field):
				p.setItemField(e)
			case p.item == nil && e.field != nil && (len(stack) == 0 || stack[len(stack)-1].field != e.field):
				text := strings.TrimSpace(e.field.String())
				switch {
				case e.name == "title" && p.feed.Title == "":
					p.feed.Title = text
				case e.name == "link" && p.feed.Link == "" && text != "":
					p.feed.Link = text
				}
			}
		}
	}
	if p.lr.over {
		return nil, p.fail(ErrFeedTooLarge)
	}
	if root == "" {
		return nil, p.fail(ErrNotFeed)
	}
	p.feed.Format = root
	return &p.feed, nil
}

func fieldName(stack []elem) string {
	for i := len(stack) - 1; i > 0; i-- {
		if stack[i-1].field != stack[i].field {
			return stack[i].name
		}
	}
	return stack[len(stack)-1].name
}

func attr(as []xml.Attr, name string) string {
	for _, a := range as {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// The namespaces of the fields read: RSS 2.0 (none), RSS 1.0 and 0.9,
// Atom, and the content and Dublin Core modules.
const (
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
)

var coreSpace = map[string]bool{"": true, "http://www.w3.org/2005/Atom": true, "http://purl.org/rss/1.0/": true,
	"http://my.netscape.com/rdf/simple/0.9/": true, "http://backend.userland.com/rss2": true}

// setItemField stores the text gathered for one field of the current item.
func (p *feedParser) setItemField(e elem) {
	it := p.item
	switch {
	case e.name == "encoded" && e.space != nsContent && e.space != "content":
		return
	case e.name == "date" && e.space != nsDC && e.space != "dc":
		return
	case e.name != "encoded" && e.name != "date" && !coreSpace[e.space]:
		// Another vocabulary's element of the same name (media:content,
		// media:title, itunes:summary): not the item's own field.
		return
	}
	text := strings.TrimSpace(e.field.String())
	isHTML := func() bool {
		switch attr(e.attrs, "type") {
		case "html", "text/html":
			return true
		case "text", "text/plain":
			return false
		case "xhtml", "application/xhtml+xml":
			return false // gathered as text already
		}
		return looksLikeHTML(text)
	}
	switch e.name {
	case "title":
		if it.Title == "" {
			it.Title = htmlTitle(text, attr(e.attrs, "type"))
		}
	case "link":
		if it.Link == "" && text != "" {
			it.Link = text
		}
	case "guid", "id":
		if it.GUID == "" {
			it.GUID = text
		}
	case "encoded", "content":
		// content:encoded (RSS) or content (Atom) wins over a description.
		if text != "" && (!it.fromContent || len(text) > len(it.Body)) {
			it.Body, it.HTML = text, isHTML()
			it.fromContent = true
		}
	case "description", "summary":
		if it.Body == "" && text != "" {
			it.Body, it.HTML = text, isHTML()
		}
	case "pubDate", "date", "published", "updated", "issued", "modified":
		if text == "" {
			return
		}
		// pubDate and published win over updated.
		if it.DateText != "" && (e.name == "updated" || e.name == "modified") {
			return
		}
		it.DateText = text
		it.Published, _ = ParseDate(text)
	}
}

func htmlTitle(s, typ string) string {
	if typ == "html" || looksLikeHTML(s) {
		return strings.TrimSpace(stripTags(s))
	}
	return s
}

// looksLikeHTML reports whether s holds an HTML tag or entity.
func looksLikeHTML(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '<' {
			c := s[i+1]
			if c == '/' || c == '!' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
				return true
			}
		}
	}
	return strings.Contains(s, "&amp;") || strings.Contains(s, "&#") || strings.Contains(s, "&nbsp;")
}

// stripTags removes the tags of a short HTML fragment (a title).
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}

// dateLayouts are the date formats of feeds: RFC 822/1123 in its variants
// (RSS), RFC 3339 (Atom, dc:date) and a few seen in the wild.
var dateLayouts = []string{
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 02 Jan 2006 15:04 -0700", "Mon, 2 Jan 2006 15:04 -0700", "02 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700",
	"Mon, 02 Jan 06 15:04:05 -0700", time.RFC822Z, time.RFC822,
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05", "2006-01-02",
}

// ParseDate reads a feed date in any of the usual formats; it returns false
// when none fits.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
