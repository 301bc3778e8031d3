package daemon

import (
	"context"
	"time"

	"github.com/hamlet-vn/hamlet/alerts"
	"github.com/hamlet-vn/hamlet/announce"
)

// AddLoopForTest adds a background loop that is given the daemon's parts:
// a test's stand-in for a capability's loop.
func AddLoopForTest(d *Daemon, name string, run func(ctx context.Context, d *Daemon) error) {
	d.extraLoops = append(d.extraLoops, loop{name, func(ctx context.Context) error { return run(ctx, d) }})
}

// HeartbeatForTest records a heartbeat of the current run in the store.
func HeartbeatForTest(ctx context.Context, d *Daemon) error { return d.store.Heartbeat(ctx, d.runID) }

// WindowForTest returns zone's broadcast window status now.
func WindowForTest(d *Daemon, zone string) announce.ZoneWindow {
	return d.announce.Window(zone, time.Now())
}

// RaiseForTest raises an alert through the daemon's alert manager.
func RaiseForTest(ctx context.Context, d *Daemon, p alerts.Problem) error {
	_, err := d.alerts.Raise(ctx, p)
	return err
}
