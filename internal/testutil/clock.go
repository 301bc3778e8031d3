package testutil

import (
	"sync"
	"time"
)

// Clock is an injected time that a test moves by hand; its Now is the
// Now func of the part under test. It is safe for concurrent use.
type Clock struct {
	mu   sync.Mutex
	t    time.Time
	mono time.Duration
}

// NewClock returns a Clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Mono returns the time the clock has moved by Add since it was made: a
// monotonic clock that Set (NTP stepping the wall clock) does not move; the
// mono func of clockguard.New.
func (c *Clock) Mono() time.Duration { c.mu.Lock(); defer c.mu.Unlock(); return c.mono }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mono += d; c.mu.Unlock() }
