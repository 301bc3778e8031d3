package mqttlink

import (
	"context"
	"testing"
	"time"
)

func TestBackoffGrowsToCapWithJitter(t *testing.T) {
	for _, r := range []float64{0, 0.5, 0.999} {
		b := newBackoff(time.Second, 30*time.Second, func() float64 { return r })
		want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
		for i, w := range want {
			full := w * time.Second
			got := b.next()
			if got < full/2 || got > full {
				t.Fatalf("rand %v: delay %d = %s, want within [%s, %s]", r, i, got, full/2, full)
			}
		}
		for range 100 { // no overflow far past the cap
			if d := b.next(); d > 30*time.Second || d < 15*time.Second {
				t.Fatalf("rand %v: delay %s escaped the cap", r, d)
			}
		}
		b.reset()
		if d := b.next(); d > time.Second {
			t.Fatalf("after reset: %s, want at most 1s", d)
		}
	}
}

func TestBackoffJitterSpreads(t *testing.T) {
	b := newBackoff(time.Second, time.Second, nil)
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[b.next()] = true
	}
	if len(seen) < 2 {
		t.Fatalf("20 delays took %d distinct values; want jitter", len(seen))
	}
}

func TestSleepReturnsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if sleep(ctx, time.Hour) {
		t.Fatal("sleep returned true on a cancelled context")
	}
	if !sleep(context.Background(), time.Millisecond) {
		t.Fatal("sleep returned false when the delay elapsed")
	}
}
