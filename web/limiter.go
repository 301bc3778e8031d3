package web

import (
	"sync"
	"time"
)

// limiter counts recent failures per key: a sliding window over the last
// max failures. It is safe for concurrent use.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time // oldest first, at most max
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// wait returns how long key must wait before trying again at now; zero if it may try.
func (l *limiter) wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	fs := l.prune(key, now)
	if len(fs) < l.max {
		return 0
	}
	return fs[0].Add(l.window).Sub(now)
}

// fail records a failure of key at now.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fs := append(l.prune(key, now), now)
	if len(fs) > l.max {
		fs = fs[len(fs)-l.max:]
	}
	if _, ok := l.fails[key]; !ok && len(l.fails) >= maxThrottleKeys {
		l.sweep(now)
	}
	l.fails[key] = fs
}

// prune drops key's failures older than the window and returns the rest.
// The caller holds l.mu.
func (l *limiter) prune(key string, now time.Time) []time.Time {
	fs := l.fails[key]
	i := 0
	for i < len(fs) && !fs[i].After(now.Add(-l.window)) {
		i++
	}
	if i == len(fs) {
		delete(l.fails, key)
		return nil
	}
	fs = fs[i:]
	l.fails[key] = fs
	return fs
}

// sweep removes expired keys and, if still full, arbitrary ones. The caller holds l.mu.
func (l *limiter) sweep(now time.Time) {
	for k, fs := range l.fails {
		if len(fs) == 0 || !fs[len(fs)-1].After(now.Add(-l.window)) {
			delete(l.fails, k)
		}
	}
	for k := range l.fails {
		if len(l.fails) < maxThrottleKeys {
			break
		}
		delete(l.fails, k)
	}
}
