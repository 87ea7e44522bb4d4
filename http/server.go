package http

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/graph"
	"github.com/interdict/interdict/http/html"
	"github.com/interdict/interdict/media"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
	"github.com/prometheus/client_golang/prometheus"
)

// Server serves the JSON API, the web UI, the probes and the metrics. Set
// its exported fields before the first call to Handler; they must not change
// afterwards. A Server is safe for concurrent use.
type Server struct {
	// Lists is where entities, versions and diffs are read. Required.
	Lists interdict.ListStore
	// Service screens every query of the API, the UI and goods end users,
	// on the index it keeps current. Required.
	Service *screen.Service
	// Jobs keeps the web UI's batch jobs, their files and results; with a
	// database behind it they survive a restart (see ResumeJobs).
	// Required.
	Jobs interdict.JobStore
	// Auth authenticates every request but the probes and static assets.
	// Required: a UserAuth for users, sessions and API keys (with the local
	// user only on a loopback listener), or LocalAuth or TokenAuth for
	// screening alone.
	Auth Authenticator
	// Authorize, when set, further restricts who may call a route (its
	// pattern, "POST /v1/screen") after the roles of roles.go allowed it;
	// it returns EFORBIDDEN (403) to refuse.
	Authorize func(ctx context.Context, u *User, route string) error
	// Users keeps the users, their API keys and their sessions, behind
	// sign-in and the user routes; nil answers the user routes with 503.
	Users interdict.UserStore
	// Review keeps the book, the alerts and the audit trail that the review
	// routes read; Workflow makes the changes (and records them in the
	// audit trail). Nil answers the review routes with 503.
	Review   interdict.ReviewStore
	Workflow Workflow
	// Rescreens starts and reports a cluster's re-screening runs; nil (a
	// single server) answers its routes with 503.
	Rescreens Rescreens
	// Goods classifies goods line items for POST /v1/goods/classify, its
	// batch and the Goods page; nil answers those with 503. Build it with
	// PartyScreener as its end-user screener, so that end users are
	// screened against the lists the server holds.
	Goods Classifier
	// ListImporter imports versions of the institution's own lists for
	// POST /v1/lists/{list} and the Lists page's upload form (lists.go);
	// nil answers those with 503.
	ListImporter ListImporter
	// Media keeps the adverse-media record for POST and GET /v1/media and
	// the Media pages; nil answers those with 503.
	Media *media.Service
	// Messages screens payment and trade messages for POST
	// /v1/messages/screen; nil answers it with 503.
	Messages MessageScreener
	// MessageAlerts records a held message's list hits as alerts for
	// review, as the user of the request; nil records none.
	MessageAlerts MessageAlerter
	// MessageResults keeps the results of the messages screened from a
	// stream, for GET /v1/messages and /v1/messages/{id}; nil answers
	// those with 503.
	MessageResults interdict.MessageResultStore
	// Documents scans documents for POST /v1/documents/scan and the
	// Documents page, on the current index; nil answers those with 503.
	Documents *scan.Live
	// Network, when set, answers the /v1/graph routes and the network page
	// (package graph); Ownerships keeps the ownership records they import.
	Network    *graph.Live
	Ownerships interdict.OwnershipStore
	// Logger receives one line per request and every internal error.
	Logger *slog.Logger
	// Registry receives the server's metrics; /metrics serves it.
	Registry *prometheus.Registry
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// CountryName returns a country's name for an ISO 3166-1 alpha-2 code,
	// or "" (the UI then shows the code).
	CountryName func(code string) string
	// LoopbackHosts, when set, refuses (403) requests whose Host header is
	// not a loopback name or address: a guard against DNS rebinding for a
	// server listening on loopback.
	LoopbackHosts bool
	// BuildVersion is reported by /healthz.
	BuildVersion string
	// MaxAge returns the age past which a list is stale (shown on the lists
	// page and in GET /v1/lists); nil uses interdict.DefaultMaxAge.
	MaxAge func(list string) time.Duration

	// AuditEvery is how often the screenings of the API and the UI are
	// written to the audit trail, gathered in one record (default 1s).
	AuditEvery time.Duration

	// MaxBodyBytes limits a JSON request body (default 1 MiB).
	MaxBodyBytes int64
	// MaxBatchBytes limits an NDJSON batch body (default 64 MiB),
	// MaxBatchLines its number of lines (default 100,000) and
	// MaxLineBytes one line (default 64 KiB).
	MaxBatchBytes int64
	MaxBatchLines int
	MaxLineBytes  int
	// MaxUploadBytes limits a file uploaded to the batch page (default
	// 32 MiB).
	MaxUploadBytes int64
	// MaxInFlight bounds the requests handled at once; more get 429
	// (default 1024).
	MaxInFlight int
	// MaxBatches bounds the batches (API streams and uploaded files)
	// running at once; more get 429 (default 2).
	MaxBatches int
	// RequestTimeout bounds a request (default 30s); BatchTimeout bounds a
	// batch stream (default 30m).
	RequestTimeout time.Duration
	BatchTimeout   time.Duration

	once       sync.Once
	handler    http.Handler
	mux        *http.ServeMux
	routes     []route
	metrics    *metrics
	inflight   chan struct{}
	batchSlots chan struct{}
	ui         *html.Templates
	screenLog  screenLog
	uploads    uploads // list uploads awaiting confirmation (lists.go)

	ctx    context.Context // lifetime of background batch jobs
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewServer returns a Server reading lists from store and screening
// through svc, with the defaults set and a fresh metrics registry. Until
// svc has an index, /readyz and screening answer 503.
func NewServer(store interdict.ListStore, svc *screen.Service, auth Authenticator) *Server {
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{
		Lists:          store,
		Service:        svc,
		Auth:           auth,
		Logger:         slog.New(slog.DiscardHandler),
		Registry:       prometheus.NewRegistry(),
		Now:            time.Now,
		MaxBodyBytes:   1 << 20,
		MaxBatchBytes:  64 << 20,
		MaxBatchLines:  100_000,
		MaxLineBytes:   64 << 10,
		MaxUploadBytes: 32 << 20,
		MaxInFlight:    1024,
		MaxBatches:     2,
		RequestTimeout: 30 * time.Second,
		AuditEvery:     time.Second,
		BatchTimeout:   30 * time.Minute,
		ctx:            ctx,
		cancel:         cancel,
	}
}

// Close stops the background batch jobs of the web UI and waits for them.
func (s *Server) Close() error {
	s.cancel()
	s.wg.Wait()
	return nil
}

// route is one registered pattern. API routes are JSON and described by
// the OpenAPI document; the others are HTML pages and assets.
type route struct {
	pattern string
	api     bool
	public  bool   // no authentication: probes, static assets, login
	batch   bool   // long-running: BatchTimeout instead of RequestTimeout
	access  access // who may call it (see roles.go)
	// maxBody, when larger than the server's MaxBodyBytes, is the most
	// the route reads of a request body (raw messages, list uploads).
	maxBody int64
	handler http.HandlerFunc
}

// Routes returns the patterns of the API routes ("POST /v1/screen"), the
// ones the OpenAPI document describes, in registration order.
func (s *Server) Routes() []string {
	s.Handler()
	var out []string
	for _, r := range s.routes {
		if r.api {
			out = append(out, r.pattern)
		}
	}
	return out
}

// Handler returns the server's HTTP handler, building it on first use.
func (s *Server) Handler() http.Handler {
	s.once.Do(s.build)
	return s.handler
}

func (s *Server) build() {
	if s.Auth == nil {
		panic("interdicthttp: Server.Auth is nil")
	}
	if s.Service == nil {
		panic("interdicthttp: Server.Service is nil")
	}
	if s.Jobs == nil {
		panic("interdicthttp: Server.Jobs is nil")
	}
	s.metrics = newMetrics(s.Registry, s)
	s.inflight = make(chan struct{}, max(s.MaxInFlight, 1))
	s.batchSlots = make(chan struct{}, max(s.MaxBatches, 1))
	ui, err := html.Parse()
	if err != nil {
		panic("interdicthttp: templates: " + err.Error())
	}
	s.ui = ui
	if s.Review != nil {
		s.screenLog.full = make(chan struct{}, 1)
		s.wg.Add(1)
		go s.logScreens()
	}

	api := func(pattern string, h http.HandlerFunc) {
		s.routes = append(s.routes, route{pattern: pattern, api: true, handler: h})
	}
	api("GET /healthz", s.handleHealth)
	api("GET /readyz", s.handleReady)
	api("GET /metrics", s.handleMetrics)
	api("GET /openapi.json", s.handleOpenAPI)
	api("POST /v1/screen", s.handleScreenPost)
	api("GET /v1/screen", s.handleScreenGet)
	api("POST /v1/screen/batch", s.handleScreenBatch)
	api("GET /v1/entities/{id}", s.handleEntity)
	api("GET /v1/lists", s.handleLists)
	api("GET /v1/lists/{list}/diff", s.handleListDiff)
	api("POST /v1/lists/{list}", s.handleListUpload)
	api("POST /v1/compare", s.handleCompare)
	api("POST /v1/goods/classify", s.handleGoodsClassify)
	api("POST /v1/goods/classify/batch", s.handleGoodsBatch)
	s.routes = append(s.routes, s.reviewRoutes()...)
	s.routes = append(s.routes, s.graphRoutes()...)
	s.routes = append(s.routes, s.rescreenRoutes()...)
	api("POST /v1/messages/screen", s.handleMessagesScreen)
	s.routes = append(s.routes, s.messageResultRoutes()...)
	api("POST /v1/documents/scan", s.handleDocumentScan)
	s.routes = append(s.routes, s.mediaRoutes()...)
	for i := range s.routes {
		switch s.routes[i].pattern {
		case "GET /healthz", "GET /readyz", "GET /openapi.json":
			s.routes[i].public = true
		case "POST /v1/screen/batch", "POST /v1/goods/classify/batch":
			s.routes[i].batch = true
		case "POST /v1/lists/{list}":
			s.routes[i].access = accessAdmin // a new version of a list of one's own
			s.routes[i].maxBody = s.MaxUploadBytes
		case "POST /v1/messages/screen":
			s.routes[i].maxBody = maxMessageBody
		case "POST /v1/documents/scan":
			s.routes[i].maxBody = s.documentLimits().MaxBytes
		}
	}
	s.routes = append(s.routes,
		route{pattern: "GET /{$}", handler: s.uiScreen},
		route{pattern: "GET /goods", handler: s.uiGoods},
		route{pattern: "GET /documents", handler: s.uiDocuments},
		route{pattern: "POST /documents", handler: s.uiDocumentsScan, maxBody: s.documentLimits().MaxBytes},
		route{pattern: "GET /entities/{id}", handler: s.uiEntity},
		route{pattern: "GET /lists", handler: s.uiLists},
		route{pattern: "GET /lists/{list}/diff", handler: s.uiListDiff},
		route{pattern: "GET /lists/upload", handler: s.uiListUploadForm, access: accessAdmin},
		route{pattern: "POST /lists/upload", handler: s.uiListUploadPreview, access: accessAdmin, maxBody: s.MaxUploadBytes},
		route{pattern: "POST /lists/upload/{upload}", handler: s.uiListUploadConfirm, access: accessAdmin},
		route{pattern: "GET /batch", handler: s.uiBatch},
		route{pattern: "POST /batch", handler: s.uiBatchUpload, batch: true},
		route{pattern: "GET /batch/{job}", handler: s.uiBatchJob},
		route{pattern: "GET /batch/{job}/results.csv", handler: s.uiBatchResults},
		route{pattern: "GET /login", handler: s.uiLogin, public: true},
		route{pattern: "POST /login", handler: s.uiLoginPost, public: true},
		route{pattern: "GET /static/{file...}", handler: s.uiStatic, public: true},
		route{pattern: "/", handler: s.notFound, public: true},
	)
	s.mux = http.NewServeMux()
	for _, r := range s.routes {
		s.mux.Handle(r.pattern, s.wrap(r))
	}
	s.handler = s.mux
}

// notFound answers every request no route matches: problem+json for API
// paths and clients, an HTML page for browsers.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var err error = problemf(http.StatusNotFound, "No resource at %s.", r.URL.Path)
	if allow := s.allowed(r); len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		err = problemf(http.StatusMethodNotAllowed, "Method %s is not allowed on %s; use %s.", r.Method, r.URL.Path, strings.Join(allow, " or "))
	}
	if wantsHTML(r) {
		s.writeHTMLError(w, r, err)
		return
	}
	s.writeError(w, r, err)
}

// allowed returns the methods that some route other than the catch-all
// serves for the request's path.
func (s *Server) allowed(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
			out = append(out, m)
		}
	}
	return out
}

// ctxKey keys the request's values in its context.
type ctxKey int

const (
	requestIDKey ctxKey = iota
	userKey
	indexKey // the index a goods request screens its end users on
)

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// UserFrom returns the authenticated user of a request's context, or nil.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}

// validRequestID accepts a caller's X-Request-ID when it is short and
// plain, so that it can go into logs and headers as it is.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter records the status and size of a response. It passes
// Flush and the ResponseController methods through via Unwrap.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap adds to a route what every request gets: a request ID, panic
// recovery, metrics and a log line, the loopback Host guard,
// authentication, the same-origin check, the in-flight limit and a
// timeout.
func (s *Server) wrap(rt route) http.Handler {
	obs := s.metrics.route(rt.pattern)
	timeout := s.RequestTimeout
	if rt.batch {
		timeout = s.BatchTimeout
	}
	probe := rt.pattern == "GET /healthz" || rt.pattern == "GET /readyz" || rt.pattern == "GET /metrics"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-ID", id)
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(ctx)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger(r).Error("panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.respondError(sw, r, rt, newProblem(http.StatusInternalServerError, "Internal error."))
				}
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			obs.observe(r.Method, status, d)
			s.Logger.LogAttrs(ctx, slog.LevelInfo, "request",
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("route", rt.pattern),
				slog.String("path", r.URL.Path), // never the query: it holds the names screened
				slog.Int("status", status),
				slog.Int64("bytes", sw.bytes),
				slog.Float64("ms", float64(d.Microseconds())/1000),
				slog.String("remote", r.RemoteAddr),
			)
		}()

		if s.LoopbackHosts && !loopbackHost(r.Host) {
			s.respondError(sw, r, rt, newProblem(http.StatusForbidden, "This server answers only to localhost: the Host header names another host."))
			return
		}
		if !rt.public {
			u, err := s.Auth.Authenticate(r)
			if err != nil {
				if !rt.api && interdict.ErrorCode(err) == interdict.EUNAUTHORIZED && r.Method == http.MethodGet {
					http.Redirect(sw, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				s.respondError(sw, r, rt, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), userKey, u))
			if err := s.authorize(r, rt, u); err != nil {
				if !rt.api && interdict.ErrorCode(err) == interdict.EUNAUTHORIZED && r.Method == http.MethodGet {
					http.Redirect(sw, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				s.respondError(sw, r, rt, err)
				return
			}
			if err := s.checkCSRF(sw, r, u); err != nil {
				s.respondError(sw, r, rt, err)
				return
			}
		}
		if !safeMethod(r.Method) && !sameOrigin(r) {
			s.respondError(sw, r, rt, newProblem(http.StatusForbidden, "Cross-origin requests that change state are refused."))
			return
		}
		if !rt.batch && r.Body != nil && r.Body != http.NoBody {
			// A request body arrives in full, under the request's read
			// deadline, before the request takes an in-flight slot: a
			// client sending its body a byte at a time holds a connection,
			// never a slot that other clients need. Handlers still bound
			// what they decode (MaxBodyBytes). The server's ReadTimeout
			// bounds the wait.
			limit := max(s.MaxBodyBytes, rt.maxBody)
			body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
			if err != nil {
				s.respondError(sw, r, rt, newProblem(http.StatusBadRequest, "The request body could not be read in time."))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		if !probe {
			select {
			case s.inflight <- struct{}{}:
				defer func() { <-s.inflight }()
			default:
				sw.Header().Set("Retry-After", "1")
				s.respondError(sw, r, rt, newProblem(http.StatusTooManyRequests, "The server is handling too many requests; retry in a moment."))
				return
			}
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		rc := http.NewResponseController(sw)
		_ = rc.SetWriteDeadline(time.Now().Add(timeout + 5*time.Second))
		if rt.batch {
			// Batch bodies stream for as long as the batch may run; other
			// requests keep the server's ReadTimeout.
			_ = rc.SetReadDeadline(time.Now().Add(timeout))
		}
		rt.handler(sw, r.WithContext(ctx))
	})
}

// respondError writes err for a route: problem+json for the API, an HTML
// page for the UI.
func (s *Server) respondError(w http.ResponseWriter, r *http.Request, rt route, err error) {
	if !rt.api && wantsHTML(r) {
		s.writeHTMLError(w, r, err)
		return
	}
	s.writeError(w, r, err)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports whether a request that changes state comes from this
// server's own pages, or from a client that is not a browser. Browsers send
// Origin (or Sec-Fetch-Site) with every POST; other clients send neither.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if origin == "null" {
		return false
	}
	_, host, ok := strings.Cut(origin, "://")
	return ok && strings.EqualFold(host, r.Host)
}

// loopbackHost reports whether a Host header names this machine's loopback
// interface: localhost, 127.0.0.0/8 or ::1, with any port.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// writeJSON writes v as JSON with the given status, encoded as the CLI's
// --json output is but on one line: no HTML escaping ("<" stays "<"; the
// body is served as application/json, never sniffed as HTML), so that
// compacting the CLI's output gives the API's bytes.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeProblem(w, newProblem(http.StatusInternalServerError, "Internal error."))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// ready returns the current index or a 503 problem.
func (s *Server) ready(w http.ResponseWriter) (*screen.Index, error) {
	snap := s.Service.Current()
	if snap == nil {
		w.Header().Set("Retry-After", "5")
		return nil, newProblem(http.StatusServiceUnavailable, "The lists are still being loaded; try again in a few seconds.")
	}
	return snap, nil
}
