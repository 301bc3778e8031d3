package clockguard

import (
	"strings"
	"testing"
	"time"
)

// fakeClock is a wall clock that NTP can step and a monotonic clock that never jumps.
type fakeClock struct {
	wall time.Time
	mono time.Duration
}

func (c *fakeClock) Wall() time.Time            { return c.wall }
func (c *fakeClock) Mono() time.Duration        { return c.mono }
func (c *fakeClock) tick(d time.Duration)       { c.wall = c.wall.Add(d); c.mono += d }
func (c *fakeClock) step(to time.Time)          { c.wall = to }
func newGuard(c *fakeClock, b time.Time) *Guard { return New(b, c.Wall, c.Mono) }

func TestBootBeforeBuildTimeIsImplausibleUntilNTPSteps(t *testing.T) {
	built := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	c := &fakeClock{wall: time.Date(1970, 1, 1, 0, 0, 30, 0, time.UTC)}
	g := newGuard(c, built)
	if g.Plausible() || g.Err() == nil || !strings.Contains(g.Err().Error(), "waiting for NTP") {
		t.Fatalf("a 1970 clock is plausible: %v", g.Err())
	}
	c.tick(10 * time.Second)
	if ok, _ := g.Check(); ok {
		t.Fatal("still 1970, but plausible")
	}
	c.tick(10 * time.Second)
	c.step(time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)) // NTP syncs
	ok, reason := g.Check()
	if !ok || !strings.Contains(reason, "jumped") || g.Err() != nil {
		t.Fatalf("after NTP: ok=%v %q %v", ok, reason, g.Err())
	}
	if n, _ := g.Jumps(); n != 1 {
		t.Fatalf("jumps = %d, want 1", n)
	}
	c.tick(10 * time.Second)
	if ok, reason := g.Check(); !ok || reason != "" {
		t.Fatalf("steady clock: ok=%v %q", ok, reason)
	}
}

func TestSmallDriftIsNoJumpButABigOneIs(t *testing.T) {
	c := &fakeClock{wall: time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)}
	g := newGuard(c, time.Time{})
	c.tick(time.Hour)
	c.wall = c.wall.Add(30 * time.Second) // NTP slews a little
	if ok, reason := g.Check(); !ok || reason != "" {
		t.Fatalf("30s drift: ok=%v %q", ok, reason)
	}
	c.tick(time.Second)
	c.wall = c.wall.Add(-2 * time.Hour) // someone sets the clock back
	if ok, reason := g.Check(); !ok || !strings.Contains(reason, "-2h0m0s") {
		t.Fatalf("2h back: ok=%v %q", ok, reason)
	}
}

func TestBuildTimeIsNeverBeforeTheFloor(t *testing.T) {
	if BuildTime().Before(Floor) {
		t.Fatalf("BuildTime %v before Floor %v", BuildTime(), Floor)
	}
}
