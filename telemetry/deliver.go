package telemetry

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/hamlet-vn/hamlet/internal/backoff"
)

// worker delivers batches until the queue is closed.
func (w *Writer) worker() {
	defer w.workers.Done()
	for b := range w.queue {
		w.deliver(b)
	}
}

// deliver makes batch b durable (InfluxDB, else the spool), completes it
// and recycles its buffer.
func (w *Writer) deliver(b *batch) {
	w.complete(b)
	w.bufs.put(b.data)
	b.data = nil
}

func (w *Writer) complete(b *batch) {
	if b.meta.points == 0 {
		w.acks.complete(b.seq, b.acks, true)
		return
	}
	rest := span{b.data, b.meta.points}
	if w.up.Load() && w.hard.Err() == nil {
		res := w.writeSpan(w.hard, rest)
		w.m.written.Add(float64(res.written))
		if res.err == nil {
			w.acks.complete(b.seq, b.acks, true)
			return
		}
		w.markDown(res.err)
		rest = res.rest
	}
	ok := w.persist(rest, b.meta)
	w.acks.complete(b.seq, b.acks, ok)
}

// persist spools s, whose points lie within meta's time range. When the
// spool fails (or there is none) it retries, alternating with direct writes
// to InfluxDB, until one succeeds or Close's deadline passes; then the points
// are counted as dropped and it returns false.
func (w *Writer) persist(s span, meta recordMeta) bool {
	for attempt := 0; ; attempt++ {
		if w.spool != nil {
			err := w.spool.append(s.data, recordMeta{points: s.n, minT: meta.minT, maxT: meta.maxT})
			if err == nil {
				w.m.spooled.Add(float64(s.n))
				select {
				case w.spoolKick <- struct{}{}:
				default:
				}
				return true
			}
			w.log.Error("telemetry: cannot spool a batch; retrying", "points", s.n, "attempt", attempt+1, "error", err)
		}
		if !backoff.Sleep(w.hard, w.retry.Delay(attempt)) {
			w.m.dropped.WithLabelValues(dropShutdown).Add(float64(s.n))
			w.abandoned.Add(int64(s.n))
			w.log.Error("telemetry: at shutdown a batch was neither written nor spooled; it is not acknowledged, so the broker redelivers it",
				"points", s.n, "from", time.Unix(0, meta.minT).UTC(), "to", time.Unix(0, meta.maxT).UTC())
			return false
		}
		res := w.writeSpan(w.hard, s)
		w.m.written.Add(float64(res.written))
		if res.err == nil {
			w.markUp()
			return true
		}
		s = res.rest
	}
}

// writeResult is the outcome of writeSpan.
type writeResult struct {
	written  int         // points InfluxDB accepted
	rejected int         // points it refused for good
	rest     span        // points not written because InfluxDB became unavailable
	err      *writeError // why rest was not written; nil when rest is empty
}

// writeSpan writes s; when InfluxDB refuses points it splits s in halves,
// recursively, rejecting single points it refuses. It stops at the first
// failure of class unavailable and returns what is left.
func (w *Writer) writeSpan(ctx context.Context, s span) writeResult {
	var res writeResult
	stack := []span{s}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		err := w.post(ctx, cur.data)
		switch {
		case err == nil:
			res.written += cur.n
		case err.class == classUnavailable:
			res.err = err
			res.rest = cur
			if len(stack) > 0 {
				data := append([]byte(nil), cur.data...)
				for i := len(stack) - 1; i >= 0; i-- {
					data = append(data, stack[i].data...)
					res.rest.n += stack[i].n
				}
				res.rest.data = data
			}
			return res
		case cur.n <= 1:
			w.reject(cur.data, cur.n, err)
			res.rejected += cur.n
		default:
			a, b := splitHalf(cur)
			stack = append(stack, b, a)
		}
	}
	return res
}

// post sends one write request.
func (w *Writer) post(ctx context.Context, data []byte) *writeError {
	ctx, cancel := context.WithTimeout(ctx, w.opts.WriteTimeout)
	defer cancel()
	start := time.Now()
	err := w.api.WriteRecord(ctx, string(data))
	w.m.latency.Observe(time.Since(start).Seconds())
	if err == nil {
		w.m.batches.Inc()
		return nil
	}
	we := classify(err, w.now())
	w.m.writeErrors.WithLabelValues(we.class.String()).Inc()
	return we
}

// reject counts n points that can never be written and logs the line (rate limited).
func (w *Writer) reject(data []byte, n int, err error) {
	if n == 0 {
		n = 1
	}
	w.m.rejected.Add(float64(n))
	w.rejectLog.Log(w.log, slog.LevelError, "reject", "telemetry: point rejected; it cannot be written and is dropped",
		"line", firstLine(data), "error", err)
}

// markDown switches to spooling after err.
func (w *Writer) markDown(err *writeError) {
	if err.retryAfter > 0 {
		w.notBefore.Store(w.now().Add(err.retryAfter).UnixNano())
	}
	if !w.up.Swap(false) {
		return
	}
	w.m.up.Set(0)
	attrs := []any{"status", err.status, "error", err.err, "retry_after", err.retryAfter}
	switch err.status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		w.log.Error("telemetry: InfluxDB refuses writes; check influx.url, token, org and bucket; spooling meanwhile", attrs...)
	default:
		w.log.Warn("telemetry: InfluxDB unavailable; spooling until it is back", attrs...)
	}
}

// markUp switches back to writing directly.
func (w *Writer) markUp() {
	if !w.up.Swap(true) {
		w.m.up.Set(1)
		w.log.Info("telemetry: InfluxDB available again")
	}
}
