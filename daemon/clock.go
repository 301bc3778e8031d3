package daemon

import (
	"context"
	"time"
)

// watchClock checks the wall clock every few seconds and logs when it
// becomes implausible, plausible again, or jumps (NTP stepping it on a box
// without a battery clock). /readyz reports it as the "clock" check.
func (d *Daemon) watchClock(ctx context.Context) error {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	was := d.clock.Plausible()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		ok, reason := d.clock.Check()
		if ok {
			d.releaseClockHold(ctx)
		}
		switch {
		case ok && !was:
			d.log.Info("clock plausible again: programmes and scheduled announcements resume", "note", reason)
		case !ok && was:
			d.log.Warn("clock not plausible: programmes and scheduled announcements wait for it", "reason", reason)
		case reason != "":
			d.log.Warn("clock jumped", "reason", reason)
		}
		was = ok
	}
}
