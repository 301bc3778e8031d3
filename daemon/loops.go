package daemon

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// loop is a background goroutine of the daemon: it runs until its context
// ends and may use every part, the store included.
type loop struct {
	name string
	run  func(ctx context.Context) error
}

// loops lists the daemon's background goroutines. A capability with a
// background task (a scheduler, an alert checker) adds its loop here, or
// appends to d.extraLoops from its own daemon/<capability>.go.
func (d *Daemon) loops() []loop {
	return append([]loop{
		{"notify-ready", d.notifyWhenReady},
		{"watchdog", d.watchdog},
		{"heartbeat", d.heartbeat},
		{"watch-devices", d.watchDevices},
		{"alerts", d.runAlerts},
		{"clock", d.watchClock},
		{"lights", d.lights.Run},
		{"announce", d.runAnnounce},
		{"announce-alerts", d.watchAnnouncements},
	}, d.extraLoops...)
}

// startLoops runs every loop in g until ctx ends, and returns a function
// that waits, at most until the deadline of waitCtx, for all of them to
// return. Run calls it before stop closes any part, so that no loop still
// writes to the store while it closes.
func (d *Daemon) startLoops(g *errgroup.Group, ctx context.Context) (wait func(waitCtx context.Context)) {
	var wg sync.WaitGroup
	running := make(map[string]bool)
	var mu sync.Mutex
	for _, l := range d.loops() {
		wg.Add(1)
		mu.Lock()
		running[l.name] = true
		mu.Unlock()
		g.Go(func() error {
			defer func() {
				mu.Lock()
				delete(running, l.name)
				mu.Unlock()
				wg.Done()
			}()
			return l.run(ctx)
		})
	}
	return func(waitCtx context.Context) {
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-waitCtx.Done():
			mu.Lock()
			names := make([]string, 0, len(running))
			for n := range running {
				names = append(names, n)
			}
			mu.Unlock()
			d.log.Error("background tasks still running at shutdown; closing the parts anyway", "tasks", names)
		}
	}
}

// loopStopTimeout is the share of the shutdown timeout given to the loops.
func (d *Daemon) loopStopTimeout() time.Duration { return d.opts.ShutdownTimeout / 3 }
