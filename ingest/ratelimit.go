package ingest

import (
	"sync"
	"time"
)

// rateLimiter lets one log line per key through per interval and counts the
// ones it held back.
type rateLimiter struct {
	mu         sync.Mutex
	interval   time.Duration
	last       map[string]time.Time
	suppressed map[string]int
	now        func() time.Time
}

func newRateLimiter(interval time.Duration) *rateLimiter {
	return &rateLimiter{interval: interval, last: map[string]time.Time{}, suppressed: map[string]int{}, now: time.Now}
}

// allow reports whether a line for key may be logged now, and how many were
// suppressed since the last one.
func (l *rateLimiter) allow(key string) (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if last, ok := l.last[key]; ok && now.Sub(last) < l.interval {
		l.suppressed[key]++
		return 0, false
	}
	n := l.suppressed[key]
	l.last[key], l.suppressed[key] = now, 0
	return n, true
}
