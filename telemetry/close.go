package telemetry

import (
	"context"
	"errors"
	"fmt"
)

// Close stops accepting points and makes everything added durable: batches
// in memory are written to InfluxDB or, when that fails or ctx ends first,
// spooled; then their inputs are acknowledged. Points neither written nor
// spooled when ctx ends (the spool's disk failing too) are counted, logged
// and not acknowledged, and Close returns an error saying how many. The
// spool keeps what it holds for the next Start. Close is safe to call twice
// and without Start.
func (w *Writer) Close(ctx context.Context) error {
	w.closeOnce.Do(func() { w.closeErr = w.close(ctx) })
	return w.closeErr
}

func (w *Writer) close(ctx context.Context) error {
	stop := context.AfterFunc(ctx, w.hardCancel)
	defer stop()
	w.dropHeld()
	w.mu.Lock()
	w.closed = true
	started := w.started
	var last *batch
	if w.cur != nil {
		last = w.cutLocked()
	}
	w.mu.Unlock()
	if !started {
		return w.abandonUnstarted(last)
	}
	if last != nil {
		w.enqueue(last)
	}
	w.adding.Wait()
	close(w.queue)
	w.workers.Wait()
	w.bgCancel()
	w.loops.Wait()
	w.hardCancel()
	var errs []error
	if w.spool != nil {
		if err := w.spool.close(); err != nil {
			errs = append(errs, fmt.Errorf("close spool: %w", err))
		}
	}
	w.client.Close()
	w.m.unregister(w.opts.Registerer)
	if n := w.abandoned.Load(); n > 0 {
		errs = append(errs, fmt.Errorf("telemetry: %d points were neither written nor spooled before the shutdown deadline; the broker redelivers them", n))
	}
	w.log.Info("telemetry writer closed", "spool_bytes", w.spoolBytes())
	return errors.Join(errs...)
}

// abandonUnstarted completes the batches of a writer closed without Start:
// nothing was durable, so nothing is acknowledged.
func (w *Writer) abandonUnstarted(last *batch) error {
	var batches []*batch
	if last != nil {
		batches = append(batches, last)
		w.adding.Done()
	}
	for done := false; !done; {
		select {
		case b := <-w.queue:
			batches = append(batches, b)
		default:
			done = true
		}
	}
	n := 0
	for _, b := range batches {
		n += b.meta.points
		w.acks.complete(b.seq, b.acks, false)
	}
	w.bgCancel()
	w.hardCancel()
	if n == 0 {
		return nil
	}
	w.m.dropped.WithLabelValues(dropShutdown).Add(float64(n))
	w.log.Error("telemetry: writer closed without Start; points not acknowledged", "points", n)
	return fmt.Errorf("telemetry: writer closed without Start: %d points not written", n)
}
