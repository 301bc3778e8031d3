package backoff

import (
	"context"
	"testing"
	"time"
)

func TestDelayGrowsToCapWithJitter(t *testing.T) {
	for _, r := range []float64{0, 0.5, 0.999} {
		p := Policy{Initial: time.Second, Max: 30 * time.Second, Rand: func() float64 { return r }}
		want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
		for n, w := range want {
			full := w * time.Second
			if got := p.Delay(n); got < full/2 || got > full {
				t.Fatalf("rand %v: delay %d = %s, want within [%s, %s]", r, n, got, full/2, full)
			}
		}
		for _, n := range []int{61, 62, 63, 64, 100, 1 << 30} { // no overflow far past the cap
			if d := p.Delay(n); d > 30*time.Second || d < 15*time.Second {
				t.Fatalf("rand %v: delay %d = %s escaped the cap", r, n, d)
			}
		}
	}
}

func TestDelayCapBelowInitial(t *testing.T) {
	p := Policy{Initial: 2 * time.Second, Max: time.Second, Rand: func() float64 { return 0.999 }}
	if d := p.Delay(5); d > 2*time.Second || d < time.Second {
		t.Fatalf("delay = %s, want within [1s, 2s]", d)
	}
}

func TestJitterSpreads(t *testing.T) {
	p := Policy{Initial: time.Second, Max: time.Second}
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[p.Delay(0)] = true
	}
	if len(seen) < 2 {
		t.Fatalf("20 delays took %d distinct values; want jitter", len(seen))
	}
}

func TestSleepReturnsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Sleep(ctx, time.Hour) {
		t.Fatal("Sleep returned true on a cancelled context")
	}
	if !Sleep(context.Background(), time.Millisecond) {
		t.Fatal("Sleep returned false when the delay elapsed")
	}
}
