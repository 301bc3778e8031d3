package ingest

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	reports       prometheus.Counter
	points        prometheus.Counter
	rejected      *prometheus.CounterVec
	discovered    prometheus.Counter
	discoveryFull prometheus.Counter
	storeErrors   prometheus.Counter
	implausible   prometheus.Counter
	storeTimeouts prometheus.Counter
	storeStuck    prometheus.Gauge
	clockHeld     prometheus.Gauge
	clockLost     prometheus.Counter
}

func newMetrics() *metrics {
	return &metrics{
		reports: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_ingest_reports_total",
			Help: "Device reports decoded from MQTT messages."}),
		points: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_ingest_points_total",
			Help: "Telemetry points handed to the InfluxDB writer."}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hamlet_ingest_messages_rejected_total",
			Help: "MQTT messages not used, by reason (malformed, wrong_type, missing_field, empty, binary, unknown_topic, too_large, ignored)."},
			[]string{"reason"}),
		discovered: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_devices_discovered_total",
			Help: "Devices added by discovery or first contact."}),
		discoveryFull: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_devices_discovery_full_total",
			Help: "Devices not added because the discovery bound was reached."}),
		storeErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_ingest_store_errors_total",
			Help: "Availability transitions that could not be written to the local store."}),
		implausible: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_ingest_implausible_timestamps_total",
			Help: "Reports whose device time was implausible (over 5 min ahead or 7 days old) and replaced by the receive time."}),
		storeTimeouts: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_ingest_store_timeouts_total",
			Help: "Store writes of the ingest path given up after their deadline, or skipped because earlier ones are still stuck."}),
		storeStuck: prometheus.NewGauge(prometheus.GaugeOpts{Name: "hamlet_ingest_store_writes_stuck",
			Help: "Store writes still running after their deadline (the disk or database is not answering)."}),
		clockHeld: prometheus.NewGauge(prometheus.GaugeOpts{Name: "hamlet_clock_held_transitions",
			Help: "Availability transitions held while the wall clock is not plausible, recorded with corrected times once it is."}),
		clockLost: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_clock_unknown_transitions_total",
			Help: "Availability transitions never recorded because their time is unknown (the hold was full, or hamletd stopped before the clock was plausible); reports show the time as unknown."}),
	}
}

func (m *metrics) register(reg prometheus.Registerer) {
	reg.MustRegister(m.reports, m.points, m.rejected, m.discovered, m.discoveryFull, m.storeErrors, m.implausible, m.storeTimeouts, m.storeStuck, m.clockHeld, m.clockLost)
}
