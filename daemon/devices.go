package daemon

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
	"github.com/hamlet-vn/hamlet/ingest"
	"github.com/hamlet-vn/hamlet/mqttlink"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// expireEvery is how often inactivity timeouts are checked: a quarter of
// the shortest timeout, between 1s and 15s.
func (d *Daemon) expireEvery() time.Duration {
	every := 15 * time.Second
	for _, t := range d.cfg.Availability.Timeout {
		if t > 0 && t/4 < every {
			every = t / 4
		}
	}
	return max(every, time.Second)
}

// declaredDevices converts the config's devices to the domain's.
func (d *Daemon) declaredDevices() []devices.Device {
	out := make([]devices.Device, 0, len(d.cfg.Devices))
	for _, c := range d.cfg.Devices {
		out = append(out, devices.Device{ID: c.ID, Name: c.Name, Kind: devices.Kind(c.Kind), Zone: c.Zone,
			Protocol: devices.Protocol(c.Protocol), Topic: c.Topic, FullTopic: c.FullTopic, Channel: c.Channel})
	}
	return out
}

// timeouts converts the config's availability timeouts to the domain's.
func (d *Daemon) timeouts() map[devices.Kind]time.Duration {
	out := map[devices.Kind]time.Duration{}
	for k, v := range d.cfg.Availability.Timeout {
		out[devices.Kind(k)] = v
	}
	return out
}

// startDevices builds the protocol router, the registry (declared devices plus
// those discovered in earlier runs) and, when export is on, the telemetry
// writer; then the ingest pipeline that joins them.
func (d *Daemon) startDevices(ctx context.Context) error {
	declared := d.declaredDevices()
	router, err := protocols.New(protocols.Options{
		NativePrefix:      d.cfg.MQTT.TopicPrefix,
		Area:              d.cfg.Area.ID,
		ShellyReplyPrefix: d.cfg.MQTT.ClientID,
		HASSEnabled:       d.cfg.Discovery.HomeAssistant.Enabled,
		HASSPrefix:        d.cfg.Discovery.HomeAssistant.Prefix,
		TasmotaDiscovery:  d.cfg.Discovery.Tasmota.Enabled,
		Devices:           declared,
	})
	if err != nil {
		return fmt.Errorf("protocols: %w", err)
	}
	d.router = router
	start := d.now()
	d.registry = devices.NewRegistry(declared, d.timeouts(), start)
	found, err := d.store.Discovered(ctx)
	if err != nil {
		return err
	}
	for _, f := range found {
		d.registry.Discover(f.Device, f.Model, f.Firmware, start)
	}

	var sink ingest.Sink
	if d.cfg.InfluxEnabled() {
		opts := telemetry.OptionsFromConfig(d.cfg.Influx, filepath.Join(d.cfg.Storage.Dir, "spool"))
		opts.Logger = d.log
		opts.Registerer = d.reg
		opts.Clock = d.clock
		opts.Now = d.now
		d.telemetry = telemetry.New(opts)
		if err := d.telemetry.Start(ctx); err != nil {
			return fmt.Errorf("telemetry: %w", err)
		}
		sink = d.telemetry
	}
	d.ingest = ingest.New(ingest.Options{
		Area:       d.cfg.Area.ID,
		Location:   d.cfg.Location(),
		Decoder:    router,
		Registry:   d.registry,
		Store:      d.store,
		Sink:       sink,
		Logger:     d.log.With("component", "ingest"),
		Registerer: d.reg,
		Binary:     d.keepSnapshot,
		OnAck: func(dev devices.Device, a devices.Ack) {
			if d.lights != nil {
				d.lights.Ack(dev, a)
			}
		},
		Observe: d.observeSpeaker,
		Clock:   d.clock,
		Now:     d.now,
	})
	// Until the broker link is up, nothing is known about any device: record
	// that, so the uptime report counts the time from the previous run's end
	// (or crash) as unknown rather than as the last state seen.
	var ts []devices.Transition
	for _, s := range d.registry.List(devices.Filter{}) {
		ts = append(ts, devices.Transition{Device: s.Device, From: devices.Unknown, To: devices.Unknown,
			Cause: devices.CauseDaemonStart, At: start})
	}
	d.ingest.Record(ts)
	return nil
}

// subscribeDevices subscribes every filter the adapters need, and watches
// the connection: a lost link makes every device unknown; a restored one
// starts counting inactivity again.
func (d *Daemon) subscribeDevices() error {
	if err := d.subscribeRouter(); err != nil {
		return err
	}
	d.link.OnConnectionChange(func(up bool) {
		now := d.now()
		if up {
			d.registry.Listening(now)
			d.lights.Reconnected()
			if d.announce != nil {
				d.announce.Reconnected()
			}
			return
		}
		d.ingest.Record(d.registry.MarkAll(devices.CauseLinkDown, now))
	})
	return nil
}

// subscribeRouter subscribes, with the ingest pipeline as handler, the
// filters of the adapters not subscribed yet: kept, or scanned for their
// retained messages (Tasmota's command topics).
func (d *Daemon) subscribeRouter() error {
	if d.subscribed == nil {
		d.subscribed = map[string]bool{}
	}
	handle := func(m *mqttlink.Message) {
		// AckFunc, not m.Ack: the ack waits in a telemetry batch and must not
		// keep the message's payload in memory meanwhile.
		d.ingest.Handle(m.Topic, m.Payload, m.Retained, m.AckFunc())
	}
	return d.link.SubscribeNew(d.router.Subscriptions(), d.router.Scans(), d.subscribed, 1, handle)
}

// watchDevices runs the inactivity timeouts and subscribes the topics that
// discovery teaches the adapters, until ctx ends.
func (d *Daemon) watchDevices(ctx context.Context) error {
	t := time.NewTicker(d.expireEvery())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if d.link.Connected() {
				d.ingest.Record(d.registry.Expire(d.now()))
			}
		case <-d.router.Learned():
			if err := d.subscribeRouter(); err != nil {
				d.log.Warn("subscription to a discovered topic failed", "err", err)
			}
		}
	}
}

// Registry returns the device registry once Run has started the daemon.
func (d *Daemon) Registry() *devices.Registry { return d.registry }
