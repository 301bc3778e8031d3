package web

import (
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hamlet-vn/hamlet/devices"
)

// metrics are the HTTP server's Prometheus metrics. Without a Registerer
// they are still counted, just not exported.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	streams  prometheus.Gauge
	logins   *prometheus.CounterVec
	// unencodable counts events a stream skipped because their data
	// could not be encoded as JSON.
	unencodable *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer, src DeviceSource, logger *slog.Logger) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hamlet_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code."}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hamlet_http_request_duration_seconds",
			Help: "HTTP request durations by route pattern (event streams excluded).", Buckets: prometheus.DefBuckets},
			[]string{"route"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{Name: "hamlet_http_event_streams",
			Help: "Open server-sent event streams."}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hamlet_http_logins_total",
			Help: "Sign-in attempts by result (ok, failed, throttled)."}, []string{"result"}),
		unencodable: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hamlet_http_events_unencodable_total",
			Help: "Events an event stream skipped because their data could not be encoded as JSON, by event."}, []string{"event"}),
	}
	if reg == nil {
		return m
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.streams, m.logins, m.unencodable, newDeviceCollector(src)} {
		if err := reg.Register(c); err != nil {
			var already prometheus.AlreadyRegisteredError
			if !errors.As(err, &already) {
				logger.Warn("metric registration failed", "err", err)
			}
		}
	}
	return m
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	if route != "GET /api/v1/events" {
		m.duration.WithLabelValues(route).Observe(d.Seconds())
	}
}

// deviceCounter is a DeviceSource that counts without copying statuses
// (devices.Registry).
type deviceCounter interface {
	Counts() map[devices.Kind]map[devices.Availability]int
}

// deviceCollector exports, at each scrape, how many devices of each kind are
// online, offline and unknown.
type deviceCollector struct {
	src  DeviceSource
	desc *prometheus.Desc
}

func newDeviceCollector(src DeviceSource) deviceCollector {
	return deviceCollector{src: src, desc: prometheus.NewDesc("hamlet_devices",
		"Devices by kind and availability (online, offline, unknown).", []string{"kind", "availability"}, nil)}
}

// Describe implements prometheus.Collector.
func (c deviceCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector.
func (c deviceCollector) Collect(ch chan<- prometheus.Metric) {
	counts := map[[2]string]int{}
	for _, k := range devices.Kinds {
		for _, a := range []devices.Availability{devices.Online, devices.Offline, devices.Unknown} {
			counts[[2]string{string(k), string(a)}] = 0
		}
	}
	if cs, ok := c.src.(deviceCounter); ok {
		for k, byAvail := range cs.Counts() {
			for a, n := range byAvail {
				counts[[2]string{string(k), string(a)}] += n
			}
		}
	} else {
		for _, st := range c.src.List(devices.Filter{}) {
			counts[[2]string{string(st.Kind), string(st.Availability)}]++
		}
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
}
