// Package daemon is hamletd's composition root: it builds every part from the
// Config, explicitly and top to bottom, starts sinks before sources, and on
// shutdown stops sources first and flushes sinks last, within a bound.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/alerts"
	"github.com/hamlet-vn/hamlet/announce"
	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
	"github.com/hamlet-vn/hamlet/ingest"
	"github.com/hamlet-vn/hamlet/internal/clockguard"
	"github.com/hamlet-vn/hamlet/lights"
	"github.com/hamlet-vn/hamlet/mqttlink"
	"github.com/hamlet-vn/hamlet/schedule"
	"github.com/hamlet-vn/hamlet/snapshots"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/telemetry"
	"github.com/hamlet-vn/hamlet/web"
)

// Options are the daemon's inputs besides the Config.
type Options struct {
	// Logger is the root logger; each part gets a scoped child. If nil, logs are discarded.
	Logger *slog.Logger
	// Version is recorded with each run and served by /metrics.
	Version string
	// ShutdownTimeout bounds the whole shutdown. If zero, 15s is used.
	ShutdownTimeout time.Duration
	// EarliestTime is the earliest plausible wall-clock time. If zero, the
	// binary's build time (clockguard.BuildTime).
	EarliestTime time.Time
	// WallClock reads the wall clock for the clock guard. If nil, time.Now.
	WallClock func() time.Time
	// MonoClock reads a monotonic clock (time since any fixed point) for the
	// clock guard; tests move it with WallClock. If nil, the system's.
	MonoClock func() time.Duration
	// Notifier receives systemd notifications. If nil, the real sd_notify is used
	// (a no-op when not started by systemd).
	Notifier Notifier
}

// Daemon is one running hamletd. Build it with New, then call Run.
type Daemon struct {
	cfg  config.Config
	opts Options
	log  *slog.Logger
	reg  *prometheus.Registry

	// Parts, in start order. Each may be nil after a partial start.
	store     *store.DB
	runID     int64
	embedded  *mqttlink.Embedded
	telemetry *telemetry.Writer // nil when export is off
	router    *protocols.Router
	registry  *devices.Registry
	ingest    *ingest.Pipeline
	snapshots *snapshots.Keeper // the latest camera snapshots (snapshots.go)
	link      *mqttlink.Link
	lights    *lights.Service
	http      *web.Server
	schedules *schedule.Service
	announce  *announce.Service
	clock     *clockguard.Guard
	runClock  runClock // the run's times while the clock is not plausible (clockhold.go)
	alerts    *alerts.Manager
	watcher   *alerts.Watcher
	webhooks  *alerts.Webhooks // alerts.webhooks, possibly none (a reload may add some)

	subscribed map[string]bool // filters subscribed on the link
	extraLoops []loop          // background goroutines added by capabilities, see loops

	ready     chan struct{}          // closed once MQTT and HTTP are up
	httpAddr  atomic.Pointer[string] // the bound HTTP address, once listening
	brokerURL atomic.Pointer[string] // the broker's URL, once known
}

// New returns a Daemon for cfg; it has no side effects.
func New(cfg config.Config, opts Options) *Daemon {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ShutdownTimeout == 0 {
		opts.ShutdownTimeout = 15 * time.Second
	}
	if opts.Notifier == nil {
		opts.Notifier = systemdNotifier{}
	}
	return &Daemon{cfg: cfg, opts: opts, log: opts.Logger, ready: make(chan struct{}), snapshots: newSnapshots()}
}

// Ready is closed once the daemon is connected to its broker and serving HTTP.
func (d *Daemon) Ready() <-chan struct{} { return d.ready }

// HTTPAddr returns the HTTP server's bound address once Run has started it,
// else "". It is safe to call from any goroutine.
func (d *Daemon) HTTPAddr() string {
	if a := d.httpAddr.Load(); a != nil {
		return *a
	}
	return ""
}

// Run starts every part, serves until ctx is cancelled or a part fails, then
// shuts down in order. It returns nil after a clean, signal-initiated stop.
func (d *Daemon) Run(ctx context.Context) error {
	startErr := d.start(ctx)
	if startErr != nil {
		d.stop()
		return startErr
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(d.http.Serve)
	waitLoops := d.startLoops(g, gctx)
	<-gctx.Done()
	d.log.Info("shutting down", "timeout", d.opts.ShutdownTimeout)
	d.opts.Notifier.Notify("STOPPING=1")
	lctx, cancel := context.WithTimeout(context.Background(), d.loopStopTimeout())
	waitLoops(lctx) // the background loops end before any part closes
	cancel()
	stopErr := d.stop()
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return errors.Join(err, stopErr)
}

// start builds and starts the parts: sinks (store, telemetry) first, then
// the device pipeline and the HTTP server, then the source (broker link).
func (d *Daemon) start(ctx context.Context) error {
	d.reg = prometheus.NewRegistry()
	d.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfo(d.opts.Version, d.cfg.Area.ID))

	d.clock = clockguard.New(d.opts.EarliestTime, d.opts.WallClock, d.opts.MonoClock)
	if err := d.clock.Err(); err != nil {
		d.log.Warn("clock not plausible: programmes and scheduled announcements wait for it", "reason", err)
	}
	db, err := store.Open(ctx, d.cfg.Storage.Dir, d.log.With("component", "store"))
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	d.store = db
	if d.runID, err = d.startRun(ctx); err != nil {
		return err
	}

	if !d.cfg.InfluxEnabled() {
		d.log.Warn("telemetry export is off: influx.url is empty; availability, uptime and control keep working")
	}
	if err := d.startDevices(ctx); err != nil {
		return err
	}
	d.startSchedules()
	if err := d.startLights(ctx); err != nil {
		return err
	}
	if err := d.startAnnounce(ctx); err != nil {
		return err
	}
	if err := d.startAlerts(ctx); err != nil {
		return err
	}
	if _, err := accounts.LogFirstRun(ctx, d.store, d.log); err != nil {
		return err
	}
	d.http = web.New(d.webOptions())
	if err := d.http.Listen(); err != nil {
		return err
	}
	addr := d.http.Addr()
	d.httpAddr.Store(&addr)

	return d.startMQTT(ctx)
}

// stop shuts the parts down in reverse order within the shutdown timeout:
// the source first (the link stops delivering; its workers drain into the
// pipeline), then HTTP, then the sinks (telemetry flushes or spools, then the
// store closes). It is safe after a partial start.
func (d *Daemon) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), d.opts.ShutdownTimeout)
	defer cancel()
	var errs []error
	if d.link != nil {
		errs = append(errs, d.link.Close())
	}
	if d.embedded != nil {
		errs = append(errs, d.embedded.Close())
	}
	if d.http != nil {
		errs = append(errs, d.http.Shutdown(ctx))
	}
	d.stopClockHold(ctx)
	if d.telemetry != nil {
		d.exportHeartbeat(d.now()) // the run's end, for reports from InfluxDB
		errs = append(errs, d.telemetry.Close(ctx))
	}
	if d.store != nil {
		if d.runID != 0 {
			errs = append(errs, d.stopRun(ctx))
		}
		errs = append(errs, d.store.Close())
	}
	return errors.Join(errs...)
}
