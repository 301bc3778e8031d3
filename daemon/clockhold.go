package daemon

import (
	"context"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/internal/clockguard"
)

// now reads the wall clock: Options.WallClock when set (tests), else the
// system's. What the daemon stamps itself (transitions, heartbeats, the
// receive time of messages) reads it, so that the clock guard judges the
// same clock.
func (d *Daemon) now() time.Time {
	if d.opts.WallClock != nil {
		return d.opts.WallClock()
	}
	return time.Now()
}

// runClock remembers that the run started while the wall clock was not
// plausible: its start in the store is then wrong until corrected.
type runClock struct {
	mu     sync.Mutex
	unsure bool
	stamp  clockguard.Stamp // taken with the run's start
}

// isUnsure reports whether the run's times in the store are still wrong.
func (r *runClock) isUnsure() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.unsure
}

// startRun records the run's start, and whether its time is to be corrected.
func (d *Daemon) startRun(ctx context.Context) (int64, error) {
	if d.opts.WallClock != nil {
		d.store.Now = d.opts.WallClock // one wall clock for the guard and the store
	}
	d.runClock.mu.Lock()
	defer d.runClock.mu.Unlock()
	d.runClock.stamp = d.clock.Stamp()
	d.runClock.unsure = !d.clock.Plausible()
	return d.store.StartRun(ctx, d.opts.Version)
}

// releaseClockHold, once the clock is plausible, corrects what was stamped
// while it was not: the run's start in the store, the held availability
// transitions (ingest) and the held InfluxDB points (telemetry). The clock
// loop calls it after every check that finds the clock plausible.
func (d *Daemon) releaseClockHold(ctx context.Context) {
	if !d.clock.Plausible() {
		return
	}
	d.runClock.mu.Lock()
	if d.runClock.unsure {
		if c, ok := d.clock.Correction(d.runClock.stamp); ok {
			if err := d.store.ShiftRun(ctx, d.runID, c); err != nil {
				d.log.Error("run start not corrected", "run", d.runID, "err", err)
			} else {
				d.runClock.unsure = false
				d.log.Info("clock plausible: the run's start corrected", "run", d.runID, "correction", c.Round(time.Second).String())
			}
		}
	}
	d.runClock.mu.Unlock()
	if d.ingest != nil {
		d.ingest.ReleaseHeld()
	}
	if d.telemetry != nil {
		d.telemetry.Release()
	}
}

// stopClockHold releases what was held if the clock is plausible by now;
// else the held transitions are dropped as unknown (the writer drops its
// points at Close).
func (d *Daemon) stopClockHold(ctx context.Context) {
	if d.clock == nil {
		return
	}
	d.releaseClockHold(ctx)
	if d.ingest != nil {
		d.ingest.DropHeld()
	}
}

// stopRun records the run's clean end; a run whose start was never corrected
// is recorded as covering no time, so reports show it as unknown.
func (d *Daemon) stopRun(ctx context.Context) error {
	if d.runClock.isUnsure() {
		d.log.Warn("stopping before the clock was plausible: this run's times are unknown and reports count it as unknown",
			"run", d.runID)
		return d.store.VoidRun(ctx, d.runID)
	}
	return d.store.StopRun(ctx, d.runID)
}
