package interdict

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Article is one piece of adverse media: a news article, press release or
// document ingested from a file or a feed, kept with what the scanner found
// in it: the mentions of listed parties, embargoed places and controlled
// goods, the mentions of parties of the book, and the risk topics.
type Article struct {
	// ID is unique; CreateArticle sets it when empty.
	ID string `json:"id"`
	// URL is where the article is published ("" for a local file);
	// Source is the feed's or the publisher's name, or the file name;
	// Feed is the file or URL it was ingested from.
	URL    string `json:"url,omitempty"`
	Title  string `json:"title"`
	Source string `json:"source,omitempty"`
	Feed   string `json:"feed,omitempty"`
	// Published is the publication date the feed or document gives (zero
	// when unknown).
	Published time.Time `json:"published,omitzero"`
	// Text is the article's plain text, as scanned: the offsets of the
	// mentions are in it.
	Text string `json:"text,omitempty"`
	// Hash is ContentHash(Text): an article whose text is stored already
	// is not stored again.
	Hash string `json:"hash"`
	// Mentions are the mentions found in Text, in order.
	Mentions []ArticleMention `json:"mentions"`
	// Topics are the risk topics of the article.
	Topics []ArticleTopic `json:"topics"`
	// Parties are the parties of the book the article mentions.
	Parties    []ArticleParty `json:"parties"`
	IngestedAt time.Time      `json:"ingested_at"`
}

// Mention kinds of an article. MentionBookParty is a mention of a party of
// the book; the others are the scanner's (listed party, place, goods).
const (
	MentionParty     = "party"
	MentionPlace     = "place"
	MentionGoods     = "goods"
	MentionBookParty = "book"
)

// ArticleMention is one mention in an article: of a listed party (Kind
// "party", EntityID the listed entity), an embargoed place ("place",
// EntityID "place:IR"), a controlled-goods term ("goods", EntityID
// "goods:9A012") or a party of the book ("book", PartyID the book's ID).
type ArticleMention struct {
	Kind     string `json:"kind"`
	EntityID string `json:"entity_id,omitempty"`
	PartyID  string `json:"party_id,omitempty"`
	// Name is the listed (or book) name; Text the mention as written.
	Name string `json:"name"`
	Text string `json:"text"`
	// Start and End are byte offsets in Article.Text; CharStart and
	// CharEnd the same in characters.
	Start     int    `json:"start"`
	End       int    `json:"end"`
	CharStart int    `json:"char_start"`
	CharEnd   int    `json:"char_end"`
	Sentence  string `json:"sentence"`
	// Score is in [0, 1]; Why explains it in one line.
	Score float64 `json:"score"`
	Why   string  `json:"why,omitempty"`
}

// ArticleTopic is a risk topic of an article with its supporting
// sentences and terms.
type ArticleTopic struct {
	Topic     string   `json:"topic"`
	Sentences []string `json:"sentences"`
	Terms     []string `json:"terms,omitempty"`
}

// ArticleParty is a party of the book an article mentions: how often, how
// well, with which risk topics near its mentions, and the alert raised for
// it ("" when none was).
type ArticleParty struct {
	PartyID string  `json:"party_id"`
	Name    string  `json:"name"`
	Count   int     `json:"count"`
	Score   float64 `json:"score"`
	// Topics are the risk topics supported in a sentence that mentions
	// the party or in the sentence after it.
	Topics  []string `json:"topics,omitempty"`
	AlertID string   `json:"alert_id,omitempty"`
}

// EntityIDs returns the listed entities the article mentions (kind
// "party"), each once, in order of first mention.
func (a *Article) EntityIDs() []string {
	var ids []string
	seen := map[string]bool{}
	for _, m := range a.Mentions {
		if m.Kind == MentionParty && m.EntityID != "" && !seen[m.EntityID] {
			seen[m.EntityID] = true
			ids = append(ids, m.EntityID)
		}
	}
	return ids
}

// ContentHash returns the hex SHA-256 of text with its white space
// collapsed to single spaces and trimmed, so that the same article read
// twice, or from a feed and from a file, hashes alike.
func ContentHash(text string) string {
	h := sha256.New()
	space := false
	started := false
	var buf [4]byte
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = started
			continue
		}
		if space {
			h.Write([]byte{' '})
			space = false
		}
		started = true
		n := utf8.EncodeRune(buf[:], r)
		h.Write(buf[:n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ArticleFilter selects articles; zero fields select all.
type ArticleFilter struct {
	// EntityID selects articles mentioning a listed entity; PartyID
	// articles mentioning a party of the book; Topic articles with a risk
	// topic.
	EntityID string
	PartyID  string
	Topic    string
	// Query selects articles whose title contains it (case-insensitive).
	Query string
	// Offset and Limit page the result, newest first (by ingestion);
	// Limit 0 means no limit.
	Offset int
	Limit  int
}

// Normalized returns f with its fields trimmed.
func (f ArticleFilter) Normalized() ArticleFilter {
	f.EntityID = strings.TrimSpace(f.EntityID)
	f.PartyID = strings.TrimSpace(f.PartyID)
	f.Topic = strings.TrimSpace(f.Topic)
	f.Query = strings.TrimSpace(f.Query)
	return f
}

// MediaStore keeps the adverse-media articles with their mentions, topics
// and the parties of the book they mention, and records which alerts were
// raised for which article and party.
type MediaStore interface {
	// CreateArticle stores a new article. It sets a.ID when empty and
	// a.IngestedAt. Returns EINVALID without a hash or a title, and
	// ECONFLICT when an article with the same hash, or the same URL
	// (when not empty), is stored already.
	CreateArticle(ctx context.Context, a *Article) error

	// FindArticle returns an article with its text. Returns ENOTFOUND if
	// it does not exist.
	FindArticle(ctx context.Context, id string) (*Article, error)

	// FindArticleByKey returns the article stored with the hash or, when
	// url is not empty, the URL. Returns ENOTFOUND if there is none.
	FindArticleByKey(ctx context.Context, hash, url string) (*Article, error)

	// FindArticles returns the articles f selects, newest first, without
	// their text, and the number f selects without Offset and Limit.
	FindArticles(ctx context.Context, f ArticleFilter) ([]*Article, int, error)

	// ClaimArticleAlert claims the alert of a party of the book on an
	// article: it reports true the first time for the pair, false after.
	// Of two concurrent claims exactly one gets true. Returns ENOTFOUND
	// if the article does not list the party among its Parties.
	ClaimArticleAlert(ctx context.Context, articleID, partyID string) (bool, error)

	// SetArticleAlert records the alert raised on a claimed pair; an
	// empty alertID releases the claim (the alert could not be raised).
	// Returns ENOTFOUND if the article does not list the party.
	SetArticleAlert(ctx context.Context, articleID, partyID, alertID string) error
}
