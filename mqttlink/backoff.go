package mqttlink

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff computes capped, jittered, exponentially growing delays: the n-th
// delay (from 0) is drawn uniformly from [d/2, d] with d = min(initial·2ⁿ,
// max), so no delay exceeds max and clients that lost the same broker do not
// retry in step.
type backoff struct {
	initial, max time.Duration
	n            int
	rand         func() float64
}

func newBackoff(initial, max time.Duration, rnd func() float64) *backoff {
	if rnd == nil {
		rnd = rand.Float64
	}
	return &backoff{initial: initial, max: max, rand: rnd}
}

// next returns the next delay.
func (b *backoff) next() time.Duration {
	d := b.max
	if b.n < 62 {
		if e := b.initial << b.n; e > 0 && e < b.max {
			d = e
		}
	}
	b.n++
	half := d / 2
	return half + time.Duration(b.rand()*float64(d-half))
}

// reset starts again from the initial delay.
func (b *backoff) reset() { b.n = 0 }

// sleep waits for d or until ctx is done; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
