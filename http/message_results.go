package http

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/interdict/interdict"
)

// messageResultRoutes are the stored results of the messages screened
// from a stream ('interdict messages consume'): one message's result, and
// pages of them, newest first. They are read as the book is.
func (s *Server) messageResultRoutes() []route {
	return []route{
		{pattern: "GET /v1/messages", api: true, access: accessBookRead, handler: s.handleMessageResults},
		{pattern: "GET /v1/messages/{id}", api: true, access: accessBookRead, handler: s.handleMessageResult},
	}
}

// StoredMessage is a stored message result as the API gives it: the
// screening result (message.Result) as JSON, not encoded.
type StoredMessage struct {
	ID         string          `json:"id"`
	Format     string          `json:"format"`
	Decision   string          `json:"decision"`
	Alerts     int             `json:"alerts"`
	Source     string          `json:"source,omitempty"`
	Deliveries int             `json:"deliveries"`
	CreatedAt  time.Time       `json:"created_at"`
	Result     json.RawMessage `json:"result"`
}

func storedMessage(r *interdict.MessageResult) StoredMessage {
	res := json.RawMessage(r.Result)
	if !json.Valid(res) {
		res = json.RawMessage("null")
	}
	return StoredMessage{ID: r.ID, Format: r.Format, Decision: r.Decision, Alerts: r.Alerts, Source: r.Source,
		Deliveries: r.Deliveries, CreatedAt: r.CreatedAt, Result: res}
}

// StoredMessagesResponse is the body of GET /v1/messages: one page of
// results, newest first, the number the filter selects, and the cursor of
// the next page ("" after the last).
type StoredMessagesResponse struct {
	Messages   []StoredMessage `json:"messages"`
	Total      int             `json:"total"`
	Limit      int             `json:"limit"`
	NextCursor string          `json:"next_cursor"`
}

func (s *Server) messageResults() (interdict.MessageResultStore, error) {
	if s.MessageResults == nil {
		return nil, newProblem(http.StatusServiceUnavailable, "This server keeps no message results.")
	}
	return s.MessageResults, nil
}

func (s *Server) handleMessageResult(w http.ResponseWriter, r *http.Request) {
	st, err := s.messageResults()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := st.FindMessageResult(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, storedMessage(res))
}

// handleMessageResults answers GET /v1/messages?decision=hold&limit=&cursor=.
func (s *Server) handleMessageResults(w http.ResponseWriter, r *http.Request) {
	st, err := s.messageResults()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v := r.URL.Query()
	f := interdict.MessageResultFilter{Decision: v.Get("decision")}
	switch f.Decision {
	case "", interdict.MessageHold, interdict.MessageRelease:
	default:
		s.writeError(w, r, problemf(http.StatusBadRequest, "Parameter \"decision\" must be %q or %q, not %q.", interdict.MessageHold, interdict.MessageRelease, truncate(f.Decision, 20)))
		return
	}
	limit, err := intParam(v, "limit")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if limit == 0 {
		limit = 50
	}
	limit = min(limit, maxPage)
	if c := v.Get("cursor"); c != "" {
		id, err := base64.RawURLEncoding.DecodeString(c)
		if err != nil || len(id) == 0 {
			s.writeError(w, r, problemf(http.StatusBadRequest, "Parameter \"cursor\" %q is not a cursor this server gave (next_cursor).", truncate(c, 40)))
			return
		}
		f.Before = string(id)
	}
	// One more than the page: whether there is a next page.
	f.Limit = limit + 1
	rs, err := st.FindMessageResults(r.Context(), f)
	if interdict.ErrorCode(err) == interdict.EINVALID && f.Before != "" {
		s.writeError(w, r, problemf(http.StatusBadRequest, "Parameter \"cursor\" names no stored message result."))
		return
	} else if err != nil {
		s.writeError(w, r, err)
		return
	}
	total, err := st.CountMessageResults(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := StoredMessagesResponse{Messages: make([]StoredMessage, 0, min(len(rs), limit)), Total: total, Limit: limit}
	if len(rs) > limit {
		rs = rs[:limit]
		resp.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(rs[len(rs)-1].ID))
	}
	for _, m := range rs {
		resp.Messages = append(resp.Messages, storedMessage(m))
	}
	writeJSON(w, http.StatusOK, resp)
}

// messageFinding reports whether an alert's entity is what holds a
// message other than a listed party (review.Finding): an embargoed
// country, place or region, or controlled goods.
func messageFinding(entityID string) bool {
	for _, p := range []string{"place:", "region:", "goods:"} {
		if strings.HasPrefix(entityID, p) {
			return true
		}
	}
	return false
}
