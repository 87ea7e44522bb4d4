package http

import (
	"net/http"
	"strconv"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, on the server's own
// registry:
//
//	interdict_http_requests_total{route,method,code}
//	interdict_http_request_duration_seconds{route,method}   histogram
//	interdict_screens_total                                  queries screened
//	interdict_alerts_total                                   queries that alerted
//	interdict_goods_classifications_total                    goods line items classified
//	interdict_goods_verdicts_total{verdict}                  by verdict: listed, candidate, not-listed
//	interdict_goods_attention_total                          line items that need attention
//	interdict_index_entities, interdict_index_names          size of the loaded index
//	interdict_index_build_seconds                            time to build it
//	interdict_index_loaded_timestamp_seconds                 when it was swapped in
//	interdict_index_swaps_total                              swaps since start
//	interdict_list_version{list}                             version loaded
//	interdict_list_age_seconds{list}                         time since the loaded version was published
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	screens  prometheus.Counter
	alerts   prometheus.Counter
	goods    prometheus.Counter
	verdicts *prometheus.CounterVec
	goodsAtt prometheus.Counter
	entities prometheus.GaugeFunc
	names    prometheus.GaugeFunc
	build    prometheus.GaugeFunc
	loadedAt prometheus.GaugeFunc
	swaps    prometheus.CounterFunc
	handler  http.Handler
}

func newMetrics(reg *prometheus.Registry, s *Server) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interdict_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "interdict_http_request_duration_seconds",
			Help:    "HTTP request latency by route and method.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}),
		screens:  prometheus.NewCounter(prometheus.CounterOpts{Name: "interdict_screens_total", Help: "Queries screened (API, batch and UI)."}),
		alerts:   prometheus.NewCounter(prometheus.CounterOpts{Name: "interdict_alerts_total", Help: "Screened queries with a hit at or above the alert threshold."}),
		goods:    prometheus.NewCounter(prometheus.CounterOpts{Name: "interdict_goods_classifications_total", Help: "Goods line items classified (API, batch and UI)."}),
		verdicts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "interdict_goods_verdicts_total", Help: "Goods line items classified, by verdict."}, []string{"verdict"}),
		goodsAtt: prometheus.NewCounter(prometheus.CounterOpts{Name: "interdict_goods_attention_total", Help: "Goods line items whose verdict, destination or end user needs attention."}),
		entities: prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "interdict_index_entities", Help: "Entities in the loaded screening index."}, index(s, func(ix *screen.Index) float64 { return float64(ix.Entities) })),
		names:    prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "interdict_index_names", Help: "Names in the loaded screening index."}, index(s, func(ix *screen.Index) float64 { return float64(ix.Names) })),
		build:    prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "interdict_index_build_seconds", Help: "Time taken to load and build the current index."}, index(s, func(ix *screen.Index) float64 { return ix.BuildTime.Seconds() })),
		loadedAt: prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "interdict_index_loaded_timestamp_seconds", Help: "Unix time at which the current index was built."}, index(s, func(ix *screen.Index) float64 { return float64(ix.BuiltAt.UnixNano()) / 1e9 })),
		swaps:    prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "interdict_index_swaps_total", Help: "Index swaps (initial load and reloads) since start."}, func() float64 { return float64(s.Service.Swaps()) }),
	}
	for _, v := range []interdict.Verdict{interdict.VerdictListed, interdict.VerdictCandidate, interdict.VerdictNotListed} {
		m.verdicts.WithLabelValues(string(v)) // report zeros before the first line
	}
	reg.MustRegister(m.requests, m.duration, m.screens, m.alerts, m.goods, m.verdicts, m.goodsAtt, m.entities, m.names, m.build, m.loadedAt, m.swaps, &listCollector{s: s})
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: nil})
	return m
}

func (m *metrics) screened(res *interdict.ScreenResult) {
	m.screens.Inc()
	if res.Alert {
		m.alerts.Inc()
	}
}

func (m *metrics) classified(res *interdict.Classification) {
	m.goods.Inc()
	m.verdicts.WithLabelValues(string(res.Verdict)).Inc()
	if res.Attention {
		m.goodsAtt.Inc()
	}
}

// index returns a function reporting f of the current index, 0 before
// the first.
func index(s *Server, f func(*screen.Index) float64) func() float64 {
	return func() float64 {
		if ix := s.Service.Current(); ix != nil {
			return f(ix)
		}
		return 0
	}
}

// routeObserver records the requests of one route.
type routeObserver struct {
	m     *metrics
	route string
}

func (m *metrics) route(pattern string) *routeObserver {
	return &routeObserver{m: m, route: pattern}
}

func (o *routeObserver) observe(method string, status int, d time.Duration) {
	o.m.requests.WithLabelValues(o.route, method, strconv.Itoa(status)).Inc()
	o.m.duration.WithLabelValues(o.route, method).Observe(d.Seconds())
}

// listCollector reports the version and age of each list in the loaded
// index at scrape time.
type listCollector struct{ s *Server }

var (
	listVersionDesc = prometheus.NewDesc("interdict_list_version", "Version of each list in the loaded index.", []string{"list"}, nil)
	listAgeDesc     = prometheus.NewDesc("interdict_list_age_seconds", "Time since each loaded list version was published (or imported, when the list gives no date).", []string{"list"}, nil)
)

func (c *listCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- listVersionDesc
	ch <- listAgeDesc
}

func (c *listCollector) Collect(ch chan<- prometheus.Metric) {
	snap := c.s.Service.Current()
	if snap == nil {
		return
	}
	now := c.s.Now()
	for _, v := range snap.Versions {
		ch <- prometheus.MustNewConstMetric(listVersionDesc, prometheus.GaugeValue, float64(v.Version), v.List)
		ch <- prometheus.MustNewConstMetric(listAgeDesc, prometheus.GaugeValue, listAge(v, now).Seconds(), v.List)
	}
}
