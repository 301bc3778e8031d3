package lights

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/telemetry"
)

type metrics struct {
	commands       prometheus.Counter
	retries        prometheus.Counter
	sent           prometheus.Counter
	publishErrors  prometheus.Counter
	results        *prometheus.CounterVec
	latency        prometheus.Histogram
	reconciled     prometheus.Counter
	stateQueries   prometheus.Counter
	kickDropped    prometheus.Counter
	storeErrors    prometheus.Counter
	overridesEnded prometheus.Counter
	faults         *prometheus.GaugeVec
	faultsRaised   *prometheus.CounterVec
}

func newMetrics() *metrics {
	return &metrics{
		commands: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_light_commands_total",
			Help: "Light commands received (API)."}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_light_command_retries_total",
			Help: "Commands retried with a known command id and answered without sending again."}),
		sent: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_light_commands_sent_total",
			Help: "Commands published to a light (commands, reconciling, programmes)."}),
		publishErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_light_publish_errors_total",
			Help: "Light commands the broker did not accept (sent again on reconnect)."}),
		results: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hamlet_light_command_results_total",
			Help: "Per-light command results decided (confirmed, timeout, rejected)."}, []string{"status"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "hamlet_light_confirm_seconds",
			Help:    "Time from a command to each light's confirmation.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}),
		reconciled: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_light_reconciled_total",
			Help: "Desired states sent to lights whose reported state differed."}),
		stateQueries: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_light_state_queries_total",
			Help: "Lights asked to publish their state, not heard since hamletd started (Tasmota, Shelly, Zigbee2MQTT)."}),
		kickDropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_light_reconcile_coalesced_total",
			Help: "Single-light reconcile requests folded into a full reconcile because the queue was full."}),
		storeErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_light_store_errors_total",
			Help: "Desired states that could not be saved in the local store."}),
		overridesEnded: prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_light_overrides_ended_total",
			Help: "Manual overrides released back to the programme (hold expired or the programme stepped)."}),
		faults: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hamlet_light_faults",
			Help: "Lamp faults active now, by fault (dark, day_burning, no_power)."}, []string{"fault"}),
		faultsRaised: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hamlet_light_faults_raised_total",
			Help: "Lamp faults raised, by fault (dark, day_burning, no_power)."}, []string{"fault"}),
	}
}

// Register registers the service's metrics with reg.
func (s *Service) Register(reg prometheus.Registerer) {
	m := s.m
	reg.MustRegister(m.commands, m.retries, m.sent, m.publishErrors, m.results, m.latency, m.reconciled, m.stateQueries,
		m.kickDropped, m.storeErrors, m.overridesEnded, m.faults, m.faultsRaised)
}

// point writes one "command" point for light d, if export is on.
func (s *Service) point(d devices.Device, id, user, result, errText string, at time.Time) {
	if s.opts.Points == nil {
		return
	}
	p := telemetry.CommandPoint(s.opts.Area, d, telemetry.CommandAudit{ID: id, User: user, Action: "set",
		Result: result, Error: errText}, at)
	s.opts.Points.Add([]*telemetry.Point{p}, func() {})
}
