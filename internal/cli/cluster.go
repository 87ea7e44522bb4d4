package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/ingest"
	"github.com/interdict/interdict/natsbus"
	"github.com/interdict/interdict/postgres"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/source"
)

// A cluster is several `interdict serve` replicas on one PostgreSQL
// database (lists, book, alerts, decisions, audit trail, users, jobs) and
// one NATS server (list versions announced to every replica; re-screening
// pages shared through a JetStream work queue). Scheduled jobs are led
// through PostgreSQL advisory locks: one replica at a time runs the list
// update and plans a re-screening run, and any replica takes over when
// the leader dies (PostgreSQL frees a dead session's locks).

// clusterDefaults makes the config file's database and NATS server the
// defaults of $INTERDICT_DATABASE and $INTERDICT_NATS, so that every
// command (and the review commands' --database) finds them.
func (a *App) clusterDefaults(c *Config) {
	get := a.Getenv
	defaults := map[string]string{"INTERDICT_DATABASE": c.Database, "INTERDICT_NATS": c.NATS, "INTERDICT_NATS_PREFIX": c.NATSPrefix}
	a.Getenv = func(k string) string {
		if v := get(k); v != "" {
			return v
		}
		return defaults[k]
	}
}

// validateCluster checks the database and NATS fields of the config file.
func (c *Config) validateCluster() error {
	if c.Database != "" && !isPostgresURL(c.Database) {
		return &ConfigError{Field: "database", Err: errors.New("not a postgres:// URL")}
	}
	if c.NATS != "" {
		for _, s := range strings.Split(c.NATS, ",") {
			u, err := url.Parse(strings.TrimSpace(s))
			if err != nil || (u.Scheme != "nats" && u.Scheme != "tls") || u.Host == "" {
				return &ConfigError{Field: "nats", Err: fmt.Errorf("%q is not a nats:// URL", natsbus.Redact(s))}
			}
		}
	}
	return nil
}

func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// databaseURL returns the PostgreSQL database: serve's --database, else
// $INTERDICT_DATABASE, else the config file's; "" for the embedded one.
func (a *App) databaseURL() string {
	if a.database != "" {
		return a.database
	}
	return a.Getenv("INTERDICT_DATABASE")
}

// natsURL returns the NATS server: serve's --nats, else $INTERDICT_NATS,
// else the config file's; "" for none.
func (a *App) natsURL() string {
	if a.nats != "" {
		return a.nats
	}
	return a.Getenv("INTERDICT_NATS")
}

// openCluster opens, when configured, the PostgreSQL database (lists,
// jobs and the review store move there) and the NATS connection (the
// list store's events go there, so every replica hears of a new version).
func (a *App) openCluster(ctx context.Context, st *stores) error {
	dsn := a.databaseURL()
	nurl := a.natsURL()
	if dsn == "" {
		if nurl != "" {
			return usageError("NATS (%s) needs a PostgreSQL database: give --database or INTERDICT_DATABASE", natsbus.Redact(nurl))
		}
		return nil
	}
	if !isPostgresURL(dsn) {
		return usageError("--database must be a postgres:// URL")
	}
	pg, err := postgres.Open(ctx, dsn)
	if err != nil {
		return err
	}
	lists := postgres.NewListStore(pg)
	lists.Events = st.events
	jobs := postgres.NewJobStore(pg)
	// The holder of the batch jobs' leases: this replica, in this life.
	jobs.Holder = a.replicaName() + "-" + interdict.NewID()[:8]
	st.pg, st.lists, st.jobs = pg, lists, jobs
	st.review = postgres.NewReviewStore(pg)
	if nurl != "" {
		prefix := a.natsPrefix
		if prefix == "" {
			prefix = a.Getenv("INTERDICT_NATS_PREFIX")
		}
		bus, err := natsbus.Connect(nurl, natsbus.Options{Prefix: prefix, Name: a.replicaName()})
		if err != nil {
			pg.Close()
			return err
		}
		st.bus = bus
		st.events = bus.Events()
		lists.Events = st.events
	}
	return nil
}

// replicaName names this process in the cluster: serve's --replica, else
// $INTERDICT_REPLICA, else host name and process ID.
func (a *App) replicaName() string {
	if a.replica != "" {
		return a.replica
	}
	if r := a.Getenv("INTERDICT_REPLICA"); r != "" {
		return r
	}
	h, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", h, os.Getpid())
}

// Lock names of the scheduled jobs.
const (
	lockRescreen = "rescreen"
	lockUpdate   = "lists.update"
)

// checkpointUpdate holds the time of the cluster's last list update.
const checkpointUpdate = "lists.update"

// rescreenQueue is the work queue of re-screening pages.
const rescreenQueue = "rescreen"

// rescreenPageSize is how many parties a page of a distributed run holds.
const rescreenPageSize = 500

// coordinator runs re-screening on a cluster: the leader (the holder of
// the re-screen lock) plans runs and finishes them; every replica screens
// pages from the work queue.
type coordinator struct {
	pg      *postgres.DB
	runs    *postgres.RescreenRunStore
	queue   *natsbus.Queue // nil without NATS: the leader screens alone
	rv      *review.Service
	book    interdict.ReviewStore
	lists   interdict.ListStore
	replica string
	logger  *slog.Logger
	// PageSize is the parties per page; 0 means rescreenPageSize.
	PageSize int

	mu     sync.Mutex
	plans  map[string]*review.RescreenPlan
	wanted bool // a list version was stored since the last run
}

func newCoordinator(st *stores, rv *review.Service, replica string, logger *slog.Logger) *coordinator {
	return &coordinator{pg: st.pg, runs: postgres.NewRescreenRunStore(st.pg), rv: rv, book: st.review, lists: st.lists, replica: replica, logger: logger,
		plans: map[string]*review.RescreenPlan{}}
}

// run works until ctx is done: it follows list events, leads when it can
// and, with a queue, screens pages.
func (c *coordinator) run(ctx context.Context, events interdict.Events) {
	var wg sync.WaitGroup
	if events != nil {
		if ch, err := events.Subscribe(ctx); err == nil {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for e := range ch {
					if e.Type == interdict.EventListVersionStored && e.Current {
						c.mu.Lock()
						c.wanted = true
						c.mu.Unlock()
					}
				}
			}()
		}
	}
	if c.queue != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.queue.Work(ctx, c.logger, c.screenPage)
		}()
	}
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-t.C:
		}
		if err := c.lead(ctx, false, false, ""); err != nil && ctx.Err() == nil && interdict.ErrorCode(err) != interdict.ECONFLICT {
			c.logger.Error("re-screen", "err", err.Error())
		}
	}
}

// errBusy is returned when another replica leads re-screening.
var errBusy = interdict.Errorf(interdict.ECONFLICT, "A re-screening run is being led by another replica; try again when it has finished.")

// lead takes the re-screen lock if free and, holding it, finishes a run
// left running (by a replica that died) or starts one when the lists
// changed since the book was last screened (or start is set). It returns
// once the run is done, or, with async, once a started run is planned
// (the run then goes on in the background).
func (c *coordinator) lead(ctx context.Context, start, full bool, actor string) error {
	lock, err := c.pg.TryLock(ctx, lockRescreen)
	if err != nil {
		return err
	}
	if lock == nil {
		return errBusy
	}
	defer lock.Unlock()
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-lock.Lost():
			cancel()
		case <-lctx.Done():
		}
	}()
	open, err := c.runs.FindRescreenRuns(lctx, interdict.RunRunning, 10)
	if err != nil {
		return err
	}
	for _, r := range open {
		c.logger.Info("re-screen taken over", "run", r.ID, "pages_done", r.PagesDone, "pages", r.Pages)
		if err := c.drive(lctx, r); err != nil {
			return err
		}
	}
	if !start {
		c.mu.Lock()
		wanted := c.wanted
		c.wanted = false
		c.mu.Unlock()
		if !wanted {
			// Catch a version this replica did not hear of: the book was
			// screened before and the lists moved on since.
			if _, err := c.book.FindCheckpoint(lctx, review.CheckpointBook); err != nil {
				return nil
			}
		}
	}
	plan, err := c.rv.PlanRescreen(lctx, full)
	if err != nil {
		if interdict.ErrorCode(err) == interdict.EUNAVAILABLE {
			return nil // the lists are still loading
		}
		return err
	}
	if plan.Unchanged() && !start {
		return nil
	}
	// A replica whose index is behind the store leaves the run to the
	// replica that holds the lock once it has reloaded.
	cur, err := c.current(lctx)
	if err != nil {
		return err
	}
	for l, v := range plan.To {
		if cur[l] != v {
			return nil
		}
	}
	r, err := c.plan(lctx, plan, actor)
	if err != nil {
		return err
	}
	return c.drive(lctx, r)
}

// current returns the current version of every list in the store.
func (c *coordinator) current(ctx context.Context) (map[string]int, error) {
	vs, err := c.lists.FindCurrentVersions(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(vs))
	for _, v := range vs {
		out[v.List] = v.Version
	}
	return out, nil
}

// plan cuts the book into pages, stores the run and publishes its pages.
func (c *coordinator) plan(ctx context.Context, plan *review.RescreenPlan, actor string) (*interdict.RescreenRun, error) {
	size := c.PageSize
	if size <= 0 {
		size = rescreenPageSize
	}
	pages, parties, err := c.runs.CutBook(ctx, size)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(plan)
	if err != nil {
		return nil, err
	}
	if actor == "" {
		actor = interdict.ActorSystem
	}
	r := &interdict.RescreenRun{Full: plan.Full, Plan: b, Actor: actor, Parties: parties}
	if err := c.runs.CreateRescreenRun(ctx, r, pages); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.plans[r.ID] = plan
	c.mu.Unlock()
	c.logger.Info("re-screen planned", "run", r.ID, "full", plan.Full, "parties", parties, "pages", len(pages))
	return r, nil
}

// drive publishes a run's open pages (again: a page already queued is
// stored once), waits until every page is done (screening them itself
// when there is no queue) and finishes the run. While it waits it checks
// every few seconds that the queue still holds every open page, and
// publishes the open pages again when it does not (the queue's stream was
// lost with its items).
func (c *coordinator) drive(ctx context.Context, r *interdict.RescreenRun) error {
	pages, err := c.runs.FindOpenPages(ctx, r.ID)
	if err != nil {
		return err
	}
	if err := c.publish(ctx, r, pages); err != nil {
		return err
	}
	checked := time.Now()
	for {
		cur, err := c.runs.FindRescreenRun(ctx, r.ID)
		if err != nil {
			return err
		}
		if cur.State != interdict.RunRunning {
			return nil
		}
		if cur.PagesDone == cur.Pages {
			return c.finish(ctx, cur)
		}
		if c.queue != nil && time.Since(checked) >= queueCheckEvery {
			checked = time.Now()
			if err := c.requeue(ctx, r); err != nil {
				c.logger.Warn("re-screen: check the work queue", "run", r.ID, "err", err.Error())
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// queueCheckEvery is how often the leader of a run checks that the work
// queue holds the run's open pages.
const queueCheckEvery = 5 * time.Second

// publish puts pages on the work queue, or without a queue screens them.
func (c *coordinator) publish(ctx context.Context, r *interdict.RescreenRun, pages []interdict.RescreenPage) error {
	for _, p := range pages {
		b, _ := json.Marshal(p)
		if c.queue == nil {
			if err := c.screenPage(ctx, b); err != nil {
				return err
			}
			continue
		}
		if err := c.queue.Publish(ctx, fmt.Sprintf("%s.%d", r.ID, p.Page), b); err != nil {
			return err
		}
	}
	return nil
}

// requeue publishes a run's open pages again when the work queue holds
// fewer items than the run has open pages. A page leaves the queue only
// after it is recorded done, so fewer items means items were lost; the
// queue is counted before the pages, so that a page done in between
// cannot make it look so.
func (c *coordinator) requeue(ctx context.Context, r *interdict.RescreenRun) error {
	n, err := c.queue.Count(ctx)
	if err != nil {
		return err
	}
	pages, err := c.runs.FindOpenPages(ctx, r.ID)
	if err != nil {
		return err
	}
	if n >= uint64(len(pages)) {
		return nil
	}
	c.logger.Warn("re-screen: pages missing from the work queue; published again", "run", r.ID, "open", len(pages), "queued", n)
	return c.publish(ctx, r, pages)
}

// finish ends a run whose pages are all done.
func (c *coordinator) finish(ctx context.Context, r *interdict.RescreenRun) error {
	plan, err := c.planOf(ctx, r.ID)
	if err != nil {
		return err
	}
	rep := &review.RescreenReport{Parties: r.Parties, Done: r.PartiesDone, Screened: r.Screened, Alerts: r.Alerts, Suppressed: r.Suppressed, Pending: r.Pending,
		Took: time.Since(r.CreatedAt)}
	if err := c.rv.FinishRescreen(ctx, plan, r.Actor, rep); err != nil {
		return err
	}
	b, _ := json.Marshal(rep)
	if err := c.runs.FinishRescreenRun(ctx, r.ID, interdict.RunDone, "", b); err != nil && interdict.ErrorCode(err) != interdict.ECONFLICT {
		return err
	}
	c.logger.Info("re-screen done", "run", r.ID, "parties", r.PartiesDone, "screened", r.Screened, "alerts", r.Alerts, "replicas", r.Replicas)
	c.mu.Lock()
	delete(c.plans, r.ID)
	c.mu.Unlock()
	return nil
}

// planOf returns a run's plan, read once per replica.
func (c *coordinator) planOf(ctx context.Context, id string) (*review.RescreenPlan, error) {
	c.mu.Lock()
	p := c.plans[id]
	c.mu.Unlock()
	if p != nil {
		return p, nil
	}
	r, err := c.runs.FindRescreenRun(ctx, id)
	if err != nil {
		return nil, err
	}
	p = &review.RescreenPlan{}
	if err := json.Unmarshal(r.Plan, p); err != nil {
		return nil, fmt.Errorf("read the plan of run %s: %w", id, err)
	}
	c.mu.Lock()
	if q := c.plans[id]; q != nil {
		p = q
	} else {
		c.plans[id] = p
	}
	c.mu.Unlock()
	return p, nil
}

// screenPage screens one page of a run and records it done: the work
// queue's handler (and the leader's, without a queue).
func (c *coordinator) screenPage(ctx context.Context, data []byte) error {
	var p interdict.RescreenPage
	if err := json.Unmarshal(data, &p); err != nil {
		c.logger.Error("re-screen: unreadable work item dropped", "err", err.Error())
		return nil
	}
	r, err := c.runs.FindRescreenRun(ctx, p.Run)
	if interdict.ErrorCode(err) == interdict.ENOTFOUND {
		return nil // a run of another database: nothing to do
	} else if err != nil {
		return err
	}
	if r.State != interdict.RunRunning {
		return nil
	}
	plan, err := c.planOf(ctx, p.Run)
	if err != nil {
		return err
	}
	rep, err := c.rv.RescreenPage(ctx, plan, r.Actor, p.After, p.Through)
	if errors.Is(err, review.ErrIndexBehind) || interdict.ErrorCode(err) == interdict.EUNAVAILABLE {
		return &natsbus.Retry{Delay: 2 * time.Second, Reason: "the lists of the run are not loaded here yet"}
	} else if err != nil {
		return fmt.Errorf("page %d of run %s: %w", p.Page, p.Run, err)
	}
	_, err = c.runs.CompletePage(ctx, p.Run, p.Page, interdict.PageResult{Replica: c.replica, Parties: rep.Parties, Screened: rep.Screened,
		Alerts: rep.Alerts, Suppressed: rep.Suppressed, Pending: rep.Pending, Digest: rep.Digest})
	return err
}

// StartRescreen starts a run now (the API's POST /v1/rescreens): it
// waits a few seconds for the lock, plans the run, and leaves it to run
// in the background on this replica (or, should it die, on another).
func (c *coordinator) StartRescreen(ctx context.Context, actor string, full bool) (*interdict.RescreenRun, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		lock, err := c.pg.TryLock(ctx, lockRescreen)
		if err != nil {
			return nil, err
		}
		if lock != nil {
			plan, err := c.rv.PlanRescreen(ctx, full)
			if err != nil {
				lock.Unlock()
				return nil, err
			}
			r, err := c.plan(ctx, plan, actor)
			if err != nil {
				lock.Unlock()
				return nil, err
			}
			go func() {
				defer lock.Unlock()
				life, cancel := context.WithCancel(context.WithoutCancel(ctx))
				defer cancel()
				go func() {
					<-lock.Lost()
					cancel()
				}()
				if err := c.drive(life, r); err != nil {
					c.logger.Error("re-screen", "run", r.ID, "err", err.Error())
				}
			}()
			return r, nil
		}
		if time.Now().After(deadline) {
			return nil, errBusy
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// FindRescreenRuns and FindRescreenRun give the runs to the API.
func (c *coordinator) FindRescreenRuns(ctx context.Context, limit int) ([]*interdict.RescreenRun, error) {
	return c.runs.FindRescreenRuns(ctx, "", limit)
}

func (c *coordinator) FindRescreenRun(ctx context.Context, id string) (*interdict.RescreenRun, error) {
	return c.runs.FindRescreenRun(ctx, id)
}

// updateLed runs the list update every interval on the one replica that
// holds the update lock at that moment.
func updateLed(ctx context.Context, pg *postgres.DB, book interdict.ReviewStore, p *ingest.Pipeline, every time.Duration, sources map[string][]string, report func(*ingest.Result, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		lock, err := pg.TryLock(ctx, lockUpdate)
		if err != nil {
			report(nil, err)
			continue
		}
		if lock == nil {
			continue // another replica updates
		}
		// Another replica may have updated a moment ago.
		if b, err := book.FindCheckpoint(ctx, checkpointUpdate); err == nil {
			var last time.Time
			if json.Unmarshal(b, &last) == nil && time.Since(last) < every*9/10 {
				lock.Unlock()
				continue
			}
		}
		res, err := p.Update(ctx, sources, nil, source.ImportOptions{Strict: true})
		if b, jerr := json.Marshal(time.Now().UTC()); jerr == nil && ctx.Err() == nil {
			if cerr := book.SetCheckpoint(ctx, checkpointUpdate, b); cerr != nil && err == nil {
				err = cerr
			}
		}
		lock.Unlock()
		if ctx.Err() != nil {
			return
		}
		report(res, err)
	}
}

// resumeJobs runs again the web UI's batch jobs that a stop cut off: once
// at start, or on a cluster (shared, leased jobs) at start and then every
// half lease, taking over the jobs of any replica that died, each on one
// replica only (ResumeJobs claims a job whose lease has expired).
func resumeJobs(ctx context.Context, h *interdicthttp.Server, shared bool, logger *slog.Logger) {
	for {
		if n, err := h.ResumeJobs(ctx); err != nil && ctx.Err() == nil {
			logger.Error("resume batch jobs", "err", err.Error())
		} else if n > 0 {
			logger.Info("batch jobs resumed", "jobs", n)
		}
		if !shared {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(postgres.DefaultLeaseTTL / 2):
		}
	}
}
