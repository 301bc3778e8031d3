package mqttlink

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// Reasons for hamlet_mqtt_messages_dropped_total.
const (
	dropHandoffFull = "handoff_full" // QoS 0 message with the hand-off full
	dropClosing     = "closing"      // received while the link closes; QoS ≥1 is redelivered
	dropUnrouted    = "unrouted"     // no subscription matches; acknowledged and discarded
)

// metrics are the link's Prometheus collectors.
type metrics struct {
	received        *prometheus.CounterVec
	receivedQoS     [3]prometheus.Counter // received by QoS 0, 1, 2, resolved once
	handedOff       prometheus.Counter
	acked           prometheus.Counter
	dropped         *prometheus.CounterVec
	handlerPanics   prometheus.Counter
	handoffFull     prometheus.Counter
	connected       prometheus.Gauge
	connects        prometheus.Counter
	connectAttempts prometheus.Counter
	connectionLost  prometheus.Counter
	publishErrors   prometheus.Counter
	scans           prometheus.Counter
	queued          prometheus.GaugeFunc
}

func newMetrics(queued func() float64) *metrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: "hamlet_mqtt_" + name, Help: help})
	}
	m := &metrics{
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hamlet_mqtt_messages_received_total",
			Help: "MQTT messages received from the broker, by QoS.",
		}, []string{"qos"}),
		handedOff: counter("messages_handed_off_total", "Messages handed off to the workers."),
		acked:     counter("messages_acked_total", "Messages acknowledged to the broker (QoS 0 included)."),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hamlet_mqtt_messages_dropped_total",
			Help: "Messages not handled: handoff_full (QoS 0 only), closing (redelivered later when QoS >= 1), unrouted (no subscription matched).",
		}, []string{"reason"}),
		handlerPanics:   counter("handler_panics_total", "Handler panics recovered (the message was acknowledged)."),
		handoffFull:     counter("handoff_full_total", "Times a message found the worker hand-off full."),
		connected:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "hamlet_mqtt_connected", Help: "1 while the link is connected and subscribed, else 0."}),
		connects:        counter("connects_total", "Successful connections to the broker."),
		connectAttempts: counter("connect_attempts_total", "Connection attempts, successful or not."),
		connectionLost:  counter("connection_lost_total", "Established connections that were lost."),
		publishErrors:   counter("publish_errors_total", "Publishes that failed or timed out."),
		scans:           counter("retained_scans_total", "Scans of the topics read only for their retained messages (Tasmota's cmnd)."),
		queued: prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hamlet_mqtt_handoff_queued",
			Help: "Messages waiting in the worker hand-off.",
		}, queued),
	}
	for q := range 3 {
		m.receivedQoS[q] = m.received.WithLabelValues(strconv.Itoa(q))
	}
	for _, r := range []string{dropHandoffFull, dropClosing, dropUnrouted} {
		m.dropped.WithLabelValues(r)
	}
	return m
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.received, m.handedOff, m.acked, m.dropped, m.handlerPanics,
		m.handoffFull, m.connected, m.connects, m.connectAttempts, m.connectionLost,
		m.publishErrors, m.scans, m.queued}
}

// register registers every collector on r, or none of them.
func (m *metrics) register(r prometheus.Registerer) error {
	if r == nil {
		return nil
	}
	var done []prometheus.Collector
	for _, c := range m.collectors() {
		if err := r.Register(c); err != nil {
			for _, d := range done {
				r.Unregister(d)
			}
			var are prometheus.AlreadyRegisteredError
			if errors.As(err, &are) {
				return fmt.Errorf("register mqtt metrics: already registered (is another Link using the same registry?): %w", err)
			}
			return fmt.Errorf("register mqtt metrics: %w", err)
		}
		done = append(done, c)
	}
	return nil
}

func (m *metrics) unregister(r prometheus.Registerer) {
	if r == nil {
		return
	}
	for _, c := range m.collectors() {
		r.Unregister(c)
	}
}
