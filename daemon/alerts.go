package daemon

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hamlet-vn/hamlet/alerts"
	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// startAlerts builds the alert manager and its channels, loads the open
// alerts, and raises one if the previous run ended in a crash or power cut.
func (d *Daemon) startAlerts(ctx context.Context) error {
	log := d.log.With("component", "alerts")
	cfg := d.cfg.Alerts
	var notifiers []alerts.Notifier
	// Always built, even without receivers, so that a reload can add some.
	d.webhooks = alerts.NewWebhooks(webhooksOf(cfg), d.store, d.cfg.Area.ID, nil, log)
	notifiers = append(notifiers, d.webhooks)
	d.reg.MustRegister(webhookMetrics(d.webhooks, d.store))
	if cfg.MQTT {
		notifiers = append(notifiers, alerts.NewMQTTChannel(linkPublisher{d}, d.cfg.MQTT.TopicPrefix, d.cfg.Area.ID, log))
	}
	if d.telemetry != nil {
		notifiers = append(notifiers, influxAlerts{d})
	}
	if n := d.alertSpeaker(); n != nil {
		notifiers = append(notifiers, n)
	}
	d.alerts = alerts.NewManager(d.store, alerts.Options{ClearAfter: cfg.ClearAfter, Logger: log}, notifiers...)
	if err := d.alerts.Load(ctx); err != nil {
		return err
	}
	opts := alerts.WatcherOptions{OfflineAfter: offlineAfter(cfg.OfflineAfter), Logger: log}
	if d.telemetry != nil {
		opts.Spool = d.telemetry.SpoolStats
	}
	d.watcher = alerts.NewWatcher(d.registry, d.alerts, opts)
	prev, ok, err := d.store.RunBefore(ctx, d.runID)
	if err != nil {
		return err
	}
	if ok && prev.StoppedAt.IsZero() {
		return alerts.UncleanRestart(ctx, d.alerts, prev.LastAlive)
	}
	return nil
}

// webhooksOf returns the webhook receivers of cfg.
func webhooksOf(cfg config.Alerts) []alerts.Webhook {
	hooks := make([]alerts.Webhook, 0, len(cfg.Webhooks))
	for _, w := range cfg.Webhooks {
		hooks = append(hooks, alerts.Webhook{URL: w.URL, Secret: w.Secret, MinSeverity: alerts.Severity(w.MinSeverity)})
	}
	return hooks
}

// runAlerts watches devices and the spool and delivers webhooks until ctx ends.
func (d *Daemon) runAlerts(ctx context.Context) error {
	w := d.watcher
	if d.webhooks != nil {
		var delivering sync.WaitGroup // the outbox is in the store: done before it closes
		delivering.Add(1)
		go func() { defer delivering.Done(); d.webhooks.Run(ctx, 5*time.Second) }()
		defer delivering.Wait()
	}
	if err := w.Run(ctx, d.alertCheckEvery()); err != context.Canceled {
		return err
	}
	return nil
}

// errLinkDown is returned by linkPublisher before the broker link exists.
var errLinkDown = errors.New("broker link not started")

// linkPublisher publishes on the broker link once it exists.
type linkPublisher struct{ d *Daemon }

func (p linkPublisher) Publish(ctx context.Context, topic string, payload []byte, retained bool) error {
	if p.d.link == nil {
		return errLinkDown
	}
	return p.d.link.Publish(ctx, topic, 1, retained, payload)
}

// influxAlerts writes every alert event as an InfluxDB "alert" point.
type influxAlerts struct{ d *Daemon }

func (n influxAlerts) Notify(_ context.Context, e alerts.Event) {
	a := e.Alert
	dev := devices.Device{ID: a.Device, Zone: a.Zone, Kind: devices.Kind(a.Kind)}
	if st, ok := n.d.registry.Get(a.Device); ok {
		dev = st.Device
	}
	n.d.telemetry.RecordAlert(n.d.cfg.Area.ID, dev, telemetry.AlertEvent{ID: a.ID, Event: e.Type, State: string(a.State),
		Condition: string(a.Condition), Severity: string(a.Severity), Flaps: a.Flaps, User: a.AckedBy, Message: a.Message},
		n.d.now())
}

// webhookMetrics exposes the webhook channel's counters and outbox length.
func webhookMetrics(w *alerts.Webhooks, outbox alerts.Outbox) prometheus.Collector {
	return collectorFunc(func(ch chan<- prometheus.Metric) {
		ch <- prometheus.MustNewConstMetric(webhookSentDesc, prometheus.CounterValue, float64(w.Sent.Load()))
		ch <- prometheus.MustNewConstMetric(webhookFailedDesc, prometheus.CounterValue, float64(w.Failed.Load()))
		if n, err := outbox.OutboxLen(context.Background()); err == nil {
			ch <- prometheus.MustNewConstMetric(webhookOutboxDesc, prometheus.GaugeValue, float64(n))
		}
	})
}

var (
	webhookSentDesc = prometheus.NewDesc("hamlet_alert_webhook_sent_total",
		"Alert notifications a webhook receiver accepted.", nil, nil)
	webhookFailedDesc = prometheus.NewDesc("hamlet_alert_webhook_failures_total",
		"Failed attempts to deliver an alert notification (each is retried).", nil, nil)
	webhookOutboxDesc = prometheus.NewDesc("hamlet_alert_webhook_outbox",
		"Alert notifications waiting for their receiver.", nil, nil)
)

// collectorFunc is a prometheus.Collector from a function and its descriptions.
type collectorFunc func(ch chan<- prometheus.Metric)

func (f collectorFunc) Collect(ch chan<- prometheus.Metric) { f(ch) }

// Describe is unchecked: the descriptions are constant.
func (f collectorFunc) Describe(chan<- *prometheus.Desc) {}

// alertCheckEvery is how often conditions are checked: every 10s, or more
// often when a grace or clear_after is shorter, so none is overshot by much.
func (d *Daemon) alertCheckEvery() time.Duration {
	every := 10 * time.Second
	for _, g := range d.cfg.Alerts.OfflineAfter {
		every = min(every, g/4)
	}
	return max(min(every, d.cfg.Alerts.ClearAfter/4), 100*time.Millisecond)
}

// offlineAfter converts the config's per-kind graces.
func offlineAfter(in map[string]time.Duration) map[devices.Kind]time.Duration {
	out := make(map[devices.Kind]time.Duration, len(in))
	for k, v := range in {
		out[devices.Kind(k)] = v
	}
	return out
}
