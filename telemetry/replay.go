package telemetry

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"
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
			d := w.backoff(attempt)
			if ra := time.Duration(w.notBefore.Load() - w.now().UnixNano()); ra > d {
				d = ra
			}
			if !sleepCtx(ctx, d) {
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

// backoff returns the wait before retry attempt (0-based): exponential from
// RetryMin, capped at RetryMax, with jitter in [d/2, d].
func (w *Writer) backoff(attempt int) time.Duration {
	d := w.opts.RetryMin
	for i := 0; i < attempt && d < w.opts.RetryMax; i++ {
		d *= 2
	}
	d = min(d, w.opts.RetryMax)
	return d/2 + rand.N(d/2+1)
}

// sleepCtx waits for d; it returns false if ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// logLimiter lets one log line through per interval and counts the rest.
type logLimiter struct {
	every      time.Duration
	mu         sync.Mutex
	last       time.Time
	suppressed int
}

// allow reports whether to log now, and how many were suppressed since the last.
func (l *logLimiter) allow(now time.Time) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() && now.Sub(l.last) < l.every {
		l.suppressed++
		return false, 0
	}
	n := l.suppressed
	l.last, l.suppressed = now, 0
	return true, n
}
