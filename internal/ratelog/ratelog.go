// Package ratelog keeps repeated log lines from flooding the log: per key,
// one line per interval goes through, and the next one that does says how
// many were held back. Every part of hamletd that logs per message (the
// broker link, the ingest path, the telemetry writer) uses it.
package ratelog

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// maxKeys bounds the keys a Limiter remembers; when more are seen, it
// forgets them all (and so lets one line per key through again).
const maxKeys = 1000

// Limiter decides which log lines go through. Create it with New; it is
// safe for concurrent use.
type Limiter struct {
	interval time.Duration
	now      func() time.Time

	mu   sync.Mutex
	last map[string]time.Time
	held map[string]int
}

// New returns a Limiter letting one line per key through per interval.
// now is the clock; if nil, time.Now is used.
func New(interval time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{interval: interval, now: now, last: map[string]time.Time{}, held: map[string]int{}}
}

// Allow reports whether a line for key may be logged now, and how many
// lines for key were held back since the last one that went through.
func (l *Limiter) Allow(key string) (suppressed int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if last, seen := l.last[key]; seen && now.Sub(last) < l.interval {
		l.held[key]++
		return 0, false
	}
	if len(l.last) >= maxKeys {
		clear(l.last)
		clear(l.held)
	}
	n := l.held[key]
	l.last[key] = now
	delete(l.held, key)
	return n, true
}

// Log logs msg with args at level through log when Allow(key) lets it,
// adding the attribute "suppressed" (lines held back since the last). It
// reports whether the line went through.
func (l *Limiter) Log(log *slog.Logger, level slog.Level, key, msg string, args ...any) bool {
	n, ok := l.Allow(key)
	if ok {
		log.Log(context.Background(), level, msg, append(args, "suppressed", n)...)
	}
	return ok
}
