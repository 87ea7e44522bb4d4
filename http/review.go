package http

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/interdict/interdict"
)

// Workflow makes the changes of the review routes: it keeps the book,
// screens the parties put in it, and decides alerts under the four-eyes
// rule, recording each change in the audit trail under the acting user's
// name. review.Service implements it.
type Workflow interface {
	// PutParty stores a party of the book and screens it; it returns
	// whether the party's data changed and the alerts raised.
	PutParty(ctx context.Context, actor string, p *interdict.Party) (changed bool, alerts []*interdict.Alert, err error)
	// DeleteParty takes a party off the book; it keeps its history.
	// Returns ENOTFOUND if the book has no such party.
	DeleteParty(ctx context.Context, actor, id string) error
	// Decide records actor's decision on an alert. A decision that needs
	// four eyes is proposed; any other is applied. Returns ECONFLICT when
	// the alert changed since d.Version (a concurrent decision), EINVALID
	// for a decision that does not apply, ENOTFOUND for a missing alert.
	Decide(ctx context.Context, actor, alertID string, d DecisionRequest) (*interdict.Alert, *interdict.Decision, error)
	// Approve approves (or, with approve false, rejects) the proposal
	// awaiting approval on an alert. Returns EFORBIDDEN when actor
	// proposed it, ENOTFOUND when no proposal awaits, ECONFLICT when the
	// alert changed meanwhile.
	Approve(ctx context.Context, actor, alertID string, approve bool, comment string) (*interdict.Alert, *interdict.Decision, error)
	// Comment adds actor's comment to an alert.
	Comment(ctx context.Context, actor, alertID, text string) (*interdict.Alert, error)
	// Assign gives an alert to assignee ("" to nobody).
	Assign(ctx context.Context, actor, alertID, assignee string) (*interdict.Alert, error)
}

// reviewRoutes are the book, alert, decision, audit and user routes, and
// sign-out. None is open to the local user or a token-file token.
func (s *Server) reviewRoutes() []route {
	api := func(pattern string, ac access, h http.HandlerFunc) route {
		return route{pattern: pattern, api: true, access: ac, handler: h}
	}
	ui := func(pattern string, ac access, h http.HandlerFunc) route {
		return route{pattern: pattern, access: ac, handler: h}
	}
	return []route{
		api("PUT /v1/parties/{id}", accessBookWrite, s.handlePartyPut),
		api("GET /v1/parties/{id}", accessBookRead, s.handlePartyGet),
		api("DELETE /v1/parties/{id}", accessBookWrite, s.handlePartyDelete),
		api("GET /v1/parties", accessBookRead, s.handleParties),
		api("GET /v1/alerts", accessAlerts, s.handleAlerts),
		api("GET /v1/alerts/{id}", accessAlerts, s.handleAlert),
		api("POST /v1/alerts/{id}/decision", accessAlerts, s.handleDecision),
		api("POST /v1/alerts/{id}/approval", accessApprove, s.handleApproval),
		api("POST /v1/alerts/{id}/comments", accessAlerts, s.handleComment),
		api("POST /v1/alerts/{id}/assignee", accessAlerts, s.handleAssign),
		api("GET /v1/audit", accessAudit, s.handleAudit),
		api("GET /v1/audit/export", accessAudit, s.handleAuditExport),
		api("GET /v1/users", accessAdmin, s.handleUsers),
		api("POST /v1/users", accessAdmin, s.handleUserCreate),
		api("PATCH /v1/users/{name}", accessAdmin, s.handleUserUpdate),
		api("POST /v1/users/{name}/keys", accessAdmin, s.handleAPIKeyCreate),
		api("DELETE /v1/users/{name}/keys/{id}", accessAdmin, s.handleAPIKeyDelete),

		ui("GET /alerts", accessAlerts, s.uiAlerts),
		ui("GET /alerts/{id}", accessAlerts, s.uiAlert),
		ui("POST /alerts/{id}/decision", accessAlerts, s.uiDecision),
		ui("POST /alerts/{id}/approval", accessApprove, s.uiApproval),
		ui("POST /alerts/{id}/comments", accessAlerts, s.uiComment),
		ui("POST /alerts/{id}/assignee", accessAlerts, s.uiAssign),
		ui("GET /book", accessBookRead, s.uiBook),
		ui("GET /audit", accessAudit, s.uiAudit),
		ui("POST /logout", accessUser, s.uiLogout),
	}
}

func (s *Server) review() (interdict.ReviewStore, error) {
	if s.Review == nil {
		return nil, newProblem(http.StatusServiceUnavailable, "This server keeps no book and no alerts.")
	}
	return s.Review, nil
}

func (s *Server) workflow() (Workflow, error) {
	if s.Workflow == nil || s.Review == nil {
		return nil, newProblem(http.StatusServiceUnavailable, "This server keeps no book and no alerts.")
	}
	return s.Workflow, nil
}

// actor is the name under which the request's changes are recorded.
func actor(r *http.Request) string {
	if u := UserFrom(r.Context()); u != nil {
		return u.Name
	}
	return interdict.ActorSystem
}

// maxPage is the most rows one page of a list returns.
const maxPage = 500

// paging reads offset and limit (default 50, at most maxPage).
func paging(v url.Values) (offset, limit int, err error) {
	if offset, err = intParam(v, "offset"); err != nil {
		return 0, 0, err
	}
	if limit, err = intParam(v, "limit"); err != nil {
		return 0, 0, err
	}
	if offset < 0 || limit < 0 {
		return 0, 0, newProblem(http.StatusBadRequest, "offset and limit must not be negative.")
	}
	if limit == 0 {
		limit = 50
	}
	return offset, min(limit, maxPage), nil
}

// PartyResponse answers PUT /v1/parties/{id}: the party as stored,
// whether its data changed, and the alerts its screening raised.
type PartyResponse struct {
	Party   *interdict.Party   `json:"party"`
	Changed bool               `json:"changed"`
	Alerts  []*interdict.Alert `json:"alerts"`
}

// PartiesResponse is the body of GET /v1/parties.
type PartiesResponse struct {
	Parties []*interdict.Party `json:"parties"`
	Total   int                `json:"total"`
	Offset  int                `json:"offset"`
	Limit   int                `json:"limit"`
}

func (s *Server) handlePartyPut(w http.ResponseWriter, r *http.Request) {
	wf, err := s.workflow()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var p interdict.Party
	if err := s.decodeJSON(w, r, &p); err != nil {
		s.writeError(w, r, err)
		return
	}
	id := r.PathValue("id")
	if p.ID != "" && p.ID != id {
		s.writeError(w, r, interdict.Errorf(interdict.EINVALID, "The body's id %q is not the path's %q.", truncate(p.ID, 64), truncate(id, 64)))
		return
	}
	p.ID = id
	q := interdict.Query{Name: p.Name, Address: p.Address}
	if err := limitQuery(&q); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(id) > 200 || len(p.Aliases) > 100 || len(p.Identifiers) > 100 {
		s.writeError(w, r, interdict.Errorf(interdict.EINVALID, "A party may have an id of at most 200 characters, and at most 100 aliases and 100 identifiers."))
		return
	}
	changed, alerts, err := wf.PutParty(r.Context(), actor(r), &p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if alerts == nil {
		alerts = []*interdict.Alert{}
	}
	writeJSON(w, http.StatusOK, PartyResponse{Party: &p, Changed: changed, Alerts: alerts})
}

func (s *Server) handlePartyGet(w http.ResponseWriter, r *http.Request) {
	rs, err := s.review()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := rs.FindParty(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) handlePartyDelete(w http.ResponseWriter, r *http.Request) {
	wf, err := s.workflow()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := wf.DeleteParty(r.Context(), actor(r), r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) findParties(r *http.Request) (*PartiesResponse, error) {
	rs, err := s.review()
	if err != nil {
		return nil, err
	}
	v := r.URL.Query()
	offset, limit, err := paging(v)
	if err != nil {
		return nil, err
	}
	ps, n, err := rs.FindParties(r.Context(), interdict.PartyFilter{Removed: v.Get("removed") == "true", Offset: offset, Limit: limit})
	if err != nil {
		return nil, err
	}
	if ps == nil {
		ps = []*interdict.Party{}
	}
	return &PartiesResponse{Parties: ps, Total: n, Offset: offset, Limit: limit}, nil
}

func (s *Server) handleParties(w http.ResponseWriter, r *http.Request) {
	res, err := s.findParties(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// AlertsResponse is the body of GET /v1/alerts: one page of the alerts the
// filters select, their number, and the number of alerts in each state.
type AlertsResponse struct {
	Alerts []*interdict.Alert           `json:"alerts"`
	Total  int                          `json:"total"`
	Offset int                          `json:"offset"`
	Limit  int                          `json:"limit"`
	Counts map[interdict.AlertState]int `json:"counts"`
}

// alertQuery is the alert queue's filters as read from a URL.
type alertQuery struct {
	Filter interdict.AlertFilter
	// Age, when set, keeps the alerts raised at least that long ago.
	Age    time.Duration
	AgeRaw string
	Score  string
}

// parseAge reads an age: a Go duration ("36h") or a number of days
// ("7d").
func parseAge(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 36500 {
			return 0, interdict.Errorf(interdict.EINVALID, "age %q: give a number of days (\"7d\") or a duration (\"36h\").", truncate(s, 20))
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, interdict.Errorf(interdict.EINVALID, "age %q: give a number of days (\"7d\") or a duration (\"36h\").", truncate(s, 20))
	}
	return d, nil
}

func readAlertQuery(v url.Values) (alertQuery, error) {
	q := alertQuery{AgeRaw: v.Get("age"), Score: v.Get("score")}
	f := &q.Filter
	f.State = interdict.AlertState(v.Get("state"))
	if f.State != "" && !f.State.Valid() {
		return q, interdict.Errorf(interdict.EINVALID, "state %q is unknown; use open, in_review, true_match, false_positive or needs_info.", truncate(string(f.State), 20))
	}
	f.List = v.Get("list")
	f.Assignee = v.Get("assignee")
	if q.Score != "" {
		sc, err := strconv.ParseFloat(q.Score, 64)
		if err != nil || sc < 0 || sc > 1 {
			return q, interdict.Errorf(interdict.EINVALID, "score %q: give the lowest score, in [0, 1].", truncate(q.Score, 20))
		}
		f.MinScore = sc
	}
	if q.AgeRaw != "" {
		d, err := parseAge(q.AgeRaw)
		if err != nil {
			return q, err
		}
		q.Age = d
	}
	var err error
	f.Offset, f.Limit, err = paging(v)
	return q, err
}

// findAlerts returns one page of the queue. The store pages by the other
// filters, newest first; the alerts at least Age old are the tail of that
// order, found by a binary search of the raising times (about log2(n)
// one-row reads), so that the page and the total come from the store
// without reading every alert.
func (s *Server) findAlerts(ctx context.Context, q alertQuery) (*AlertsResponse, error) {
	rs, err := s.review()
	if err != nil {
		return nil, err
	}
	res := &AlertsResponse{Offset: q.Filter.Offset, Limit: q.Filter.Limit}
	if q.Age > 0 {
		f := q.Filter
		f.Offset, f.Limit = 0, 1
		first, total, err := rs.FindAlerts(ctx, f)
		if err != nil {
			return nil, err
		}
		cut := s.Now().Add(-q.Age)
		lo, hi := 0, total // the first alert raised at or before cut is in [lo, hi]
		if len(first) > 0 && !first[0].CreatedAt.After(cut) {
			hi = 0
		}
		for lo < hi {
			mid := lo + (hi-lo)/2
			f.Offset = mid
			as, _, err := rs.FindAlerts(ctx, f)
			if err != nil {
				return nil, err
			}
			if len(as) == 0 || !as[0].CreatedAt.After(cut) {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		res.Total = total - lo
		if q.Filter.Offset < res.Total {
			f.Offset, f.Limit = lo+q.Filter.Offset, q.Filter.Limit
			if res.Alerts, _, err = rs.FindAlerts(ctx, f); err != nil {
				return nil, err
			}
		}
	} else {
		res.Alerts, res.Total, err = rs.FindAlerts(ctx, q.Filter)
		if err != nil {
			return nil, err
		}
	}
	if res.Alerts == nil {
		res.Alerts = []*interdict.Alert{}
	}
	if res.Counts, err = rs.CountAlerts(ctx); err != nil {
		return nil, err
	}
	if res.Counts == nil {
		res.Counts = map[interdict.AlertState]int{}
	}
	return res, nil
}

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request) {
	q, err := readAlertQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.findAlerts(r.Context(), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// AlertResponse is the body of GET /v1/alerts/{id}: the alert with its
// decisions, oldest first.
type AlertResponse struct {
	Alert     *interdict.Alert      `json:"alert"`
	Decisions []*interdict.Decision `json:"decisions"`
}

func (s *Server) findAlert(ctx context.Context, id string) (*AlertResponse, error) {
	rs, err := s.review()
	if err != nil {
		return nil, err
	}
	a, err := rs.FindAlert(ctx, id)
	if err != nil {
		return nil, err
	}
	ds, err := rs.FindDecisions(ctx, id)
	if err != nil {
		return nil, err
	}
	if ds == nil {
		ds = []*interdict.Decision{}
	}
	return &AlertResponse{Alert: a, Decisions: ds}, nil
}

func (s *Server) handleAlert(w http.ResponseWriter, r *http.Request) {
	res, err := s.findAlert(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// DecisionRequest is the body of POST /v1/alerts/{id}/decision.
type DecisionRequest struct {
	State interdict.AlertState `json:"state"`
	// Suppress, for a false positive, puts the party and entity on the
	// good-guy list once approved.
	Suppress bool   `json:"suppress,omitempty"`
	Comment  string `json:"comment,omitempty"`
	// Version is the alert's version the decision was made on; 0 means
	// the current one. A decision on an older version gets 409.
	Version int `json:"version,omitempty"`
}

// ApprovalRequest is the body of POST /v1/alerts/{id}/approval.
type ApprovalRequest struct {
	// DecisionID, when given, must name the proposal awaiting approval:
	// the approver approves what they saw, not a proposal made since.
	DecisionID string `json:"decision_id,omitempty"`
	// Approve false rejects the proposal.
	Approve bool   `json:"approve"`
	Comment string `json:"comment,omitempty"`
}

// DecisionResponse answers a decision or an approval: the alert and the
// decision as stored.
type DecisionResponse struct {
	Alert    *interdict.Alert    `json:"alert"`
	Decision *interdict.Decision `json:"decision"`
}

// maxCommentLen bounds a decision's comment, in bytes.
const maxCommentLen = 4000

func (s *Server) decide(r *http.Request, req DecisionRequest) (*DecisionResponse, error) {
	wf, err := s.workflow()
	if err != nil {
		return nil, err
	}
	if !req.State.Valid() {
		return nil, interdict.Errorf(interdict.EINVALID, "state %q is unknown; use in_review, true_match, false_positive or needs_info.", truncate(string(req.State), 20))
	}
	if len(req.Comment) > maxCommentLen {
		return nil, interdict.Errorf(interdict.EINVALID, "A comment may have at most %d characters.", maxCommentLen)
	}
	a, d, err := wf.Decide(r.Context(), actor(r), r.PathValue("id"), req)
	if err != nil {
		return nil, err
	}
	return &DecisionResponse{Alert: a, Decision: d}, nil
}

func (s *Server) approve(r *http.Request, req ApprovalRequest) (*DecisionResponse, error) {
	wf, err := s.workflow()
	if err != nil {
		return nil, err
	}
	if len(req.Comment) > maxCommentLen {
		return nil, interdict.Errorf(interdict.EINVALID, "A comment may have at most %d characters.", maxCommentLen)
	}
	id := r.PathValue("id")
	if req.DecisionID != "" {
		ds, err := s.Review.FindDecisions(r.Context(), id)
		if err != nil {
			return nil, err
		}
		var pending *interdict.Decision
		for _, d := range ds {
			if d.Status == interdict.DecisionProposed {
				pending = d
			}
		}
		if pending == nil || pending.ID != req.DecisionID {
			return nil, interdict.Errorf(interdict.ECONFLICT, "Decision %s is not the proposal awaiting approval on alert %s; reload the alert.", truncate(req.DecisionID, 64), truncate(id, 64))
		}
	}
	a, d, err := wf.Approve(r.Context(), actor(r), id, req.Approve, req.Comment)
	if err != nil {
		return nil, err
	}
	return &DecisionResponse{Alert: a, Decision: d}, nil
}

func (s *Server) handleDecision(w http.ResponseWriter, r *http.Request) {
	var req DecisionRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.decide(r, req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleApproval(w http.ResponseWriter, r *http.Request) {
	var req ApprovalRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.approve(r, req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// CommentRequest is the body of POST /v1/alerts/{id}/comments.
type CommentRequest struct {
	Text string `json:"text"`
}

// AssignRequest is the body of POST /v1/alerts/{id}/assignee; an empty
// assignee takes the alert from whoever had it.
type AssignRequest struct {
	Assignee string `json:"assignee"`
}

func (s *Server) comment(r *http.Request, text string) (*interdict.Alert, error) {
	wf, err := s.workflow()
	if err != nil {
		return nil, err
	}
	if len(text) > maxCommentLen {
		return nil, interdict.Errorf(interdict.EINVALID, "A comment may have at most %d characters.", maxCommentLen)
	}
	return wf.Comment(r.Context(), actor(r), r.PathValue("id"), text)
}

// assign gives the alert to a user of the store who may decide alerts.
func (s *Server) assign(r *http.Request, assignee string) (*interdict.Alert, error) {
	wf, err := s.workflow()
	if err != nil {
		return nil, err
	}
	if assignee != "" {
		if s.Users == nil {
			return nil, newProblem(http.StatusServiceUnavailable, "This server keeps no users.")
		}
		u, err := s.Users.FindUserByName(r.Context(), assignee)
		if interdict.ErrorCode(err) == interdict.ENOTFOUND {
			return nil, interdict.Errorf(interdict.EINVALID, "No user %s to assign the alert to.", truncate(assignee, 64))
		} else if err != nil {
			return nil, err
		}
		if u.Disabled || !accessAlerts.allows(&User{Name: u.Name, Role: u.Role}) {
			return nil, interdict.Errorf(interdict.EINVALID, "User %s cannot work on alerts (disabled, or role %s).", u.Name, u.Role)
		}
	}
	return wf.Assign(r.Context(), actor(r), r.PathValue("id"), assignee)
}

func (s *Server) handleComment(w http.ResponseWriter, r *http.Request) {
	var req CommentRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.comment(r, req.Text)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) handleAssign(w http.ResponseWriter, r *http.Request) {
	var req AssignRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.assign(r, req.Assignee)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// AuditResponse is the body of GET /v1/audit: one page of records in
// order, and where the next page starts.
type AuditResponse struct {
	Records []*interdict.AuditRecord `json:"records"`
	// Next is the from_seq of the next page; 0 when this is the last.
	Next int64 `json:"next"`
}

// auditFilter reads from_seq, from, to (RFC 3339 or YYYY-MM-DD) and
// object.
func auditFilter(v url.Values) (interdict.AuditFilter, error) {
	var f interdict.AuditFilter
	if s := v.Get("from_seq"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return f, interdict.Errorf(interdict.EINVALID, "from_seq %q must be a record number.", truncate(s, 20))
		}
		f.FromSeq = n
	}
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		s := v.Get(p.name)
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t, err = time.Parse(time.DateOnly, s)
		}
		if err != nil {
			return f, interdict.Errorf(interdict.EINVALID, "%s %q: give a date (2026-01-31) or a time (2026-01-31T12:00:00Z).", p.name, truncate(s, 40))
		}
		*p.t = t
	}
	f.Object = v.Get("object")
	return f, nil
}

// errStopWalk ends a walk of the audit trail early.
var errStopWalk = errors.New("stop")

func (s *Server) findAudit(ctx context.Context, v url.Values) (*AuditResponse, error) {
	rs, err := s.review()
	if err != nil {
		return nil, err
	}
	f, err := auditFilter(v)
	if err != nil {
		return nil, err
	}
	_, limit, err := paging(v)
	if err != nil {
		return nil, err
	}
	res := &AuditResponse{Records: []*interdict.AuditRecord{}}
	err = rs.FindAuditRecords(ctx, f, func(rec *interdict.AuditRecord) error {
		if len(res.Records) == limit {
			res.Next = rec.Seq
			return errStopWalk
		}
		res.Records = append(res.Records, rec)
		return nil
	})
	if err != nil && !errors.Is(err, errStopWalk) {
		return nil, err
	}
	return res, nil
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	res, err := s.findAudit(r.Context(), r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// handleAuditExport streams the records the filters select, as JSON lines
// (the default) or CSV, for a regulator. Every record carries its hash and
// the hash before it, so the export can be verified on its own.
func (s *Server) handleAuditExport(w http.ResponseWriter, r *http.Request) {
	rs, err := s.review()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v := r.URL.Query()
	f, err := auditFilter(v)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	format := v.Get("format")
	if format == "" {
		format = "jsonl"
	}
	if format != "jsonl" && format != "csv" {
		s.writeError(w, r, interdict.Errorf(interdict.EINVALID, "format %q: use jsonl or csv.", truncate(format, 20)))
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	var write func(*interdict.AuditRecord) error
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="audit.csv"`)
		cw := csv.NewWriter(w)
		defer cw.Flush()
		_ = cw.Write([]string{"seq", "time", "actor", "action", "object", "payload", "prev", "hash"})
		write = func(rec *interdict.AuditRecord) error {
			return cw.Write([]string{strconv.FormatInt(rec.Seq, 10), rec.Time.UTC().Format(time.RFC3339Nano), csvSafe(rec.Actor), csvSafe(rec.Action),
				csvSafe(rec.Object), csvSafe(string(rec.Payload)), rec.Prev, rec.Hash})
		}
	} else {
		h.Set("Content-Type", "application/x-ndjson")
		h.Set("Content-Disposition", `attachment; filename="audit.jsonl"`)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		write = func(rec *interdict.AuditRecord) error { return enc.Encode(rec) }
	}
	if err := rs.FindAuditRecords(r.Context(), f, write); err != nil {
		// Headers are gone; the cut-off body tells the client.
		s.logger(r).Error("audit export", "err", err.Error())
	}
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet
// (OWASP CSV injection): a leading =, +, -, @, tab or CR gets a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
