package http

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/http/html"
	"github.com/interdict/interdict/screen"
)

// page is what every page's layout needs.
type page struct {
	Nav          string
	User         *User
	BuildVersion string
	// CSRF is the session's token, sent with every form and htmx request
	// that changes state; empty without a session.
	CSRF string
	// Alerts, Book and Audit say which review pages the user may open;
	// Approve whether they may approve another user's decision.
	Alerts, Book, Audit, Approve bool
}

func (s *Server) page(r *http.Request, nav string) page {
	u := UserFrom(r.Context())
	if u != nil && u.Local {
		u = nil
	}
	p := page{Nav: nav, User: u, BuildVersion: s.BuildVersion}
	if u != nil {
		p.CSRF = u.CSRFToken()
		p.Alerts, p.Book, p.Audit, p.Approve = accessAlerts.allows(u), accessBookRead.allows(u), accessAudit.allows(u), accessApprove.allows(u)
	}
	return p
}

// uiHeaders are set on every HTML response: a strict content security
// policy (only our own scripts and styles, no framing) and no MIME sniffing.
func uiHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin") // "no-referrer" would make browsers send "Origin: null" on our own form posts
	h.Set("Cache-Control", "no-store")
}

// render renders a page (or, with block != "layout", a fragment) to a
// buffer first, so that a template error becomes a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, block string, data any) {
	var buf bytes.Buffer
	if err := s.ui.RenderBlock(&buf, name, block, data); err != nil {
		s.logger(r).Error("render", "page", name, "err", err.Error())
		uiHeaders(w)
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("<!doctype html><title>Internal error</title><p>Internal error.</p>"))
		return
	}
	uiHeaders(w)
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// wantsHTML reports whether the client is a browser asking for a page.
func wantsHTML(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/v1/") {
		return false
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html") || r.Header.Get("HX-Request") != ""
}

func (s *Server) writeHTMLError(w http.ResponseWriter, r *http.Request, err error) {
	p := *toProblem(err)
	p.RequestID = requestID(r.Context())
	if p.Status >= 500 {
		s.logger(r).Error("request failed", "status", p.Status, "err", err.Error())
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="interdict"`)
	}
	s.render(w, r, p.Status, "error", "layout", struct {
		page
		Problem Problem
	}{s.page(r, ""), p})
}

// hitView is a hit with what the page shows of it.
type hitView struct {
	interdict.Hit
	Rank            int
	Alert           bool
	MatchedSegments []html.Segment
	QuerySegments   []html.Segment
	EntitySegments  []html.Segment
	// Also are the party's records on other lists (see ScreenResult.Parties).
	Also []interdict.Listing
}

type screenPage struct {
	page
	Query  interdict.Query
	Result *interdict.ScreenResult
	Hits   []hitView
	Error  string
}

// uiScreen is the screening page. With a name it screens and shows the
// ranked hits; an htmx request gets the same page, from which htmx selects
// the results.
func (s *Server) uiScreen(w http.ResponseWriter, r *http.Request) {
	data := screenPage{page: s.page(r, "screen")}
	v := r.URL.Query()
	data.Query = interdict.Query{Name: v.Get("name"), Kind: interdict.Kind(v.Get("type")), DOB: v.Get("dob"), Country: v.Get("country")}
	status := http.StatusOK
	if strings.TrimSpace(data.Query.Name) != "" {
		q := data.Query
		err := limitQuery(&q)
		var snap *screen.Index
		if err == nil {
			snap, err = s.ready(w)
		}
		var res *interdict.ScreenResult
		if err == nil {
			res, err = s.screen(r, snap, ScreenRequest{Query: q})
		}
		if err == nil {
			err = s.auditScreen(r.Context(), "ui", q, res)
		}
		if err != nil {
			p := toProblem(err)
			if p.Status >= 500 {
				s.logger(r).Error("screen", "err", err.Error())
			}
			data.Error = p.Detail
			status = p.Status
		} else {
			data.Result = res
			data.Hits = partyViews(res, hitViews(res))
		}
	}
	s.render(w, r, status, "screen", "layout", data)
}

// hitViews prepares the hits for the page: each hit's alert flag (as the
// policy decided it, list by list) and its highlighted names.
func hitViews(res *interdict.ScreenResult) []hitView {
	out := make([]hitView, len(res.Hits))
	for i, h := range res.Hits {
		ent := map[string]interdict.MatchKind{}
		qry := map[string]interdict.MatchKind{}
		for _, a := range h.Explanation.Alignment {
			ent[a.Entity] = a.Kind
			qry[a.Query] = a.Kind
		}
		out[i] = hitView{
			Hit:             h,
			Rank:            i + 1,
			Alert:           h.Alert,
			MatchedSegments: html.Highlight(h.MatchedName, ent),
			QuerySegments:   html.Highlight(h.Explanation.QueryForm, qry),
			EntitySegments:  html.Highlight(h.Explanation.EntityForm, ent),
		}
	}
	return out
}

// partyViews keeps one card per listed party: the hit on its best-matching
// record, with its records on other lists under Also. Without parties (a
// result from an older screener) every hit is a card.
func partyViews(res *interdict.ScreenResult, hits []hitView) []hitView {
	if len(res.Parties) == 0 {
		return hits
	}
	out := make([]hitView, 0, len(res.Parties))
	for _, p := range res.Parties {
		for _, h := range hits {
			if h.EntityID == p.Listings[0].EntityID {
				h.Also = p.Listings[1:]
				h.Rank = len(out) + 1
				out = append(out, h)
				break
			}
		}
	}
	return out
}

type keyValues struct {
	Key    string
	Values []string
}

type entityPage struct {
	page
	Entity        *interdict.Entity
	Version       *interdict.ListVersion
	ListInfo      interdict.ListInfo
	Nationalities []string
	Citizenships  []string
	Countries     []string
	Addresses     []string
	Attributes    []keyValues
}

func (s *Server) uiEntity(w http.ResponseWriter, r *http.Request) {
	e, v, err := s.findEntity(r)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	info, _ := interdict.LookupList(e.List)
	data := entityPage{page: s.page(r, ""), Entity: e, Version: v, ListInfo: info,
		Nationalities: s.countries(e.Nationalities), Citizenships: s.countries(e.Citizenships), Countries: s.countries(e.Countries)}
	for _, a := range e.Addresses {
		line := a.Line()
		if a.Country != "" {
			line += " [" + a.Country + "]"
		}
		data.Addresses = append(data.Addresses, line)
	}
	keys := make([]string, 0, len(e.Attributes))
	for k := range e.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		data.Attributes = append(data.Attributes, keyValues{k, e.Attributes[k]})
	}
	s.render(w, r, http.StatusOK, "entity", "layout", data)
}

func (s *Server) countries(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if s.CountryName != nil {
			if n := s.CountryName(c); n != "" {
				out = append(out, n+" ("+c+")")
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func (s *Server) uiLists(w http.ResponseWriter, r *http.Request) {
	st, err := s.listStatus(r)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "lists", "layout", struct {
		page
		Lists    []ListStatus
		Snapshot *screen.Index
	}{s.page(r, "lists"), st.Lists, s.Service.Current()})
}

// maxDiffRows is the most changes the diff page lists.
const maxDiffRows = 1000

func (s *Server) uiListDiff(w http.ResponseWriter, r *http.Request) {
	d, err := s.diff(r)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	changes := d.Changes
	if len(changes) > maxDiffRows {
		changes = changes[:maxDiffRows]
	}
	s.render(w, r, http.StatusOK, "diff", "layout", struct {
		page
		Diff      *interdict.ListDiff
		Changes   []interdict.EntityChange
		Truncated bool
	}{s.page(r, "lists"), d, changes, len(changes) < len(d.Changes)})
}

func (s *Server) uiLogin(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", "layout", s.loginView(r, safeNext(r.URL.Query().Get("next")), ""))
}

// uiLoginPost signs in with a user name and password (a session, see
// signIn) or, where a token file is configured, with an API token kept in
// an HTTP-only, same-site cookie.
func (s *Server) uiLoginPost(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.writeHTMLError(w, r, newProblem(http.StatusForbidden, "Cross-origin sign-in is refused."))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.writeHTMLError(w, r, newProblem(http.StatusBadRequest, "The form could not be read."))
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	if name := r.PostForm.Get("name"); name != "" {
		s.signIn(w, r, name, r.PostForm.Get("password"), next)
		return
	}
	tok := r.PostForm.Get("token")
	probe := r.Clone(r.Context())
	probe.Header = http.Header{"Authorization": {"Bearer " + tok}}
	// Only a token-file token goes in the token cookie: a user's API key
	// is for programs, and people sign in with their password.
	if u, err := s.Auth.Authenticate(probe); err != nil || tok == "" || u.Local || u.Role != "" {
		s.render(w, r, http.StatusUnauthorized, "login", "layout", s.loginView(r, next, "That token is not valid."))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: TokenCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// safeNext keeps a post-login redirect on this server.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}

var static = html.Static()

func (s *Server) uiStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := fs.ReadFile(static, name)
	if err != nil || strings.HasSuffix(name, ".md") {
		// A name that is no valid path inside the assets ("../..") names
		// no asset either.
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) || err == nil {
			s.writeError(w, r, problemf(http.StatusNotFound, "No asset %q.", truncate(name, 60)))
			return
		}
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	switch {
	case strings.HasSuffix(name, ".js"):
		h.Set("Content-Type", "text/javascript; charset=utf-8")
	case strings.HasSuffix(name, ".css"):
		h.Set("Content-Type", "text/css; charset=utf-8")
	}
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b)
}
