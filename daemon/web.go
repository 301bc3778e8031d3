package daemon

import (
	"context"
	"net/http"
	"net/netip"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/telemetry"
	"github.com/hamlet-vn/hamlet/web"
)

// webOptions builds the HTTP server's options from the parts already started.
func (d *Daemon) webOptions() web.Options {
	zones := make([]web.Zone, 0, len(d.cfg.Zones))
	for _, z := range d.cfg.Zones {
		zones = append(zones, web.Zone{ID: z.ID, Name: z.Name})
	}
	opts := web.Options{
		Addr:       d.cfg.HTTP.Listen,
		CertFile:   d.cfg.HTTP.CertFile,
		KeyFile:    d.cfg.HTTP.KeyFile,
		Logger:     d.log.With("component", "http"),
		Metrics:    promhttp.HandlerFor(d.reg, promhttp.HandlerOpts{Registry: d.reg}),
		Registerer: d.reg,
		Checks: map[string]func(context.Context) error{
			"mqtt":  d.mqttReady,
			"store": d.store.Ping,
			"clock": func(context.Context) error { return d.clock.Err() },
		},
		Store:       d.store,
		Devices:     d.registry,
		Zones:       zones,
		Location:    d.cfg.Location(),
		DeviceAdmin: deviceAdmin{d},
		Snapshots:   d.snapshots,
		StreamURLs:  d.streamURLs(),
		Scheduler:   d.schedules,
		Alerts:      d.alerts,
		Uptime:      d.uptimeService(),
		Commander:   d.lights,
		Lights:      d.lights,
	}
	for _, p := range d.cfg.HTTP.TrustedProxies {
		// Validated by config: a bad entry cannot reach here.
		if prefix, err := netip.ParsePrefix(strings.TrimSpace(p)); err == nil {
			opts.TrustedProxies = append(opts.TrustedProxies, prefix)
		}
	}
	d.announceWeb(&opts)
	if d.telemetry != nil {
		opts.AuditSink = influxAudit{telemetry.AuditWriter{Area: d.cfg.Area.ID, Points: d.telemetry}}
	}
	return opts
}

// influxAudit hands the web server's audit entries that reached devices to
// InfluxDB as "command" points.
type influxAudit struct{ w telemetry.AuditWriter }

func (a influxAudit) Record(e web.AuditEntry) {
	outcomes := make([]telemetry.DeviceOutcome, len(e.Devices))
	for i, d := range e.Devices {
		outcomes[i] = telemetry.DeviceOutcome{Device: d.Device, Result: d.Result, Error: d.Error}
	}
	a.w.Write(telemetry.CommandAudit{ID: e.Ref, User: e.User, Action: e.CommandAction(), Params: e.Params}, outcomes, e.At)
}

var _ web.AuditSink = influxAudit{}

// deviceAdmin assigns discovered devices: in the registry for now, in the
// store for the next start.
type deviceAdmin struct{ d *Daemon }

func (a deviceAdmin) AssignDevice(r *http.Request, id string, as web.DeviceAssignment) (devices.Status, error) {
	st, err := a.d.registry.Assign(id, as.Zone, devices.Kind(as.Kind), as.Name)
	if err != nil {
		return st, err
	}
	return st, a.d.store.AssignDiscovered(r.Context(), id, as.Zone, devices.Kind(as.Kind), as.Name)
}
