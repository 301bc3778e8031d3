package mqttlink

import (
	"context"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// scanRetained runs the scans of one connection until stop is closed: it
// subscribes the SubscribeScan filters, waits Options.ScanWindow for the
// broker to send their retained messages and unsubscribes them; then again
// every Options.ScanEvery, and soon after a new scan filter is registered.
func (l *Link) scanRetained(c mqtt.Client, stop <-chan struct{}) {
	ctx, cancel := context.WithCancel(l.closeCtx)
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	wait := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-stop:
			return false
		case <-t.C:
			return true
		}
	}
	for {
		select { // this scan includes every filter registered so far
		case <-l.rescan:
		default:
		}
		if filters := l.routes.filters(true); len(filters) > 0 {
			l.scanOnce(ctx, c, filters, wait)
		}
		t := time.NewTimer(l.opts.ScanEvery)
		select {
		case <-stop:
			t.Stop()
			return
		case <-t.C:
		case <-l.rescan:
			t.Stop()
		}
	}
}

// scanOnce subscribes filters for the scan window, then unsubscribes them.
// An unsubscription that fails leaves the filter subscribed until the next
// scan's: its live messages still find their handler.
func (l *Link) scanOnce(ctx context.Context, c mqtt.Client, filters map[string]byte, wait func(time.Duration) bool) {
	l.metrics.scans.Inc()
	sctx, cancel := context.WithTimeout(ctx, l.opts.ConnectTimeout)
	err := waitToken(sctx, c.SubscribeMultiple(filters, nil))
	cancel()
	if err != nil {
		l.log.Warn("mqtt retained scan: subscribe failed", "filters", len(filters), "error", err)
		return
	}
	if !wait(l.opts.ScanWindow) {
		return // the connection ended; the next one scans again
	}
	names := make([]string, 0, len(filters))
	for f := range filters {
		names = append(names, f)
	}
	uctx, cancel := context.WithTimeout(ctx, l.opts.ConnectTimeout)
	defer cancel()
	if err := waitToken(uctx, c.Unsubscribe(names...)); err != nil {
		l.log.Warn("mqtt retained scan: unsubscribe failed", "filters", len(filters), "error", err)
		return
	}
	l.scansDone.Add(1)
}
