package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// newMetrics builds a registry of the server's own (not the global one, so
// that tests can build many servers): requests and latencies by route
// pattern, and the Go runtime and process collectors.
func newMetrics() (*prometheus.Registry, *httpMetrics) {
	reg := prometheus.NewRegistry()
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parcours_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "parcours_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg, m
}

func (m *httpMetrics) observe(route, method string, code int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route, method).Observe(d.Seconds())
}

// metricsPage serves /metrics to loopback, or to a bearer of the metrics
// token when one is configured.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	if !isLoopback(r) && (s.cfg.MetricsToken == "" || !equalSecret(bearer(r), s.cfg.MetricsToken)) {
		return forbidden("Les métriques ne sont lisibles que depuis la machine locale ou avec le jeton de supervision.")
	}
	promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}
