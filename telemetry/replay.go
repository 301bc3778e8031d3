package telemetry

import (
	"errors"
	"time"

	"github.com/hamlet-vn/hamlet/internal/backoff"
)

// replayer writes the spool to InfluxDB, oldest first. While InfluxDB is
// unavailable its attempts are the probes that find it back, spaced by
// backoff and Retry-After.
func (w *Writer) replayer() {
	defer w.loops.Done()
	ctx := w.bg
	attempt := 0
	for {
		if w.spool.empty() {
			select {
			case <-ctx.Done():
				return
			case <-w.spoolKick:
			}
			continue
		}
		if attempt > 0 || !w.up.Load() {
			d := w.retry.Delay(attempt)
			if ra := time.Duration(w.notBefore.Load() - w.now().UnixNano()); ra > d {
				d = ra
			}
			if !backoff.Sleep(ctx, d) {
				return
			}
		}
		c, err := w.spool.read(w.opts.BatchSize, w.opts.MaxBatchBytes)
		if errors.Is(err, errSpoolClosed) || ctx.Err() != nil {
			return
		}
		if err != nil {
			w.log.Error("telemetry: cannot read the spool; retrying", "error", err)
			attempt++
			continue
		}
		if c.meta.points == 0 {
			continue
		}
		res := w.writeSpan(ctx, span{c.data, c.meta.points})
		if res.err != nil {
			if ctx.Err() != nil {
				return
			}
			w.markDown(res.err)
			attempt++
			continue
		}
		w.m.replayed.Add(float64(res.written))
		w.spool.commit(c)
		w.markUp()
		attempt = 0
	}
}
