package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
)

// alertStates are the states in the order the queue shows them.
var alertStates = []interdict.AlertState{interdict.AlertOpen, interdict.AlertInReview, interdict.AlertNeedsInfo, interdict.AlertTrueMatch, interdict.AlertFalsePositive}

type stateCount struct {
	State interdict.AlertState
	Count int
	URL   string
}

type alertsPage struct {
	page
	Query  alertQuery
	Res    *AlertsResponse
	States []stateCount
	Lists  []string
	Prev   string
	Next   string
	Error  string
}

// queueURL is the queue's URL with the filters of q and one changed.
func queueURL(v url.Values, key, value string) string {
	w := url.Values{}
	for k, vs := range v {
		if k != "offset" && len(vs) > 0 && vs[0] != "" {
			w.Set(k, vs[0])
		}
	}
	if value == "" {
		w.Del(key)
	} else {
		w.Set(key, value)
	}
	if len(w) == 0 {
		return "/alerts"
	}
	return "/alerts?" + w.Encode()
}

// uiAlerts is the alert queue: filters by state, list, score, assignee and
// age, the count of alerts in each state, and one page of alerts.
func (s *Server) uiAlerts(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	data := alertsPage{page: s.page(r, "alerts")}
	q, err := readAlertQuery(v)
	data.Query = q
	status := http.StatusOK
	if err == nil {
		data.Res, err = s.findAlerts(r.Context(), q)
	}
	if err != nil {
		p := toProblem(err)
		if p.Status >= 500 {
			s.logger(r).Error("alerts", "err", err.Error())
		}
		data.Error, status = p.Detail, p.Status
	} else {
		for _, st := range alertStates {
			data.States = append(data.States, stateCount{State: st, Count: data.Res.Counts[st], URL: queueURL(v, "state", string(st))})
		}
		if q.Filter.Offset > 0 {
			data.Prev = queueURL(v, "offset", strconv.Itoa(max(q.Filter.Offset-q.Filter.Limit, 0)))
		}
		if q.Filter.Offset+len(data.Res.Alerts) < data.Res.Total {
			data.Next = queueURL(v, "offset", strconv.Itoa(q.Filter.Offset+q.Filter.Limit))
		}
	}
	for _, l := range interdict.Lists {
		data.Lists = append(data.Lists, l.ID)
	}
	s.render(w, r, status, "alerts", "layout", data)
}

type alertPage struct {
	page
	Alert       *interdict.Alert
	Decisions   []*interdict.Decision
	Party       *interdict.Party
	Entity      *interdict.Entity
	Explanation *interdict.Explanation
	// Since is what changed since the alert was raised: the party's data,
	// the entity's record.
	Since []string
	// Article is the page of the adverse-media article an alert was
	// raised on ("media:<article>"), which is not a list's entity.
	Article string
	Pending *interdict.Decision // a proposal waiting for approval
	Audit   []*interdict.AuditRecord
	States  []interdict.AlertState
	Message string
	Error   string
}

// uiAlert is one alert: the party and the listed entity side by side, the
// explanation, what changed, the decisions with the buttons to decide and
// approve, and the alert's own audit history.
func (s *Server) uiAlert(w http.ResponseWriter, r *http.Request) {
	s.renderAlert(w, r, http.StatusOK, r.URL.Query().Get("done"), "")
}

func (s *Server) renderAlert(w http.ResponseWriter, r *http.Request, status int, message, errMsg string) {
	ctx := r.Context()
	res, err := s.findAlert(ctx, r.PathValue("id"))
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	a := res.Alert
	data := alertPage{page: s.page(r, "alerts"), Alert: a, Decisions: res.Decisions, Message: message, Error: errMsg,
		States: []interdict.AlertState{interdict.AlertInReview, interdict.AlertNeedsInfo, interdict.AlertFalsePositive, interdict.AlertTrueMatch}}
	if p, err := s.Review.FindParty(ctx, a.PartyID); err == nil {
		data.Party = p
		if p.Hash != a.PartyHash {
			data.Since = append(data.Since, "The party's data changed since the alert was raised (now version "+strconv.Itoa(p.Version)+").")
		}
		if p.Removed {
			data.Since = append(data.Since, "The party was removed from the book.")
		}
	} else if interdict.ErrorCode(err) != interdict.ENOTFOUND {
		s.writeHTMLError(w, r, err)
		return
	}
	if id, ok := strings.CutPrefix(a.EntityID, "media:"); ok {
		data.Article = "/media/" + id
	} else if messageFinding(a.EntityID) {
		// A message held by an embargoed place or controlled goods: no
		// list's entity; the explanation says what was found.
	} else if e, _, err := s.Lists.FindEntityByID(ctx, a.EntityID); err == nil {
		data.Entity = e
		if a.EntityHash != "" && e.Hash() != a.EntityHash {
			data.Since = append(data.Since, "The entity's record changed on its list since the alert was raised.")
		}
	} else if interdict.ErrorCode(err) == interdict.ENOTFOUND {
		data.Since = append(data.Since, "The entity is no longer on the current version of its list.")
	} else {
		s.writeHTMLError(w, r, err)
		return
	}
	if len(a.Explanation) > 0 {
		var ex interdict.Explanation
		if json.Unmarshal(a.Explanation, &ex) == nil {
			data.Explanation = &ex
		}
	}
	for _, d := range res.Decisions {
		if d.Status == interdict.DecisionProposed {
			data.Pending = d
		}
	}
	err = s.Review.FindAuditRecords(ctx, interdict.AuditFilter{Object: "alert:" + a.ID}, func(rec *interdict.AuditRecord) error {
		data.Audit = append(data.Audit, rec)
		return nil
	})
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	s.render(w, r, status, "alert", "layout", data)
}

// formValue reads a field of a posted form (parsed already by the CSRF
// check, or here, within MaxBodyBytes).
func (s *Server) formValue(w http.ResponseWriter, r *http.Request, key string) string {
	if r.PostForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, s.MaxBodyBytes)
		_ = r.ParseForm()
	}
	return r.PostForm.Get(key)
}

// uiDecision takes the decision form of the alert page. On success it
// redirects back to the alert (post/redirect/get); a refused decision (a
// concurrent one: 409) shows the page again with the reason.
func (s *Server) uiDecision(w http.ResponseWriter, r *http.Request) {
	version, _ := strconv.Atoi(s.formValue(w, r, "version"))
	req := DecisionRequest{State: interdict.AlertState(s.formValue(w, r, "state")), Comment: s.formValue(w, r, "comment"),
		Suppress: s.formValue(w, r, "suppress") != "", Version: version}
	res, err := s.decide(r, req)
	if err != nil {
		s.uiActionError(w, r, err)
		return
	}
	done := "Decision recorded."
	if res.Decision != nil && res.Decision.Status == interdict.DecisionProposed {
		done = "Decision proposed; it takes effect when another user approves it."
	}
	http.Redirect(w, r, "/alerts/"+url.PathEscape(res.Alert.ID)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}

// uiApproval takes the approve and reject buttons of the alert page.
func (s *Server) uiApproval(w http.ResponseWriter, r *http.Request) {
	req := ApprovalRequest{DecisionID: s.formValue(w, r, "decision"), Approve: s.formValue(w, r, "approve") == "true", Comment: s.formValue(w, r, "comment")}
	res, err := s.approve(r, req)
	if err != nil {
		s.uiActionError(w, r, err)
		return
	}
	done := "Decision approved."
	if !req.Approve {
		done = "Decision rejected."
	}
	http.Redirect(w, r, "/alerts/"+url.PathEscape(res.Alert.ID)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}

// uiComment takes the comment form of the alert page.
func (s *Server) uiComment(w http.ResponseWriter, r *http.Request) {
	a, err := s.comment(r, s.formValue(w, r, "text"))
	if err != nil {
		s.uiActionError(w, r, err)
		return
	}
	http.Redirect(w, r, "/alerts/"+url.PathEscape(a.ID)+"?done="+url.QueryEscape("Comment added."), http.StatusSeeOther)
}

// uiAssign takes the assignment form of the alert page ("me" assigns the
// alert to the signed-in user).
func (s *Server) uiAssign(w http.ResponseWriter, r *http.Request) {
	who := s.formValue(w, r, "assignee")
	if who == "me" {
		who = actor(r)
	}
	a, err := s.assign(r, who)
	if err != nil {
		s.uiActionError(w, r, err)
		return
	}
	http.Redirect(w, r, "/alerts/"+url.PathEscape(a.ID)+"?done="+url.QueryEscape("Assignment changed."), http.StatusSeeOther)
}

func (s *Server) uiActionError(w http.ResponseWriter, r *http.Request, err error) {
	p := toProblem(err)
	if p.Status >= 500 || p.Status == http.StatusNotFound {
		s.writeHTMLError(w, r, err)
		return
	}
	s.renderAlert(w, r, p.Status, "", p.Detail)
}

// uiBook lists the parties of the book, a page at a time.
func (s *Server) uiBook(w http.ResponseWriter, r *http.Request) {
	res, err := s.findParties(r)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	var prev, next string
	if res.Offset > 0 {
		prev = "/book?offset=" + strconv.Itoa(max(res.Offset-res.Limit, 0))
	}
	if res.Offset+len(res.Parties) < res.Total {
		next = "/book?offset=" + strconv.Itoa(res.Offset+res.Limit)
	}
	s.render(w, r, http.StatusOK, "book", "layout", struct {
		page
		Res        *PartiesResponse
		Prev, Next string
	}{s.page(r, "book"), res, prev, next})
}

// uiAudit shows the audit trail, a page at a time from a record number.
func (s *Server) uiAudit(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	res, err := s.findAudit(r.Context(), v)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	var next string
	if res.Next > 0 {
		w := url.Values{}
		for k := range v {
			w.Set(k, v.Get(k))
		}
		w.Set("from_seq", strconv.FormatInt(res.Next, 10))
		next = "/audit?" + w.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", "layout", struct {
		page
		Res    *AuditResponse
		Next   string
		Object string
		Export string
	}{s.page(r, "audit"), res, next, v.Get("object"), "/v1/audit/export?" + v.Encode()})
}
