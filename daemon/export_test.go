package daemon

import "context"

// AddLoopForTest adds a background loop that is given the daemon's parts:
// a test's stand-in for a capability's loop.
func AddLoopForTest(d *Daemon, name string, run func(ctx context.Context, d *Daemon) error) {
	d.extraLoops = append(d.extraLoops, loop{name, func(ctx context.Context) error { return run(ctx, d) }})
}

// HeartbeatForTest records a heartbeat of the current run in the store.
func HeartbeatForTest(ctx context.Context, d *Daemon) error { return d.store.Heartbeat(ctx, d.runID) }
