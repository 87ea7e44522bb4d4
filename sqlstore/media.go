package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/interdict/interdict"
)

// MediaStore implements interdict.MediaStore: adverse-media articles, what
// they mention, and the alerts raised on them.
type MediaStore struct {
	db     *DB
	writes *writeQueue
}

var _ interdict.MediaStore = (*MediaStore)(nil)

// NewMediaStore returns a MediaStore on db.
func NewMediaStore(db *DB) *MediaStore {
	return &MediaStore{db: db, writes: &writeQueue{on: db.Dialect.SerializeWrites}}
}

func mediaJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// CreateArticle implements interdict.MediaStore.
func (s *MediaStore) CreateArticle(ctx context.Context, a *interdict.Article) (err error) {
	defer Wrap(&err, "create article")
	if strings.TrimSpace(a.Hash) == "" || strings.TrimSpace(a.Title) == "" {
		return interdict.Errorf(interdict.EINVALID, "An article needs a content hash and a title.")
	}
	if a.ID == "" {
		a.ID = interdict.NewID()
	}
	a.IngestedAt = s.db.Now().UTC().Truncate(time.Microsecond)
	if a.Mentions == nil {
		a.Mentions = []interdict.ArticleMention{}
	}
	if a.Topics == nil {
		a.Topics = []interdict.ArticleTopic{}
	}
	if a.Parties == nil {
		a.Parties = []interdict.ArticleParty{}
	}
	mentions, err := mediaJSON(a.Mentions)
	if err != nil {
		return err
	}
	topics, err := mediaJSON(a.Topics)
	if err != nil {
		return err
	}
	defer s.writes.lock()()
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, s.db.rebind(`INSERT INTO articles (id, url, title, source, feed, published, text, hash, mentions, topics, ingested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		a.ID, a.URL, a.Title, a.Source, a.Feed, s.db.ts(a.Published), a.Text, a.Hash, mentions, topics, s.db.ts(a.IngestedAt))
	if s.db.Dialect.IsUnique(err) {
		return interdict.Errorf(interdict.ECONFLICT, "Article %q is stored already (same text or URL).", a.Title)
	}
	if err != nil {
		return err
	}
	refs := map[[2]string]bool{}
	for _, id := range a.EntityIDs() {
		refs[[2]string{"entity", id}] = true
	}
	for _, t := range a.Topics {
		refs[[2]string{"topic", t.Topic}] = true
	}
	for r := range refs {
		if _, err := tx.ExecContext(ctx, s.db.rebind(`INSERT INTO article_refs (article_id, kind, ref) VALUES (?, ?, ?)`), a.ID, r[0], r[1]); err != nil {
			return err
		}
	}
	for _, p := range a.Parties {
		topics, err := mediaJSON(nonNil(p.Topics))
		if err != nil {
			return err
		}
		claimed := p.AlertID != ""
		if _, err := tx.ExecContext(ctx, s.db.rebind(`INSERT INTO article_parties (article_id, party_id, name, count, score, topics, claimed, alert_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			a.ID, p.PartyID, p.Name, p.Count, p.Score, topics, claimed, p.AlertID); err != nil {
			if s.db.Dialect.IsUnique(err) {
				return interdict.Errorf(interdict.EINVALID, "Article %q lists party %s twice.", a.Title, p.PartyID)
			}
			return err
		}
	}
	return tx.Commit()
}

const articleColumns = `id, url, title, source, feed, published, hash, mentions, topics, ingested_at`

func (s *MediaStore) scanArticle(sc scanner, text *string) (*interdict.Article, error) {
	var a interdict.Article
	var mentions, topics string
	dest := []any{&a.ID, &a.URL, &a.Title, &a.Source, &a.Feed, s.db.tsCol(&a.Published), &a.Hash, &mentions, &topics, s.db.tsCol(&a.IngestedAt)}
	if text != nil {
		dest = append(dest, text)
	}
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(mentions), &a.Mentions); err != nil {
		return nil, fmt.Errorf("article %s: mentions: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(topics), &a.Topics); err != nil {
		return nil, fmt.Errorf("article %s: topics: %w", a.ID, err)
	}
	return &a, nil
}

// parties reads the book parties of the articles, by article ID.
func (s *MediaStore) parties(ctx context.Context, as []*interdict.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID := map[string]*interdict.Article{}
	args := make([]any, len(as))
	for i, a := range as {
		a.Parties = []interdict.ArticleParty{}
		byID[a.ID] = a
		args[i] = a.ID
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(`SELECT article_id, party_id, name, count, score, topics, alert_id FROM article_parties
		WHERE article_id IN (?`+strings.Repeat(", ?", len(as)-1)+`) ORDER BY article_id, party_id`), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, topics string
		var p interdict.ArticleParty
		if err := rows.Scan(&id, &p.PartyID, &p.Name, &p.Count, &p.Score, &topics, &p.AlertID); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(topics), &p.Topics); err != nil {
			return fmt.Errorf("article %s party %s: topics: %w", id, p.PartyID, err)
		}
		if len(p.Topics) == 0 {
			p.Topics = nil
		}
		if a := byID[id]; a != nil {
			a.Parties = append(a.Parties, p)
		}
	}
	return rows.Err()
}

// FindArticle implements interdict.MediaStore.
func (s *MediaStore) FindArticle(ctx context.Context, id string) (_ *interdict.Article, err error) {
	defer Wrap(&err, "find article")
	return s.findOne(ctx, `WHERE id = ?`, []any{id}, func() error {
		return interdict.Errorf(interdict.ENOTFOUND, "No article %s.", id)
	})
}

func (s *MediaStore) findOne(ctx context.Context, where string, args []any, notFound func() error) (*interdict.Article, error) {
	var text string
	a, err := s.scanArticle(s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT `+articleColumns+`, text FROM articles `+where+` ORDER BY seq LIMIT 1`), args...), &text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound()
	}
	if err != nil {
		return nil, err
	}
	a.Text = text
	if err := s.parties(ctx, []*interdict.Article{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// FindArticleByKey implements interdict.MediaStore.
func (s *MediaStore) FindArticleByKey(ctx context.Context, hash, url string) (_ *interdict.Article, err error) {
	defer Wrap(&err, "find article")
	notFound := func() error { return interdict.Errorf(interdict.ENOTFOUND, "No article with this text or URL.") }
	if url == "" {
		return s.findOne(ctx, `WHERE hash = ?`, []any{hash}, notFound)
	}
	return s.findOne(ctx, `WHERE hash = ? OR url = ?`, []any{hash, url}, notFound)
}

// FindArticles implements interdict.MediaStore.
func (s *MediaStore) FindArticles(ctx context.Context, f interdict.ArticleFilter) (_ []*interdict.Article, n int, err error) {
	defer Wrap(&err, "find articles")
	f = f.Normalized()
	var where []string
	var args []any
	if f.EntityID != "" {
		where = append(where, `id IN (SELECT article_id FROM article_refs WHERE kind = 'entity' AND ref = ?)`)
		args = append(args, f.EntityID)
	}
	if f.Topic != "" {
		where = append(where, `id IN (SELECT article_id FROM article_refs WHERE kind = 'topic' AND ref = ?)`)
		args = append(args, f.Topic)
	}
	if f.PartyID != "" {
		where = append(where, `id IN (SELECT article_id FROM article_parties WHERE party_id = ?)`)
		args = append(args, f.PartyID)
	}
	if f.Query != "" {
		where = append(where, s.db.Dialect.Contains("title"))
		args = append(args, f.Query)
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	if err := s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT count(*) FROM articles`+w), args...).Scan(&n); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + articleColumns + ` FROM articles` + w + ` ORDER BY seq DESC` + s.db.page(f.Offset, f.Limit)
	rows, err := s.db.SQL.QueryContext(ctx, s.db.rebind(q), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	as := []*interdict.Article{}
	for rows.Next() {
		a, err := s.scanArticle(rows, nil)
		if err != nil {
			return nil, 0, err
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	if err := s.parties(ctx, as); err != nil {
		return nil, 0, err
	}
	return as, n, nil
}

// ClaimArticleAlert implements interdict.MediaStore.
func (s *MediaStore) ClaimArticleAlert(ctx context.Context, articleID, partyID string) (_ bool, err error) {
	defer Wrap(&err, "claim article alert")
	defer s.writes.lock()()
	res, err := s.db.SQL.ExecContext(ctx, s.db.rebind(`UPDATE article_parties SET claimed = true WHERE article_id = ? AND party_id = ? AND claimed = false`), articleID, partyID)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, err
	} else if n == 1 {
		return true, nil
	}
	var one int
	err = s.db.SQL.QueryRowContext(ctx, s.db.rebind(`SELECT 1 FROM article_parties WHERE article_id = ? AND party_id = ?`), articleID, partyID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, interdict.Errorf(interdict.ENOTFOUND, "Article %s does not mention party %s.", articleID, partyID)
	}
	return false, err
}

// SetArticleAlert implements interdict.MediaStore.
func (s *MediaStore) SetArticleAlert(ctx context.Context, articleID, partyID, alertID string) (err error) {
	defer Wrap(&err, "set article alert")
	claimed := alertID != ""
	defer s.writes.lock()()
	res, err := s.db.SQL.ExecContext(ctx, s.db.rebind(`UPDATE article_parties SET claimed = ?, alert_id = ? WHERE article_id = ? AND party_id = ?`), claimed, alertID, articleID, partyID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return interdict.Errorf(interdict.ENOTFOUND, "Article %s does not mention party %s.", articleID, partyID)
	}
	return nil
}
