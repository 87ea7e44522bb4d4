package cli

import (
	"bufio"
	"context"
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
	"github.com/interdict/interdict/match"
	"github.com/interdict/interdict/screen"
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

It listens on ` + DefaultAddr + ` by default. On loopback with no API token
configured, every request acts as the local user (and the Host header must
name localhost, against DNS rebinding). To listen on any other address,
configure tokens with --token-file (or $INTERDICT_TOKEN_FILE): one token per
line, optionally followed by the name of its user; callers then send
"Authorization: Bearer <token>", and the web UI asks for a token.

The index of the current list versions is rebuilt and swapped in without
dropping a request whenever a new version is imported, for example by
'interdict lists update' run against the same home.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := a.policy(pf)
			if err != nil {
				return err
			}
			s.Policy = &p
			return s.Run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVar(&s.Addr, "addr", DefaultAddr, "address to listen on (host:port)")
	f.StringVar(&s.TokenFile, "token-file", "", "file of API tokens, one per line with an optional user name (default $INTERDICT_TOKEN_FILE)")
	f.DurationVar(&s.ReloadInterval, "reload-interval", 15*time.Second, "how often to look for new list versions (0 disables)")
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
	// ReloadInterval is how often the store is checked for new list
	// versions; 0 disables the check (Reload can still be called).
	ReloadInterval time.Duration
	// Policy is the screening policy; nil means the one `interdict screen`
	// uses: the default, then the config file's.
	Policy *screen.Policy
	// Logger receives the server's structured log; by default JSON lines
	// on App.Stderr.
	Logger *slog.Logger

	// HTTP is the HTTP server, set by Open; tests may tune its limits
	// between NewServer and Open through Configure.
	HTTP *interdicthttp.Server
	// Configure, when set, is called on HTTP before it starts serving.
	Configure func(*interdicthttp.Server)

	ln       net.Listener
	srv      *http.Server
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	reloadMu sync.Mutex
	ready    chan struct{}
	readyOne sync.Once
	serveErr chan error
}

// NewServer returns a Server for app with the default address, reload
// interval and policy.
func NewServer(app *App) *Server {
	return &Server{App: app, Addr: DefaultAddr, ReloadInterval: 15 * time.Second,
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
	loopback, err := isLoopbackAddr(s.Addr)
	if err != nil {
		return usageError("--addr %q: %v", s.Addr, err)
	}
	var auth interdicthttp.Authenticator
	switch {
	case len(tokens) > 0:
		auth = interdicthttp.NewTokenAuth(tokens)
	case loopback:
		auth = interdicthttp.LocalAuth{}
	default:
		return usageError("refusing to listen on %s, beyond loopback, with no API token: give --token-file (or INTERDICT_TOKEN_FILE) or listen on %s", s.Addr, DefaultAddr)
	}
	st, err := s.App.open(ctx)
	if err != nil {
		return err
	}
	h := interdicthttp.NewServer(st.lists, auth)
	h.Logger = s.Logger
	h.Now = s.App.Now
	h.CountryName = country.Name
	h.LoopbackHosts = len(tokens) == 0
	h.BuildVersion = Version
	// Goods: the same classifier as 'interdict goods classify', with end
	// users screened on the snapshot the server holds, so that they follow
	// list reloads.
	goods, err := classify.New(classify.Options{Screener: h.PartyScreener(), CountryCode: country.Code, CountryName: country.Name})
	if err != nil {
		return fmt.Errorf("load goods classifier: %w", err)
	}
	h.Goods = goods
	if s.Configure != nil {
		s.Configure(h)
	}
	s.HTTP = h
	handler := h.Handler()

	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	life, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.Logger.Info("listening", "addr", ln.Addr().String(), "auth", authMode(len(tokens)), "tokens", len(tokens))
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.serveErr <- err
		}
	}()
	go func() {
		defer s.wg.Done()
		s.watch(life)
	}()
	return nil
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

// watch loads the index, then reloads it whenever the current list
// versions change, until ctx is done.
func (s *Server) watch(ctx context.Context) {
	for {
		if _, err := s.Reload(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.Logger.Error("load index", "err", err.Error())
		}
		if s.HTTP.Snapshot() != nil {
			s.readyOne.Do(func() { close(s.ready) })
		}
		wait := s.ReloadInterval
		if wait <= 0 {
			if s.HTTP.Snapshot() != nil {
				return
			}
			wait = 5 * time.Second // keep trying to load the first index
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// Reload checks the store for new current list versions and, if any list
// changed, builds a new index and swaps it in. Requests in flight finish
// on the old index. It reports whether it swapped.
func (s *Server) Reload(ctx context.Context) (bool, error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	vs, err := s.App.store.lists.FindCurrentVersions(ctx)
	if err != nil {
		return false, fmt.Errorf("find current versions: %w", err)
	}
	if old := s.HTTP.Snapshot(); old != nil && sameVersions(old.Versions, vs) {
		return false, nil
	}
	snap, err := s.build(ctx, vs)
	if err != nil {
		return false, err
	}
	old := s.HTTP.Swap(snap)
	attrs := []any{"entities", snap.Entities, "names", snap.Names, "took_ms", snap.BuildTime.Milliseconds()}
	for _, v := range vs {
		attrs = append(attrs, v.List, v.Version)
	}
	if old == nil {
		s.Logger.Info("index loaded", attrs...)
	} else {
		s.Logger.Info("index reloaded", attrs...)
	}
	return true, nil
}

// build reads the entities of the given versions and builds a snapshot.
func (s *Server) build(ctx context.Context, vs []*interdict.ListVersion) (*interdicthttp.Snapshot, error) {
	start := time.Now()
	var all []interdict.Entity
	lists := map[string]string{}
	for _, v := range vs {
		es, err := s.App.store.lists.FindEntities(ctx, v.List, v.Version)
		if err != nil {
			return nil, fmt.Errorf("read %s version %d: %w", v.List, v.Version, err)
		}
		all = append(all, es...)
		lists[v.List] = fmt.Sprint(v.Version)
	}
	ix := match.NewIndex(all)
	scr, err := screen.NewScreener(ix, *s.Policy, lists)
	if err != nil {
		return nil, err
	}
	return &interdicthttp.Snapshot{
		Screener:  scr,
		Comparer:  comparer{*s.Policy},
		Threshold: s.Policy.Threshold,
		Versions:  vs,
		Entities:  ix.Len(),
		Names:     ix.Names(),
		BuiltAt:   s.App.Now(),
		BuildTime: time.Since(start),
	}, nil
}

func sameVersions(a, b []*interdict.ListVersion) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].List != b[i].List || a[i].Version != b[i].Version || a[i].Checksum != b[i].Checksum {
			return false
		}
	}
	return true
}

// comparer adapts screen.Compare to interdicthttp.Comparer.
type comparer struct{ p screen.Policy }

func (c comparer) Compare(ctx context.Context, a, b interdict.Query) (*interdicthttp.Comparison, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := screen.Compare(c.p, a, b)
	return &interdicthttp.Comparison{Score: r.Score, Alert: r.Alert, Policy: r.Policy, Explanation: r.Explanation}, nil
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
