package daemon

import (
	"context"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

// Notifier sends sd_notify state strings ("READY=1", "WATCHDOG=1", ...).
type Notifier interface {
	Notify(state string)
}

// systemdNotifier is the real sd_notify; a no-op outside systemd.
type systemdNotifier struct{}

func (systemdNotifier) Notify(state string) { daemon.SdNotify(false, state) }

// notifyWhenReady tells systemd READY=1 once the broker link is connected
// (HTTP is already listening); until then it reports what it waits for.
func (d *Daemon) notifyWhenReady(ctx context.Context) error {
	d.opts.Notifier.Notify("STATUS=Đang kết nối MQTT / connecting to the MQTT broker")
	if err := d.link.WaitConnected(ctx); err != nil {
		return nil // shutting down before ever connecting
	}
	d.opts.Notifier.Notify("READY=1\nSTATUS=Đang chạy / running")
	d.log.Info("ready", "http", d.http.Addr())
	close(d.ready)
	return nil
}

// watchdog pings systemd's watchdog at half its interval, but only while the
// daemon is healthy (its store answers), so that a wedged daemon is restarted.
func (d *Daemon) watchdog(ctx context.Context) error {
	interval, err := daemon.SdWatchdogEnabled(false)
	if err != nil || interval == 0 {
		return nil
	}
	t := time.NewTicker(interval / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, interval/4)
			err := d.store.Ping(pctx)
			cancel()
			if err != nil {
				d.log.Error("health check failed; withholding watchdog ping", "err", err)
				continue
			}
			d.opts.Notifier.Notify("WATCHDOG=1")
		}
	}
}

// HeartbeatEvery is how often the daemon records that its run is alive. After
// a crash or a power cut the uptime report counts the time from the last
// heartbeat to the next start as unknown, so it is never off by more than this.
const HeartbeatEvery = 5 * time.Second

// heartbeat records, every HeartbeatEvery, that this run is alive, so that
// after a crash the uptime report knows when the daemon stopped watching.
func (d *Daemon) heartbeat(ctx context.Context) error {
	d.exportRunStart(ctx)
	t := time.NewTicker(HeartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			// While the run's start is wrong (the clock was not plausible),
			// its last heartbeat stays at the start: corrected together, or
			// a run of no length if hamletd dies first.
			if !d.runClock.isUnsure() {
				if err := d.store.Heartbeat(ctx, d.runID); err != nil && ctx.Err() == nil {
					d.log.Warn("heartbeat not recorded", "err", err)
				}
			}
			d.exportHeartbeat(d.now())
		}
	}
}
