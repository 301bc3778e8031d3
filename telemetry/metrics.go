package telemetry

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Reasons for dropped points (label "reason" of hamlet_telemetry_points_dropped_total).
const (
	dropSpoolFull    = "spool_full"    // the spool was full: its oldest segment was deleted
	dropSpoolCorrupt = "spool_corrupt" // a spool record failed its checksum
	dropShutdown     = "shutdown"      // neither written nor spooled before Close's deadline; not acknowledged
	dropClosed       = "closed"        // added after Close; not acknowledged
)

// metrics are the writer's Prometheus metrics.
type metrics struct {
	received    prometheus.Counter
	written     prometheus.Counter
	spooled     prometheus.Counter
	replayed    prometheus.Counter
	rejected    prometheus.Counter
	implausible prometheus.Counter
	rewritten   prometheus.Counter
	dropped     *prometheus.CounterVec
	batches     prometheus.Counter
	writeErrors *prometheus.CounterVec
	blocked     prometheus.Counter
	spoolBytes  prometheus.Gauge
	spoolSegs   prometheus.Gauge
	pendingAcks prometheus.Gauge
	up          prometheus.Gauge
	latency     prometheus.Histogram
	clockHeld   prometheus.Gauge   // points held while the clock is not plausible
	clockLost   prometheus.Counter // points never written: their time is unknown
}

func newMetrics() *metrics {
	const ns, sub = "hamlet", "telemetry"
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: name, Help: help})
	}
	gauge := func(name, help string) prometheus.Gauge {
		return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: name, Help: help})
	}
	m := &metrics{
		received:    counter("points_received_total", "Points accepted by Add."),
		written:     counter("points_written_total", "Points written to InfluxDB directly."),
		spooled:     counter("points_spooled_total", "Points committed to the spool while InfluxDB was unavailable."),
		replayed:    counter("points_replayed_total", "Points written to InfluxDB from the spool."),
		rejected:    counter("points_rejected_total", "Points InfluxDB (or the encoder) refused for good, e.g. a field type conflict; logged and acknowledged."),
		implausible: counter("timestamps_implausible_total", "Device timestamps not believed (too far ahead or too old); the receive time was used."),
		rewritten:   counter("values_rewritten_total", "Measurement names, tag keys, tag values and field keys written with a backslash as '/' or a control character as a space (docs/influx-schema.md, Line protocol)."),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "points_dropped_total",
			Help: "Points lost, by reason: spool_full, spool_corrupt, shutdown or closed (the last two were not acknowledged, so the broker redelivers them)."}, []string{"reason"}),
		batches: counter("batches_written_total", "Successful write requests to InfluxDB."),
		writeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "write_errors_total",
			Help: "Failed write requests, by class: unavailable, rejected or too_large."}, []string{"class"}),
		blocked:     counter("add_blocked_total", "Times Add waited because the bounded queue of batches was full (backpressure)."),
		spoolBytes:  gauge("spool_bytes", "Bytes in the spool."),
		spoolSegs:   gauge("spool_segments", "Segment files in the spool."),
		pendingAcks: gauge("pending_acks", "Inputs added whose acknowledgement is not yet called."),
		up:          gauge("influx_up", "1 while InfluxDB accepts writes, 0 while the writer spools."),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub, Name: "write_duration_seconds",
			Help: "Duration of write requests to InfluxDB.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 15)}),
		clockHeld: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: "clock", Name: "held_points",
			Help: "Points held in memory while the wall clock is not plausible, written with corrected times once it is."}),
		clockLost: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: "clock", Name: "unknown_points_total",
			Help: "Points never written to InfluxDB because their time is unknown: stamped while the wall clock was not plausible and not re-stamped (the hold was full, or hamletd stopped first)."}),
	}
	for _, r := range []string{dropSpoolFull, dropSpoolCorrupt, dropShutdown, dropClosed} {
		m.dropped.WithLabelValues(r)
	}
	for _, c := range []errClass{classUnavailable, classRejected, classTooLarge} {
		m.writeErrors.WithLabelValues(c.String())
	}
	return m
}

// register registers every metric on reg; nil reg registers nothing.
func (m *metrics) register(reg prometheus.Registerer) error {
	if reg == nil {
		return nil
	}
	var errs []error
	for _, c := range m.collectors() {
		if err := reg.Register(c); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("register telemetry metrics: %w", err)
	}
	return nil
}

// unregister removes every metric from reg.
func (m *metrics) unregister(reg prometheus.Registerer) {
	if reg == nil {
		return
	}
	for _, c := range m.collectors() {
		reg.Unregister(c)
	}
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.received, m.written, m.spooled, m.replayed, m.rejected,
		m.implausible, m.rewritten, m.dropped, m.batches, m.writeErrors, m.blocked, m.spoolBytes, m.spoolSegs,
		m.pendingAcks, m.up, m.latency, m.clockHeld, m.clockLost}
}
