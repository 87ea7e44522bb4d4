package cli

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
	"github.com/interdict/interdict/country"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/ingest"
	"github.com/interdict/interdict/message"
	"github.com/interdict/interdict/natsbus"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/source"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, (*App).newServeCmd) }

// DefaultAddr is where `interdict serve` listens unless told otherwise:
// loopback only.
const DefaultAddr = "127.0.0.1:8080"

func (a *App) newServeCmd() *cobra.Command {
	s := NewServer(a)
	var pf policyFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the HTTP API (OpenAPI at /openapi.json), the analyst web UI and Prometheus metrics",
		Long: `Serve runs interdict for a team: the JSON API (version 1, described at
/openapi.json), the web UI for analysts, /healthz, /readyz and /metrics.

It listens on ` + DefaultAddr + ` by default. On loopback with no user and no
API token configured, screening requests act as the local user (and the Host
header must name localhost, against DNS rebinding). Users ('interdict users
add') sign in to the web UI with a password and call the API with an API key
("Authorization: Bearer idk_..."); the book, alert, decision, audit and user
routes always need one, even on loopback. Tokens of --token-file (or
$INTERDICT_TOKEN_FILE: one token per line, optionally followed by the name of
its user) may screen. To listen beyond loopback, add a user or a token.

The index of the current list versions is rebuilt and swapped in without
dropping a request whenever a new version is imported: at once for an import
by the server itself, within --check-every (plus the time to build the index)
for one by another process, such as 'interdict lists import' or 'interdict
lists update' run against the same home.

With --update-every the server downloads, verifies and imports the lists
itself at that interval, as 'interdict lists update' does. It is off by
default: the default install works offline on the bundled snapshot.

Several replicas make a cluster behind any load balancer: give each the
same --database (PostgreSQL: lists, book, alerts, audit trail, users, jobs)
and --nats (NATS JetStream). A list version is imported once and every
replica reloads; the list update and the re-screening after a list change
are led by one replica at a time (PostgreSQL advisory locks), and the
re-screening is split into pages that every replica screens from a
JetStream work queue (progress at /v1/rescreens and /rescreens). See
docs/deploy.md.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := a.policy(pf)
			if err != nil {
				return err
			}
			s.Policy = &p
			s.LimitMemory = true
			return s.Run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVar(&s.Addr, "addr", DefaultAddr, "address to listen on (host:port)")
	f.StringVar(&s.Database, "database", "", "keep the lists, book, alerts, audit trail, users and jobs in this PostgreSQL database, shared by the replicas of a cluster (postgres://...; default $INTERDICT_DATABASE, else the config's \"database\", else the embedded database)")
	f.StringVar(&s.TokenFile, "token-file", "", "file of API tokens, one per line with an optional user name (default $INTERDICT_TOKEN_FILE)")
	f.DurationVar(&s.CheckEvery, "check-every", screen.DefaultCheckEvery, "how often to check the store for list versions imported by another process (0 disables)")
	f.StringVar(&s.TLSCert, "tls-cert", "", "serve HTTPS (TLS 1.2 or later) with this PEM certificate (chain); needs --tls-key")
	f.StringVar(&s.TLSKey, "tls-key", "", "the PEM private key of --tls-cert")
	f.StringVar(&a.nats, "nats", "", "NATS server of a cluster (nats://host:port): new list versions are announced to every replica and re-screening is shared among them; needs --database (default $INTERDICT_NATS, else the config's \"nats\")")
	f.StringVar(&a.natsPrefix, "nats-prefix", "", "prefix of the cluster's NATS subjects and streams (default $INTERDICT_NATS_PREFIX, else \"interdict\")")
	f.StringVar(&a.replica, "replica", "", "name of this replica in the cluster (default $INTERDICT_REPLICA, else host name and process ID)")
	f.DurationVar(&s.WorkAckWait, "work-ack-wait", 30*time.Second, "on a cluster, how long a re-screening page may go without a sign of progress before another replica takes it over (a replica that died)")
	f.DurationVar(&s.UpdateEvery, "update-every", 0, "download, verify and import the lists at this interval, e.g. 6h (0: never; the config's \"sources\" give the URLs)")
	pf.register(f)
	return cmd
}

// Server wires the store, the screening index and the HTTP server for
// `interdict serve`. The end-to-end tests use it as it is: set the fields,
// Open, then Close.
type Server struct {
	// App supplies the data directory, configuration, environment and
	// streams.
	App *App
	// Addr is the address to listen on; "127.0.0.1:0" picks a free port.
	Addr string
	// TokenFile names the API token file; "" reads $INTERDICT_TOKEN_FILE.
	TokenFile string
	// Tokens maps API tokens to user names, in addition to TokenFile's.
	Tokens map[string]string
	// LimitMemory returns the garbage of every index load to the system
	// and keeps the process's soft memory limit near what the index needs
	// (screen.ServiceConfig.LimitMemory): for a process that is only this
	// server, as under `interdict serve`.
	LimitMemory bool
	// Database is a postgres:// URL for the book, alerts, audit trail and
	// users; "" is $INTERDICT_DATABASE, else the embedded database.
	Database string
	// CheckEvery is how often the store is checked for list versions
	// imported by another process; 0 disables the check (versions the
	// server imports itself are served at once, and Reload can still be
	// called).
	CheckEvery time.Duration
	// UpdateEvery is the interval of the list updates the server runs
	// itself (fetch, verify, import); 0 disables them.
	UpdateEvery time.Duration
	// WorkAckWait is how long a work item of the cluster's queue may go
	// without a sign of progress before it is delivered again; 0 means 30
	// seconds.
	WorkAckWait time.Duration
	// TLSCert and TLSKey, when set, name the PEM certificate and key to
	// serve HTTPS with (TLS 1.2 or later); both or neither.
	TLSCert, TLSKey string
	// Limits bounds how long a client may take and how many connections
	// it may hold; zero fields take the defaults of DefaultConnLimits.
	Limits ConnLimits
	// Policy is the screening policy; nil means the one `interdict screen`
	// uses: the default, then the config file's.
	Policy *screen.Policy
	// Logger receives the server's structured log; by default JSON lines
	// on App.Stderr.
	Logger *slog.Logger

	// Service is the screening service, set by Open.
	Service *screen.Service
	// HTTP is the HTTP server, set by Open; tests may tune its limits
	// between NewServer and Open through Configure.
	HTTP *interdicthttp.Server
	// Configure, when set, is called on HTTP before it starts serving.
	Configure func(*interdicthttp.Server)

	ln       net.Listener
	srv      *http.Server
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	ready    chan struct{}
	readyOne sync.Once
	serveErr chan error
}

// ConnLimits bounds the connections of the HTTP server, so that slow or
// greedy clients are cut off without stalling the others.
type ConnLimits struct {
	// ReadHeaderTimeout bounds the reading of a request's headers,
	// ReadTimeout of the whole request (batch routes extend it for their
	// body), WriteTimeout of the response (every route sets its own
	// deadline within it) and IdleTimeout a kept-alive connection's wait
	// for its next request.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxConnsPerClient is the most connections one client address may hold
	// open; more are closed on accept.
	MaxConnsPerClient int
}

// DefaultConnLimits returns the limits `interdict serve` uses.
func DefaultConnLimits() ConnLimits {
	return ConnLimits{
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxConnsPerClient: interdicthttp.DefaultMaxConnsPerClient,
	}
}

// withDefaults fills the zero fields of l from DefaultConnLimits.
func (l ConnLimits) withDefaults() ConnLimits {
	d := DefaultConnLimits()
	for _, f := range []struct{ v, def *time.Duration }{{&l.ReadHeaderTimeout, &d.ReadHeaderTimeout}, {&l.ReadTimeout, &d.ReadTimeout}, {&l.WriteTimeout, &d.WriteTimeout}, {&l.IdleTimeout, &d.IdleTimeout}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	if l.MaxConnsPerClient == 0 {
		l.MaxConnsPerClient = d.MaxConnsPerClient
	}
	return l
}

// NewServer returns a Server for app with the default address, reload
// interval and policy.
func NewServer(app *App) *Server {
	return &Server{App: app, Addr: DefaultAddr, CheckEvery: screen.DefaultCheckEvery,
		ready: make(chan struct{}), serveErr: make(chan error, 1)}
}

// Run opens the server, serves until ctx is done, and closes it.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Open(ctx); err != nil {
		return err
	}
	fmt.Fprintf(s.App.Stderr, "interdict: serving on %s\n", s.URL())
	var err error
	select {
	case <-ctx.Done():
	case err = <-s.serveErr:
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// URL returns the base URL the server listens on, once open.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	if s.TLSCert != "" {
		return "https://" + s.ln.Addr().String()
	}
	return "http://" + s.ln.Addr().String()
}

// Ready is closed once the first index is loaded and /readyz answers 200.
func (s *Server) Ready() <-chan struct{} { return s.ready }

// Open opens the store (importing the bundled snapshot on first run),
// decides how requests are authenticated, starts listening, and loads the
// index in the background. It refuses to listen beyond loopback without
// an API token.
func (s *Server) Open(ctx context.Context) error {
	if s.ready == nil {
		s.ready, s.serveErr = make(chan struct{}), make(chan error, 1)
	}
	if s.Policy == nil {
		p, err := s.App.policy(policyFlags{})
		if err != nil {
			return err
		}
		s.Policy = &p
	} else if err := s.Policy.Validate(); err != nil {
		return err
	}
	if s.Logger == nil {
		level := slog.LevelInfo
		if s.App.verbose {
			level = slog.LevelDebug
		}
		s.Logger = slog.New(slog.NewJSONHandler(s.App.Stderr, &slog.HandlerOptions{Level: level}))
	}
	tokens, err := s.tokens()
	if err != nil {
		return err
	}
	tlsConfig, err := s.tlsConfig()
	if err != nil {
		return err
	}
	loopback, err := isLoopbackAddr(s.Addr)
	if err != nil {
		return usageError("--addr %q: %v", s.Addr, err)
	}
	// The lists (importing the bundled snapshot on first run) and the
	// book, alerts, audit trail and users: on the embedded database, or on
	// PostgreSQL with --database.
	if s.Database != "" {
		s.App.database = s.Database
	}
	rf := reviewFlags{Database: s.App.databaseURL()}
	st, err := s.App.openReview(ctx, rf)
	if err != nil {
		return err
	}
	users, _, err := s.App.userStores(ctx, rf)
	if err != nil {
		return err
	}
	auth, err := s.auth(ctx, users, tokens, loopback)
	if err != nil {
		return err
	}
	check := s.CheckEvery
	if check <= 0 {
		check = -1
	}
	svc, err := screen.NewService(screen.ServiceConfig{Lists: st.lists, Events: st.events, Policy: *s.Policy, CheckEvery: check, Logger: s.Logger, Now: s.App.Now, LimitMemory: s.LimitMemory})
	if err != nil {
		return err
	}
	s.Service = svc
	indexKey, err := s.App.cachedIndex(ctx, st.lists, svc, *s.Policy)
	if err != nil {
		return err
	}
	var sources map[string][]string
	if s.UpdateEvery > 0 {
		c, err := s.App.loadConfig()
		if err != nil {
			return err
		}
		sources = c.Sources
	}
	h := interdicthttp.NewServer(st.lists, svc, auth)
	h.Jobs = st.jobs
	// The book, alerts and decisions: the review service over the same
	// database and screening service, its roles from the user store.
	rv, err := review.NewService(review.Config{Store: st.review, Lists: st.lists, Screen: svc, Roles: userRoles{users}, Now: s.App.Now})
	if err != nil {
		return err
	}
	h.Users, h.Review, h.Workflow = users, st.review, reviewWorkflow{rv}
	if err := s.App.recordSettings(ctx, st.review, "", *s.Policy, "serve"); err != nil {
		return err
	}
	var coord *coordinator
	if st.pg != nil {
		coord = newCoordinator(st, rv, s.App.replicaName(), s.Logger)
		if st.bus != nil {
			if coord.queue, err = st.bus.Queue(ctx, rescreenQueue, natsbus.QueueOptions{AckWait: s.WorkAckWait}); err != nil {
				return err
			}
		}
		h.Rescreens = coord
	}
	h.MessageAlerts = messageAlerts(rv)
	if h.MessageResults, err = s.App.openMessageResults(ctx, st, rf); err != nil {
		return err
	}
	h.ListImporter = &listImporter{lists: st.lists, now: s.App.Now}
	h.Logger = s.Logger
	h.Now = s.App.Now
	h.CountryName = country.Name
	h.LoopbackHosts = auth.Local
	h.BuildVersion = Version
	// Adverse media: beside the book, scanned with the document scanner
	// (h.Documents, set below), its alerts raised through the review service.
	if h.Media, err = s.App.serveMedia(ctx, rf, svc, rv, func(ctx context.Context) (*scan.Scanner, error) { return h.Documents.Scanner(ctx) }); err != nil {
		return err
	}
	if c, err := s.App.loadConfig(); err == nil {
		h.MaxAge = c.MaxAge
	}
	// Goods: the same classifier as 'interdict goods classify', with end
	// users screened through the screening service, so that they follow
	// list reloads.
	goods, err := classify.New(classify.Options{Screener: h.PartyScreener(), CountryCode: country.Code, CountryName: country.Name})
	if err != nil {
		return fmt.Errorf("load goods classifier: %w", err)
	}
	h.Goods = goods
	// Messages: every party through the same service, places and goods
	// through the same classifier.
	if h.Messages, err = message.NewScreener(message.Options{Parties: h.PartyScreener(), Threshold: svc.Policy().Threshold, Destinations: goods, Goods: goods}); err != nil {
		return fmt.Errorf("message screener: %w", err)
	}
	h.Documents = scan.NewLive(svc)
	// The document scanner is built at start-up and after each list
	// update, in the background, so that no scan waits for it.
	go h.Documents.Run(ctx, 0)
	message.NewDocScanner(h.Messages.(*message.Screener), h.Documents)
	// The network (package graph): the /v1/graph routes, the network page
	// and the network signals of every screening result.
	if err := s.App.wireNetwork(ctx, rf, svc, h); err != nil {
		return err
	}
	if s.Configure != nil {
		s.Configure(h)
	}
	s.HTTP = h
	handler := h.Handler()

	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	limits := s.Limits.withDefaults()
	ln = interdicthttp.LimitListener(ln, limits.MaxConnsPerClient, func(addr string) {
		s.Logger.Warn("connection refused: too many from one client", "remote", addr, "max", limits.MaxConnsPerClient)
	})
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: limits.ReadHeaderTimeout,
		ReadTimeout:       limits.ReadTimeout,
		WriteTimeout:      limits.WriteTimeout,
		IdleTimeout:       limits.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		TLSConfig:         tlsConfig,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	life, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.Logger.Info("listening", "addr", ln.Addr().String(), "tls", tlsConfig != nil, "auth", authMode(len(tokens)), "tokens", len(tokens))
	s.wg.Add(3)
	go func() {
		defer s.wg.Done()
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.serveErr <- err
		}
	}()
	go func() {
		defer s.wg.Done()
		if err := svc.Run(life); err != nil {
			s.Logger.Error("screening service", "err", err.Error())
		}
	}()
	if s.App.Indexes != nil {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			select {
			case <-svc.Ready():
				s.App.keepIndex(svc, *s.Policy, indexKey)
			case <-life.Done():
			}
		}()
	}
	// The book is re-screened after every list version made current: on
	// a cluster once, led by one replica and shared through the work
	// queue (see cluster.go).
	s.wg.Add(1)
	if coord != nil {
		go func() {
			defer s.wg.Done()
			coord.run(life, st.events)
		}()
	} else {
		go func() {
			defer s.wg.Done()
			if err := rv.Watch(life, st.events, func(err error) { s.Logger.Error("re-screen", "err", err.Error()) }); err != nil {
				s.Logger.Error("re-screen", "err", err.Error())
			}
		}()
	}
	go func() {
		defer s.wg.Done()
		select {
		case <-svc.Ready():
		case <-life.Done():
			return
		}
		s.readyOne.Do(func() { close(s.ready) })
		// Batch jobs of the web UI cut off by the last stop run again; on
		// a cluster, those of any replica that stopped (see resumeJobs).
		resumeJobs(life, h, st.pg != nil, s.Logger)
	}()
	if s.UpdateEvery > 0 {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if st.pg != nil {
				updateLed(life, st.pg, st.review, s.App.pipeline(), s.UpdateEvery, sources, s.logUpdate)
				return
			}
			s.App.pipeline().Every(life, s.UpdateEvery, sources, source.ImportOptions{Strict: true}, s.logUpdate)
		}()
	}
	return nil
}

// tlsConfig loads TLSCert and TLSKey into a TLS 1.2+ configuration, or
// returns nil when neither is set.
func (s *Server) tlsConfig() (*tls.Config, error) {
	if s.TLSCert == "" && s.TLSKey == "" {
		return nil, nil
	}
	if s.TLSCert == "" || s.TLSKey == "" {
		return nil, usageError("--tls-cert and --tls-key go together: give both or neither")
	}
	cert, err := tls.LoadX509KeyPair(s.TLSCert, s.TLSKey)
	if err != nil {
		return nil, usageError("--tls-cert %s, --tls-key %s: %v", s.TLSCert, s.TLSKey, err)
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}, nil
}

// logUpdate logs the outcome of a list update run by the server.
func (s *Server) logUpdate(res *ingest.Result, err error) {
	if err != nil {
		s.Logger.Error("list update", "err", err.Error())
		return
	}
	for _, o := range res.Outcomes {
		attrs := []any{"list", o.List, "status", o.Status}
		if o.Version != nil {
			attrs = append(attrs, "version", o.Version.Version)
		}
		if o.Reason != "" {
			attrs = append(attrs, "reason", o.Reason)
		}
		if o.Status == source.StatusRefused {
			s.Logger.Warn("list update", attrs...)
		} else {
			s.Logger.Info("list update", attrs...)
		}
	}
}

// auth decides how requests are authenticated: the users of the store
// (sessions and API keys), the token file's tokens, and on loopback with
// neither, the local user until the first user is added. Beyond loopback
// it refuses to start with no user and no token.
func (s *Server) auth(ctx context.Context, users interdict.UserStore, tokens map[string]string, loopback bool) (*interdicthttp.UserAuth, error) {
	a := &interdicthttp.UserAuth{Users: users, Local: loopback && len(tokens) == 0, Now: s.App.Now}
	if len(tokens) > 0 {
		a.Tokens = interdicthttp.NewTokenAuth(tokens)
	}
	if !loopback && len(tokens) == 0 {
		_, n, err := users.FindUsers(ctx, interdict.UserFilter{Limit: 1})
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, usageError("refusing to listen on %s, beyond loopback, with no user and no API token: add a user ('interdict users add NAME --role admin'), give --token-file (or INTERDICT_TOKEN_FILE) or listen on %s", s.Addr, DefaultAddr)
		}
	}
	return a, nil
}

func authMode(tokens int) string {
	if tokens > 0 {
		return "bearer-token"
	}
	return "local-user"
}

// Close stops accepting requests, lets those in flight finish (up to 10
// seconds), stops the reload loop and the UI's batch jobs, and waits for
// them. It does not close the App's store.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(fmt.Errorf("shutdown: %w", err), s.srv.Close()) // cut off what did not finish in time
	}
	s.cancel()
	_ = s.HTTP.Close()
	s.wg.Wait()
	s.srv = nil
	return err
}

// Reload checks the store for new current list versions and, if any list
// changed, builds a new index and swaps it in (see screen.Service.Reload).
func (s *Server) Reload(ctx context.Context) (bool, error) {
	return s.Service.Reload(ctx)
}

// tokens reads the API tokens: Tokens plus the token file's. A token file
// holds one token per line, optionally followed by whitespace and the name
// of its user; blank lines and lines starting with # are ignored. Tokens
// are never logged.
func (s *Server) tokens() (map[string]string, error) {
	out := map[string]string{}
	for k, v := range s.Tokens {
		out[k] = v
	}
	path := s.TokenFile
	if path == "" {
		path = s.App.Getenv("INTERDICT_TOKEN_FILE")
	}
	if path == "" {
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("token file: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tok, name, _ := strings.Cut(line, " ")
		name = strings.TrimSpace(name)
		if len(tok) < 16 {
			return nil, fmt.Errorf("token file %s line %d: a token must be at least 16 characters", path, n)
		}
		if name == "" {
			name = fmt.Sprintf("token-%d", n)
		}
		out[tok] = name
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("token file %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("token file %s holds no token", path)
	}
	return out, nil
}

// isLoopbackAddr reports whether a listen address is on loopback only. An
// empty host (":8080") means every interface.
func isLoopbackAddr(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if strings.EqualFold(host, "localhost") {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}
