package web

import (
	"sync"
	"time"
)

// LoginLimits bound failed sign-ins. A key (a user name, or a client address)
// that failed Max times within Window is refused with 429 until the oldest of
// those failures leaves the window.
type LoginLimits struct {
	PerUser    int           // failures per user name; default 5
	PerAddress int           // failures per client address; default 20
	Window     time.Duration // default 15m
}

func (l *LoginLimits) fill() {
	if l.PerUser <= 0 {
		l.PerUser = 5
	}
	if l.PerAddress <= 0 {
		l.PerAddress = 20
	}
	if l.Window <= 0 {
		l.Window = 15 * time.Minute
	}
}

// maxThrottleKeys bounds the memory the limiter keeps; beyond it, expired
// keys are swept and then arbitrary ones forgotten.
const maxThrottleKeys = 10000

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

// reset forgets key's failures (a successful sign-in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.fails, key)
	l.mu.Unlock()
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

// throttle is the sign-in limiter: per user name and per client address.
type throttle struct {
	users, addrs *limiter
}

func newThrottle(l LoginLimits) *throttle {
	return &throttle{users: newLimiter(l.PerUser, l.Window), addrs: newLimiter(l.PerAddress, l.Window)}
}

// wait returns how long a sign-in as user from addr must wait; zero if it may try.
func (t *throttle) wait(user, addr string, now time.Time) time.Duration {
	return max(t.users.wait(user, now), t.addrs.wait(addr, now))
}

func (t *throttle) fail(user, addr string, now time.Time) {
	t.users.fail(user, now)
	t.addrs.fail(addr, now)
}

// succeed forgets the user's failures; the address keeps its count, so that
// one valid account cannot be used to reset guessing at others.
func (t *throttle) succeed(user string) { t.users.reset(user) }
