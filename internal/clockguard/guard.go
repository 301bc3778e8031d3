// Package clockguard tells whether the wall clock can be trusted. A box
// without a battery-backed clock (a Raspberry Pi) boots with a stale time
// until NTP syncs; times it reads then are wrong. The guard finds a clock
// that is implausible (before the binary was built) or that jumped by more
// than a minute against the monotonic clock, so that time-based actions
// (light programmes, scheduled announcements) wait and no such time is
// written into uptime or InfluxDB.
package clockguard

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Floor is the earliest plausible time when the build time is unknown: the
// project did not exist before it.
var Floor = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxJump is how far the wall clock may move against the monotonic clock
// between two checks before the guard calls it a jump.
const MaxJump = time.Minute

// Guard checks the wall clock. Its methods are safe for concurrent use.
type Guard struct {
	earliest time.Time
	wall     func() time.Time
	mono     func() time.Duration

	mu       sync.Mutex
	last     time.Time     // the previous wall reading
	lastMono time.Duration // the monotonic reading with it
	ok       bool
	reason   string
	jumps    int
	lastJump time.Duration
	okNow    atomic.Bool // ok, read without the lock on every message
}

// New returns a Guard that finds times before earliest implausible (zero:
// BuildTime()). wall reads the wall clock and mono a monotonic clock (time
// elapsed since any fixed point); nil means the system's. It checks at once.
func New(earliest time.Time, wall func() time.Time, mono func() time.Duration) *Guard {
	if earliest.IsZero() {
		earliest = BuildTime()
	}
	if wall == nil {
		wall = func() time.Time { return time.Now().Round(0) }
	}
	if mono == nil {
		start := time.Now()
		mono = func() time.Duration { return time.Since(start) }
	}
	g := &Guard{earliest: earliest, wall: wall, mono: mono}
	g.Check()
	return g
}

// BuildTime is the commit time stamped into the binary by the Go toolchain,
// or Floor when there is none (go test, go run outside a repository).
func BuildTime() time.Time {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.time" {
				if t, err := time.Parse(time.RFC3339, s.Value); err == nil && t.After(Floor) {
					return t
				}
			}
		}
	}
	return Floor
}

// Check reads the clock and returns whether it is plausible now, and if
// not, why (Vietnamese, then English). A jump is reported once, by the check
// that sees it; the clock is plausible again as soon as it reads a time
// after the earliest plausible one (NTP stepped it right).
func (g *Guard) Check() (ok bool, reason string) {
	now, mono := g.wall(), g.mono()
	g.mu.Lock()
	defer g.mu.Unlock()
	jumped := time.Duration(0)
	if !g.last.IsZero() {
		if d := now.Sub(g.last) - (mono - g.lastMono); d > MaxJump || d < -MaxJump {
			jumped = d
			g.jumps++
			g.lastJump = d
		}
	}
	g.last, g.lastMono = now, mono
	switch {
	case now.Before(g.earliest):
		g.ok = false
		g.reason = fmt.Sprintf("đồng hồ hệ thống chưa đúng (%s, trước %s); đang chờ NTP / the system clock reads %s, before %s: waiting for NTP",
			now.UTC().Format(time.RFC3339), g.earliest.UTC().Format(time.DateOnly), now.UTC().Format(time.RFC3339), g.earliest.UTC().Format(time.DateOnly))
	default:
		g.ok, g.reason = true, ""
	}
	g.okNow.Store(g.ok)
	if jumped != 0 && g.ok {
		return true, fmt.Sprintf("đồng hồ vừa nhảy %s / the clock jumped by %s", jumped.Round(time.Second), jumped.Round(time.Second))
	}
	return g.ok, g.reason
}

// Plausible reports whether the last check found the clock plausible.
func (g *Guard) Plausible() bool { return g.okNow.Load() }

// Err returns nil while the clock is plausible, else an error saying why
// (for /readyz).
func (g *Guard) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ok {
		return nil
	}
	return fmt.Errorf("%s", g.reason)
}

// Jumps returns how many jumps the guard has seen and the last one's size.
func (g *Guard) Jumps() (int, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.jumps, g.lastJump
}
