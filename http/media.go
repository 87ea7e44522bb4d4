package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/document"
	"github.com/interdict/interdict/media"
)

// mediaRoutes are the adverse-media routes: stored data, so each needs a
// user with a role (reading: who may read the book; ingesting, which
// raises alerts: who may change it).
func (s *Server) mediaRoutes() []route {
	return []route{
		{pattern: "POST /v1/media", api: true, access: accessBookWrite, handler: s.handleMediaIngest, maxBody: s.documentLimits().MaxBytes},
		{pattern: "GET /v1/media", api: true, access: accessBookRead, handler: s.handleMediaList},
		{pattern: "GET /v1/media/{id}", api: true, access: accessBookRead, handler: s.handleMediaGet},
		{pattern: "GET /media", access: accessBookRead, handler: s.uiMedia},
		{pattern: "GET /media/{id}", access: accessBookRead, handler: s.uiArticle},
	}
}

func (s *Server) media() (*media.Service, error) {
	if s.Media == nil {
		return nil, newProblem(http.StatusServiceUnavailable, "This server keeps no adverse-media record.")
	}
	return s.Media, nil
}

// mediaArticle is the JSON body of POST /v1/media for one article.
type mediaArticle struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	Source    string `json:"source"`
	Published string `json:"published"`
	Text      string `json:"text"`
}

// handleMediaIngest is POST /v1/media: an RSS or Atom feed (its items),
// a document (text, HTML, PDF, DOCX) as a multipart upload or a raw body,
// or one article as JSON.
func (s *Server) handleMediaIngest(w http.ResponseWriter, r *http.Request) {
	m, err := s.media()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	lim := s.documentLimits()
	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxBytes)
	tooLarge := func(err error) bool {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || errors.Is(err, document.ErrTooLarge) || errors.Is(err, media.ErrFeedTooLarge) {
			s.writeError(w, r, problemf(http.StatusRequestEntityTooLarge, "The body is larger than the limit of %d bytes.", lim.MaxBytes))
			return true
		}
		return false
	}
	ctype := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ctype)
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	var rep *media.Report
	switch mt {
	case "application/json":
		var req mediaArticle
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			if !tooLarge(err) {
				s.writeError(w, r, problemf(http.StatusBadRequest, "The body is not a JSON article ({\"title\", \"url\", \"source\", \"published\", \"text\"}): %s.", err.Error()))
			}
			return
		}
		if strings.TrimSpace(req.Text) == "" {
			s.writeError(w, r, unprocessable("text", "is required"))
			return
		}
		d := media.Draft{Title: strings.TrimSpace(req.Title), URL: strings.TrimSpace(req.URL), Source: strings.TrimSpace(req.Source), Feed: "api", Text: req.Text}
		if req.Published != "" {
			t, ok := media.ParseDate(req.Published)
			if !ok {
				s.writeError(w, r, unprocessable("published", "is not a date (RFC 3339 or RFC 1123)"))
				return
			}
			d.Published = t
		}
		if d.Title != "" && !strings.HasPrefix(strings.TrimSpace(d.Text), d.Title) {
			d.Text = d.Title + "\n\n" + d.Text
		}
		rep = &media.Report{Input: "api", Format: document.FormatText, Source: d.Source}
		o := m.IngestArticle(r.Context(), actor(r), d)
		rep.Articles = append(rep.Articles, o)
		switch {
		case o.Error != "":
			rep.Failed++
		case o.Duplicate:
			rep.Duplicates++
		default:
			rep.Stored++
		}
		rep.Alerts = len(o.Alerts)
	case "multipart/form-data":
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			if !tooLarge(err) {
				s.writeError(w, r, problemf(http.StatusBadRequest, "The form could not be read: %s.", err.Error()))
			}
			return
		}
		f, hdr, err := r.FormFile("file")
		if err != nil {
			s.writeError(w, r, unprocessable("file", "is required"))
			return
		}
		defer f.Close()
		data, err := document.ReadAll(f, lim.MaxBytes)
		if err != nil {
			if !tooLarge(err) {
				s.writeError(w, r, problemf(http.StatusBadRequest, "The file could not be read."))
			}
			return
		}
		rep, err = m.IngestData(r.Context(), actor(r), filepath.Base(hdr.Filename), data, hdr.Header.Get("Content-Type"))
		if err != nil {
			s.mediaError(w, r, err)
			return
		}
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
		"text/plain", "text/html", "application/xhtml+xml", "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/octet-stream":
		data, err := document.ReadAll(r.Body, lim.MaxBytes)
		if err != nil {
			if !tooLarge(err) {
				s.writeError(w, r, problemf(http.StatusBadRequest, "The body could not be read."))
			}
			return
		}
		if len(bytes.TrimSpace(data)) == 0 {
			s.writeError(w, r, unprocessable("body", "is empty"))
			return
		}
		if name == "" {
			name = "upload"
		}
		rep, err = m.IngestData(r.Context(), actor(r), name, data, ctype)
		if err != nil {
			s.mediaError(w, r, err)
			return
		}
	default:
		s.writeError(w, r, newProblem(http.StatusUnsupportedMediaType, "Send a feed (application/rss+xml, application/atom+xml), a document (text/plain, text/html, application/pdf, DOCX, or a multipart/form-data upload in field \"file\") or one article as application/json."))
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// mediaError answers an input that could not be ingested: a refused feed
// or an unreadable document is 422 with its message.
func (s *Server) mediaError(w http.ResponseWriter, r *http.Request, err error) {
	var fe *media.FeedError
	switch {
	case errors.Is(err, media.ErrFeedTooLarge) || errors.Is(err, document.ErrTooLarge):
		s.writeError(w, r, problemf(http.StatusRequestEntityTooLarge, "%s", truncate(err.Error(), 1000)))
	case errors.As(err, &fe):
		s.writeError(w, r, problemf(http.StatusUnprocessableEntity, "%s", truncate(err.Error(), 1000)))
	case r.Context().Err() != nil:
		s.writeError(w, r, err)
	case interdict.ErrorCode(err) == interdict.EINTERNAL:
		// The input could not be read (the feed or document parsers).
		s.writeError(w, r, problemf(http.StatusUnprocessableEntity, "The input could not be read: %s.", truncate(err.Error(), 1000)))
	default:
		s.writeError(w, r, err)
	}
}

// MediaResponse is the body of GET /v1/media: one page of the articles the
// filters select (without their text), newest first, and their number.
type MediaResponse struct {
	Articles []*interdict.Article `json:"articles"`
	Total    int                  `json:"total"`
	Offset   int                  `json:"offset"`
	Limit    int                  `json:"limit"`
}

func (s *Server) findArticles(r *http.Request) (*MediaResponse, interdict.ArticleFilter, error) {
	v := r.URL.Query()
	f := interdict.ArticleFilter{EntityID: v.Get("entity"), PartyID: v.Get("party"), Topic: v.Get("topic"), Query: v.Get("q")}
	m, err := s.media()
	if err != nil {
		return nil, f, err
	}
	offset, limit, err := paging(v)
	if err != nil {
		return nil, f, err
	}
	f.Offset, f.Limit = offset, limit
	as, n, err := m.Store().FindArticles(r.Context(), f)
	if err != nil {
		return nil, f, err
	}
	if as == nil {
		as = []*interdict.Article{}
	}
	return &MediaResponse{Articles: as, Total: n, Offset: offset, Limit: limit}, f, nil
}

func (s *Server) handleMediaList(w http.ResponseWriter, r *http.Request) {
	res, _, err := s.findArticles(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleMediaGet(w http.ResponseWriter, r *http.Request) {
	m, err := s.media()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := m.Store().FindArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// mediaPage is the Media page: the articles with their parties, listed
// entities and topics, and the filters.
type mediaPage struct {
	page
	Res        *MediaResponse
	Filter     interdict.ArticleFilter
	Topics     []string
	Prev, Next string
	Error      string
}

func mediaURL(f interdict.ArticleFilter, offset int) string {
	v := url.Values{}
	for k, x := range map[string]string{"entity": f.EntityID, "party": f.PartyID, "topic": f.Topic, "q": f.Query} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	if len(v) == 0 {
		return "/media"
	}
	return "/media?" + v.Encode()
}

// uiMedia is GET /media: the stored articles, newest first, filtered by
// listed entity, party of the book, topic or title.
func (s *Server) uiMedia(w http.ResponseWriter, r *http.Request) {
	data := mediaPage{page: s.page(r, "media"), Topics: mediaTopics}
	res, f, err := s.findArticles(r)
	data.Filter = f
	status := http.StatusOK
	if err != nil {
		p := toProblem(err)
		if p.Status >= 500 && p.Status != http.StatusServiceUnavailable {
			s.logger(r).Error("media", "err", err.Error())
		}
		data.Error, status = p.Detail, p.Status
	} else {
		data.Res = res
		if res.Offset > 0 {
			data.Prev = mediaURL(f, max(res.Offset-res.Limit, 0))
		}
		if res.Offset+len(res.Articles) < res.Total {
			data.Next = mediaURL(f, res.Offset+res.Limit)
		}
	}
	s.render(w, r, status, "media", "layout", data)
}

// mediaTopics are the risk topics of the scanner, for the filter.
var mediaTopics = []string{"sanctions-evasion", "smuggling", "arrest-indictment", "proliferation", "terrorism-financing", "defection", "fraud"}

// articlePage is one article: its text with the mentions highlighted.
type articlePage struct {
	page
	Article  *interdict.Article
	Segments []articleSegment
}

type articleSegment struct {
	Text    string
	Mention *interdict.ArticleMention
}

// uiArticle is GET /media/{id}: the article's data, the parties of the book
// with their alerts, and the text with every mention highlighted and one
// click from its entity or party.
func (s *Server) uiArticle(w http.ResponseWriter, r *http.Request) {
	m, err := s.media()
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	a, err := m.Store().FindArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	var segs []articleSegment
	pos := 0
	for i := range a.Mentions {
		mn := &a.Mentions[i]
		if mn.Start < pos || mn.End > len(a.Text) || mn.Start >= mn.End {
			continue
		}
		if mn.Start > pos {
			segs = append(segs, articleSegment{Text: a.Text[pos:mn.Start]})
		}
		segs = append(segs, articleSegment{Text: a.Text[mn.Start:mn.End], Mention: mn})
		pos = mn.End
	}
	if pos < len(a.Text) {
		segs = append(segs, articleSegment{Text: a.Text[pos:]})
	}
	s.render(w, r, http.StatusOK, "article", "layout", articlePage{page: s.page(r, "media"), Article: a, Segments: segs})
}
