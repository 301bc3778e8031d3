// Package backoff computes the capped, jittered, exponentially growing
// delays between retries that every retrying part of hamletd uses (the broker
// link's reconnects, the telemetry writer's probes of InfluxDB), and waits
// them out unless a context ends first.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

// Policy describes the delays: the n-th (from 0) is drawn uniformly from
// [d/2, d] with d = min(Initial·2ⁿ, Max), so no delay exceeds Max and
// clients that lost the same server do not retry in step.
type Policy struct {
	// Initial is the full delay before the first retry. It must be positive.
	Initial time.Duration
	// Max caps every delay. If smaller than Initial, Initial is the cap.
	Max time.Duration
	// Rand returns a number in [0, 1) for the jitter. If nil, math/rand/v2's
	// Float64 is used; tests give a fixed one.
	Rand func() float64
}

// Delay returns the delay before retry attempt n (0-based). It never
// overflows, however large n is.
func (p Policy) Delay(n int) time.Duration {
	ceiling := max(p.Max, p.Initial)
	d := ceiling
	if n >= 0 && n < 62 {
		if e := p.Initial << n; e > 0 && e < ceiling {
			d = e
		}
	}
	r := p.Rand
	if r == nil {
		r = rand.Float64
	}
	half := d / 2
	return half + time.Duration(r()*float64(d-half))
}

// Sleep waits for d or until ctx is done; it reports whether d elapsed. A
// context already done returns false at once.
func Sleep(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
