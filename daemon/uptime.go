package daemon

import (
	"context"
	"log/slog"
	"time"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/uptime"
)

// uptimeService builds the uptime capability over the daemon's store,
// reporting on the registry's devices.
func (d *Daemon) uptimeService() *uptime.Service {
	opts := UptimeOptions(d.cfg, d.store, d.log)
	reg := d.registry
	opts.Devices = func() []uptime.Device { return uptimeDevices(reg.List(devices.Filter{})) }
	if d.telemetry != nil {
		opts.Export = d.telemetry
	}
	return uptime.New(opts)
}

// exportRunStart writes the run's first heartbeat point, at its start, to
// InfluxDB: reports from InfluxDB bound each run by its first and last points.
func (d *Daemon) exportRunStart(ctx context.Context) {
	if d.telemetry == nil {
		return
	}
	run, err := d.store.RunByID(ctx, d.runID)
	if err != nil {
		d.log.Warn("run start not exported", "err", err)
		return
	}
	d.exportHeartbeat(run.StartedAt)
}

// exportHeartbeat writes a heartbeat point of this run to InfluxDB (spooled
// while InfluxDB is down), so that reports from InfluxDB count the time
// between runs as unknown too.
func (d *Daemon) exportHeartbeat(at time.Time) {
	if d.telemetry != nil && d.runID != 0 {
		uptime.Heartbeat(d.telemetry, d.cfg.Area.ID, d.runID, at)
	}
}

// UptimeOptions returns the uptime capability's options for cfg over db,
// without the device list: the area, timezone, SLO per kind and, when
// influx.url is set, the InfluxDB source.
func UptimeOptions(cfg config.Config, db *store.DB, log *slog.Logger) uptime.Options {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	slo := map[devices.Kind]float64{}
	for k, v := range cfg.Uptime.SLO {
		slo[devices.Kind(k)] = v
	}
	opts := uptime.Options{Area: cfg.Area.ID, Location: cfg.Location(), SLO: slo, Store: db,
		Logger: log.With("component", "uptime")}
	if cfg.InfluxEnabled() {
		opts.Influx = uptime.NewInflux(uptime.InfluxOptions{URL: cfg.Influx.URL, Token: cfg.Influx.Token,
			Org: cfg.Influx.Org, Bucket: cfg.Influx.Bucket})
	}
	return opts
}

// StoredDevices returns the devices cfg declares plus those discovered in
// earlier runs, for reports made without a running registry (the CLI).
func StoredDevices(ctx context.Context, cfg config.Config, db *store.DB) ([]uptime.Device, error) {
	found, err := db.Discovered(ctx)
	if err != nil {
		return nil, err
	}
	var out []uptime.Device
	seen := map[string]bool{}
	for _, c := range cfg.Devices {
		seen[c.ID] = true
		out = append(out, uptime.Device{ID: c.ID, Name: c.Name, Kind: devices.Kind(c.Kind), Zone: c.Zone})
	}
	for _, f := range found {
		if !seen[f.ID] {
			out = append(out, uptime.Device{ID: f.ID, Name: f.Name, Kind: f.Kind, Zone: f.Zone})
		}
	}
	return out, nil
}

func uptimeDevices(sts []devices.Status) []uptime.Device {
	out := make([]uptime.Device, len(sts))
	for i, s := range sts {
		out[i] = uptime.Device{ID: s.ID, Name: s.Name, Kind: s.Kind, Zone: s.Zone}
	}
	return out
}
