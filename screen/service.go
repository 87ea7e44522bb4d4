package screen

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/link"
	"github.com/interdict/interdict/match"
)

// DefaultCheckEvery is how often a Service asks its list store whether
// another process stored a new list version.
const DefaultCheckEvery = 250 * time.Millisecond

// Index is one loaded state of the lists: a screener over an immutable
// match index and the list versions it was built from. An Index never
// changes once built; the Service swaps in a new one when the lists change,
// and a request (or a whole batch) that started on an Index finishes on it.
type Index struct {
	// Screener screens on the index: a *Screener built by the Service (a
	// test may set any interdict.Screener).
	Screener interdict.Screener
	// Threshold is the policy's alert threshold.
	Threshold float64
	// Versions are the list versions the index holds, in list order; none
	// for an index built from fixed entities.
	Versions []*interdict.ListVersion
	// Parties are the index's entities linked into parties (package link).
	Parties *link.Parties
	// Entities and Names count what the index holds.
	Entities int
	Names    int
	// BuiltAt is when the index was built and BuildTime how long reading
	// and building it took.
	BuiltAt   time.Time
	BuildTime time.Duration

	// Listed are the entities indexed, shared with the index: read only.
	Listed []interdict.Entity
}

// Version returns the version of list the index holds, or 0.
func (ix *Index) Version(list string) int {
	for _, v := range ix.Versions {
		if v.List == list {
			return v.Version
		}
	}
	return 0
}

// listCache is the entities of one list version, as read for the current
// index: a reload reads again only the lists whose version changed.
type listCache struct {
	version  int
	checksum string
	entities []interdict.Entity
}

// ServiceConfig configures a Service.
type ServiceConfig struct {
	// Lists is where the current list versions are read. Nil makes a
	// service over fixed entities, given with Load (evaluation, benchmarks).
	Lists interdict.ListStore
	// Events, when set, tells the service of list versions stored in this
	// process (or cluster) as soon as they are; the service also checks
	// Lists.Generation every CheckEvery, for other processes.
	Events interdict.Events
	// Policy is the screening policy; it must be valid.
	Policy Policy
	// Country resolves a query's country to an ISO 3166-1 alpha-2 code;
	// nil uses package country.
	Country func(string) (string, bool)
	// DateOrder reads ambiguous numeric birth dates.
	DateOrder interdict.DateOrder
	// Strict refuses every query with an unreadable field (EINVALID),
	// instead of screening it without the field and warning.
	Strict bool
	// CheckEvery is how often Run checks Lists for a new generation;
	// 0 means DefaultCheckEvery, a negative value never.
	CheckEvery time.Duration
	// Logger receives a line per index load; nil discards.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// LimitMemory returns the garbage of every index load to the system
	// and sets the process's soft memory limit to the memory then in use plus a headroom for requests (a
	// quarter of it, at least 64 MiB), unless GOMEMLIMIT is set: the
	// collector then runs before the heap doubles, as it otherwise would,
	// and a server's resident memory stays near what its index needs.
	// The limit is lifted while a new index is built. It is the process's
	// setting: only a server that owns its process sets it.
	LimitMemory bool
	// After, when set, is called with every result ScreenWith returns,
	// after scoring, to add signals of its own (the network's: connected to
	// a listed party, blocked by ownership) to the result's own fields. It
	// must not change the hits or their scores.
	After AfterFunc
}

// AfterFunc adds signals of its own to a screening result after scoring
// (see ServiceConfig.After).
type AfterFunc func(ctx context.Context, ix *Index, res *interdict.ScreenResult)

// Service is the one screening entry point of interdict: the CLI, the HTTP
// API and web UI, goods end-user screening, the evaluation and the
// benchmarks all screen through it. It validates each query with
// interdict.Query.Check, screens it on the current Index and puts the
// check's warnings into the result. It owns the live index built from the
// list store and swaps it atomically when a new list version is stored:
// requests in flight finish on the index they started with and none fails
// during a swap. It is safe for concurrent use.
type Service struct {
	cfg    ServiceConfig
	policy Policy
	hash   string
	check  interdict.CheckOptions

	cur   atomic.Pointer[Index]
	swaps atomic.Int64

	reloadMu sync.Mutex
	gen      string               // the store generation cur was built from
	lastErr  string               // the last reload error logged
	byList   map[string]listCache // the entities of each list in cur, reused when the list did not change

	readyOnce sync.Once
	ready     chan struct{}

	after atomic.Pointer[AfterFunc]
}

var _ interdict.Screener = (*Service)(nil)

// NewService returns a service with no index yet: call Reload (or Run) to
// load the lists from the store, or Load to index fixed entities.
func NewService(cfg ServiceConfig) (*Service, error) {
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	if cfg.Country == nil {
		cfg.Country = country.Resolve
	}
	if cfg.CheckEvery == 0 {
		cfg.CheckEvery = DefaultCheckEvery
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{
		cfg:    cfg,
		policy: cfg.Policy,
		hash:   cfg.Policy.Hash(),
		check:  interdict.CheckOptions{DateOrder: cfg.DateOrder, Country: cfg.Country, Strict: cfg.Strict},
		ready:  make(chan struct{}),
	}
	s.SetAfter(cfg.After)
	return s, nil
}

// SetAfter replaces the function called with every result after scoring
// (ServiceConfig.After); nil removes it. Safe to call while screening.
func (s *Service) SetAfter(f AfterFunc) {
	if f == nil {
		s.after.Store(nil)
		return
	}
	s.after.Store(&f)
}

// Policy returns the screening policy.
func (s *Service) Policy() Policy { return s.policy }

// Lists returns the list store the service reads, or nil.
func (s *Service) Lists() interdict.ListStore { return s.cfg.Lists }

// Current returns the index new requests screen on, or nil before the
// first load.
func (s *Service) Current() *Index { return s.cur.Load() }

// Versions returns the list versions of the current index.
func (s *Service) Versions() []*interdict.ListVersion {
	if ix := s.cur.Load(); ix != nil {
		return ix.Versions
	}
	return nil
}

// Ready is closed once the first index is in place.
func (s *Service) Ready() <-chan struct{} { return s.ready }

// Swaps returns how many indexes have been swapped in, the first included.
func (s *Service) Swaps() int64 { return s.swaps.Load() }

// Swap makes ix the index new requests screen on and returns the previous
// one. Requests in flight finish on the index they started with.
func (s *Service) Swap(ix *Index) *Index {
	old := s.cur.Swap(ix)
	if ix != nil {
		s.swaps.Add(1)
		s.readyOnce.Do(func() { close(s.ready) })
	}
	return old
}

// Build builds an index over entities, recording versions (which may be
// nil) in every result, without swapping it in.
func (s *Service) Build(entities []interdict.Entity, versions []*interdict.ListVersion) (*Index, error) {
	start := time.Now()
	var lists map[string]string
	if len(versions) > 0 {
		lists = make(map[string]string, len(versions))
		for _, v := range versions {
			lists[v.List] = strconv.Itoa(v.Version)
		}
	}
	mx := match.NewIndex(entities)
	scr, err := NewScreener(mx, s.policy, lists)
	if err != nil {
		return nil, err
	}
	ps := scr.LinkParties(entities)
	return &Index{Screener: scr, Threshold: s.policy.Threshold, Versions: versions, Parties: ps, Entities: mx.Len(), Names: mx.Names(), Listed: entities,
		BuiltAt: s.cfg.Now(), BuildTime: time.Since(start)}, nil
}

// Load builds an index over fixed entities and swaps it in.
func (s *Service) Load(entities []interdict.Entity, versions []*interdict.ListVersion) (*Index, error) {
	ix, err := s.Build(entities, versions)
	if err != nil {
		return nil, err
	}
	s.Swap(ix)
	return ix, nil
}

// Reload checks the store's generation and, if it changed since the
// current index was built, reads the current list versions, builds a new
// index and swaps it in. It reports whether it swapped. It returns
// EUNAVAILABLE when the store holds no current list version.
func (s *Service) Reload(ctx context.Context) (bool, error) {
	if s.cfg.Lists == nil {
		return false, interdict.Errorf(interdict.EINTERNAL, "screening service has no list store to reload from")
	}
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	gen, err := s.cfg.Lists.Generation(ctx)
	if err != nil {
		return false, fmt.Errorf("check list generation: %w", err)
	}
	if s.cur.Load() != nil && gen == s.gen {
		return false, nil
	}
	start := time.Now()
	limit := s.cfg.LimitMemory && os.Getenv("GOMEMLIMIT") == ""
	if limit {
		debug.SetMemoryLimit(math.MaxInt64)
		// Whatever the outcome, the limit follows the memory in use.
		defer setMemoryLimit()
	}
	vs, err := s.cfg.Lists.FindCurrentVersions(ctx)
	if err != nil {
		return false, fmt.Errorf("find current list versions: %w", err)
	}
	if len(vs) == 0 {
		return false, interdict.Errorf(interdict.EUNAVAILABLE, "No lists are loaded. Run 'interdict lists import PATH' or 'interdict lists update'.")
	}
	if old := s.cur.Load(); old != nil && sameVersions(old.Versions, vs) {
		s.gen = gen
		return false, nil
	}
	parts := make([][]interdict.Entity, len(vs))
	n := 0
	for i, v := range vs {
		if c, ok := s.byList[v.List]; ok && c.version == v.Version && c.checksum == v.Checksum {
			parts[i] = c.entities
		} else {
			es, err := s.cfg.Lists.FindEntities(ctx, v.List, v.Version)
			if err != nil {
				return false, fmt.Errorf("read %s version %d: %w", v.List, v.Version, err)
			}
			CompactEntities(es)
			parts[i] = es
		}
		n += len(parts[i])
	}
	all := make([]interdict.Entity, 0, n)
	byList := make(map[string]listCache, len(vs))
	for i, v := range vs {
		off := len(all)
		all = append(all, parts[i]...)
		// The list's own slice is garbage once copied: not held while the
		// index is built.
		parts[i] = nil
		byList[v.List] = listCache{version: v.Version, checksum: v.Checksum, entities: all[off:len(all):len(all)]}
	}
	read := time.Since(start)
	ix, err := s.Build(all, vs)
	if err != nil {
		return false, err
	}
	ix.BuildTime = time.Since(start)
	old := s.Swap(ix)
	s.gen = gen
	s.byList = byList
	if limit {
		// The entities as read, the previous index once its last request
		// finishes, and the garbage of the build are returned to the
		// system rather than kept for a heap that will not grow so large
		// again.
		parts, all = nil, nil
		debug.FreeOSMemory()
	}
	attrs := []any{"entities", ix.Entities, "names", ix.Names, "took_ms", ix.BuildTime.Milliseconds(), "read_ms", read.Milliseconds()}
	for _, v := range vs {
		attrs = append(attrs, v.List, v.Version)
	}
	if old == nil {
		s.cfg.Logger.Info("index loaded", attrs...)
	} else {
		s.cfg.Logger.Info("index reloaded", attrs...)
	}
	return true, nil
}

// setMemoryLimit sets the soft memory limit to the memory the runtime
// holds now plus a quarter, at least 64 MiB (see ServiceConfig.LimitMemory).
func setMemoryLimit() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	held := int64(m.Sys - m.HeapReleased)
	debug.SetMemoryLimit(held + max(held/4, 64<<20))
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

// Run loads the index and keeps it current until ctx is done: it reloads
// on every list version event and checks the store's generation every
// CheckEvery, so that an import by another process is served within
// CheckEvery plus the time to build the index. It returns nil when ctx is
// done, or the error of subscribing to Events.
func (s *Service) Run(ctx context.Context) error {
	var events <-chan interdict.Event
	if s.cfg.Events != nil {
		ch, err := s.cfg.Events.Subscribe(ctx)
		if err != nil {
			return fmt.Errorf("subscribe to list events: %w", err)
		}
		events = ch
	}
	var tick <-chan time.Time
	if s.cfg.CheckEvery > 0 {
		t := time.NewTicker(s.cfg.CheckEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		s.reloadLogged(ctx)
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-events:
			if !ok {
				events = nil
			}
			drain(events) // one reload for a burst of versions

		case <-tick:
		}
	}
}

// drain discards the events already queued on ch.
func drain(ch <-chan interdict.Event) {
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// reloadLogged reloads, logging a failure once until it changes.
func (s *Service) reloadLogged(ctx context.Context) {
	_, err := s.Reload(ctx)
	if ctx.Err() != nil {
		return
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if msg != s.lastErr && msg != "" {
		s.cfg.Logger.Error("load index", "err", msg)
	}
	s.lastErr = msg
}

// ScreenOptions tune one screen.
type ScreenOptions struct {
	// Strict refuses the query (EINVALID) when a field cannot be read,
	// instead of screening without it and warning.
	Strict bool
	// Index, when set, is the index to screen on instead of the current
	// one: a batch screens every row on the index it started with.
	Index *Index
	// Filter, when set, screens only the entities for which it returns
	// true (see Screener.ScreenFilter); the index's screener must then be
	// a *Screener.
	Filter func(e *interdict.Entity) bool
}

// CheckOptions returns the options Check validates queries with (the
// service's country resolver, date order and strictness), for a pipeline
// that checks its queries itself before screening them here (package
// batch): the same options give the same warnings.
func (s *Service) CheckOptions() interdict.CheckOptions { return s.check }

// Check validates and normalizes a query as Screen does, without
// screening it: interdict.Query.Check with the service's country resolver
// and date order.
func (s *Service) Check(q interdict.Query, strict bool) (interdict.Query, []interdict.Warning, error) {
	opt := s.check
	opt.Strict = opt.Strict || strict
	return q.Check(opt)
}

// Screen implements interdict.Screener: ScreenWith with no options.
func (s *Service) Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	return s.ScreenWith(ctx, q, ScreenOptions{})
}

// ScreenWith checks q (see Check), screens it on the current index (or
// opt.Index) and returns the result with the check's warnings (never nil)
// and the hits (never nil). It returns EINVALID for a query that cannot be
// screened, and EUNAVAILABLE before the first index is loaded.
func (s *Service) ScreenWith(ctx context.Context, q interdict.Query, opt ScreenOptions) (*interdict.ScreenResult, error) {
	q, warns, err := s.Check(q, opt.Strict)
	if err != nil {
		return nil, err
	}
	ix := opt.Index
	if ix == nil {
		ix = s.cur.Load()
	}
	if ix == nil {
		return nil, interdict.Errorf(interdict.EUNAVAILABLE, "The lists are still being loaded; try again in a few seconds.")
	}
	var res *interdict.ScreenResult
	if opt.Filter != nil {
		scr, ok := ix.Screener.(*Screener)
		if !ok {
			return nil, fmt.Errorf("screen with a filter: the index's screener is a %T, not a *screen.Screener", ix.Screener)
		}
		res, err = scr.ScreenFilter(ctx, q, opt.Filter)
	} else {
		res, err = ix.Screener.Screen(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	// The fields' warnings first, then the screener's own (a name that
	// names no party).
	res.Warnings = append(append(interdict.Warnings{}, warns...), res.Warnings...)
	if res.Hits == nil {
		res.Hits = []interdict.Hit{}
	}
	if res.Parties == nil {
		res.Parties = []interdict.ListedParty{}
	}
	if after := s.after.Load(); after != nil {
		(*after)(ctx, ix, res)
	}
	return res, nil
}

// Compare checks both parties strictly (a pair has no room for warnings:
// an unreadable type is EINVALID) and scores a against b under the
// service's policy, with no list (see the function Compare).
func (s *Service) Compare(ctx context.Context, a, b interdict.Query) (Comparison, error) {
	if err := ctx.Err(); err != nil {
		return Comparison{}, err
	}
	a, _, err := s.Check(a, true)
	if err != nil {
		return Comparison{}, err
	}
	b, _, err = s.Check(b, true)
	if err != nil {
		return Comparison{}, err
	}
	c := Compare(s.policy, a, b)
	c.Policy = s.hash
	return c, nil
}
